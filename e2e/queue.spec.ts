// The posting queue end to end, on the page's own clock (Playwright's clock, installed before the
// app loads, so the app's Date and timers are the test's): two picks queued with the first slot a
// minute ahead; at the slot the first goes to a real local PDS and the second keeps waiting.
import type { Page } from '@playwright/test';
import { listPosts } from '../src/main/services/publish/testing/pds';
import { expect, test } from './support/fixtures';
import { LibraryPage, type LinkInput } from './pages/LibraryPage';
import { openSettings, publishingWorld, setUpBluesky } from './support/publishing';

const RAFT = {
  url: 'https://raft.github.io/raft.pdf',
  title: 'In Search of an Understandable Consensus Algorithm',
  description: 'Raft, designed to be understood.',
} satisfies LinkInput;
const PAXOS = {
  url: 'https://lamport.azurewebsites.net/pubs/paxos-simple.pdf',
  title: 'Paxos Made Simple',
  description: 'The Paxos algorithm, when presented in plain English, is very simple.',
} satisfies LinkInput;
const CRDT = {
  url: 'https://crdt.tech/papers',
  title: 'CRDT papers',
  description: 'Everything on conflict-free replicated data types.',
} satisfies LinkInput;

const world = publishingWorld('queue');

/** Monday 4 May 2026, 10:58 UTC; the first slot is 11:00. */
const START = new Date('2026-05-04T10:58:00Z');

const startsWith = (title: string) =>
  new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

async function setSchedule(page: Page): Promise<void> {
  const schedule = page
    .getByRole('dialog', { name: 'Settings' })
    .getByRole('region', { name: 'Publishing schedule' });
  await schedule.getByLabel('Time zone').fill('UTC');
  await schedule.getByLabel('Post at').fill('11:00');
  await schedule.getByRole('button', { name: 'Add a time' }).click();
  await schedule.getByLabel('Post at').nth(1).fill('15:00');
  await schedule.getByLabel('Bluesky').selectOption({ label: 'Follows the queue' });
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  await expect(schedule.getByRole('status')).toHaveText(
    'Saved. The queue posts at 11:00, 15:00 (UTC).',
  );
}

async function addToQueue(
  page: Page,
  library: LibraryPage,
  link: { title: string },
): Promise<void> {
  await library.select(link.title);
  await library.detail.button('Publish').click();
  const dialog = page.getByRole('dialog', { name: 'Publish 1 link' });
  await dialog.getByLabel('Blurb').fill(`Queued: ${link.title}`);
  await dialog.getByRole('button', { name: 'Add to queue' }).click();
  await expect(dialog).toBeHidden();
}

/** Opens Curio with its clock at `time`, Bluesky set up, and the schedule too when asked. */
async function openAt(
  page: Page,
  time: Date,
  options: { schedule: boolean },
): Promise<LibraryPage> {
  await page.clock.install({ time });
  const library = await openSettings(page);
  await setUpBluesky(page, {
    serviceUrl: world.net.pds.url,
    handle: world.account.handle,
    password: world.account.password,
  });
  if (options.schedule) await setSchedule(page);
  await page.getByRole('button', { name: 'Done' }).click();
  return library;
}

test('queues two picks; at the first slot the first is posted and the second waits', async ({
  page,
}) => {
  const library = await openAt(page, START, { schedule: true });

  await library.addLink(RAFT);
  await library.addLink(CRDT);
  await addToQueue(page, library, RAFT);
  await addToQueue(page, library, CRDT);

  await library.view('Queue').click();
  const queue = page.getByRole('list', { name: 'Queue' });
  const raft = queue.getByRole('listitem', { name: startsWith(RAFT.title) });
  const crdt = queue.getByRole('listitem', { name: startsWith(CRDT.title) });
  await expect(queue.getByRole('listitem')).toHaveCount(2);
  await expect(raft).toContainText('11:00');
  await expect(crdt).toContainText('15:00');

  // A second before the slot nothing has gone out.
  await page.clock.pauseAt(new Date('2026-05-04T10:59:59Z'));
  expect(await listPosts(world.net, world.account.did)).toEqual([]);
  await expect(raft).toBeVisible();

  // The slot comes: the runner's timer fires and the first pick goes to the PDS.
  await page.clock.runFor(1000);
  await page.clock.resume();
  await expect(raft).toBeHidden({ timeout: 30_000 });
  await expect(queue.getByRole('listitem')).toHaveCount(1);
  await expect(crdt).toContainText('15:00');
  await expect
    .poll(async () => (await listPosts(world.net, world.account.did)).length, { timeout: 30_000 })
    .toBe(1);
  const [post] = await listPosts(world.net, world.account.did);
  expect((post?.value as { text?: string }).text).toContain(`Queued: ${RAFT.title}`);

  await library.view('Published').click();
  await expect(library.row(RAFT.title).getByRole('link', { name: 'On Bluesky' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(library.row(CRDT.title)).toBeHidden();
});

test('the Queue view: empty, reordered by keyboard and drag, paused, posted now, removed', async ({
  page,
}) => {
  const library = await openAt(page, START, { schedule: false });
  await library.view('Queue').click();
  await expect(page.getByRole('status').filter({ hasText: 'The queue is empty.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause queue' })).toBeHidden();

  await library.openView('All');
  for (const link of [RAFT, PAXOS, CRDT]) await library.addLink(link);
  for (const link of [RAFT, PAXOS, CRDT]) await addToQueue(page, library, link);
  await library.view('Queue').click();
  const queue = page.getByRole('list', { name: 'Queue' });
  const items = queue.getByRole('listitem');
  const titles = [RAFT, PAXOS, CRDT].map((link) => link.title);
  await expect(items).toHaveCount(3);
  for (const [i, title] of titles.entries())
    await expect(items.nth(i)).toHaveAccessibleName(startsWith(title));
  // No schedule yet: every pick says why it waits.
  await expect(items.first()).toContainText('Waiting for a schedule');

  // Alt+↑ twice brings CRDT to the front, and keeps the keyboard on it.
  const crdt = queue.getByRole('listitem', { name: startsWith(CRDT.title) });
  await crdt.focus();
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(items.first()).toHaveAccessibleName(startsWith(CRDT.title));
  await expect(crdt).toBeFocused();
  // Dragging Raft onto Paxos puts it after Paxos.
  await queue
    .getByRole('listitem', { name: startsWith(RAFT.title) })
    .dragTo(queue.getByRole('listitem', { name: startsWith(PAXOS.title) }));
  await expect(items.nth(1)).toHaveAccessibleName(startsWith(PAXOS.title));
  await expect(items.nth(2)).toHaveAccessibleName(startsWith(RAFT.title));

  // With a schedule the picks get their slots, in the new order; pausing holds them all.
  await page.getByRole('button', { name: 'Set a schedule' }).click();
  await setSchedule(page);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(items.nth(0)).toContainText('11:00');
  await expect(items.nth(1)).toContainText('15:00');
  await page.getByRole('button', { name: 'Pause queue' }).click();
  await expect(items.nth(0)).toContainText('Waiting: the queue is paused');
  await expect(page.getByRole('button', { name: 'Resume queue' })).toBeVisible();

  // Post now still works while paused; Remove from queue takes a pick out without posting it.
  await queue
    .getByRole('listitem', { name: startsWith(PAXOS.title) })
    .getByRole('button', { name: 'Post now' })
    .click();
  await expect(queue.getByRole('listitem', { name: startsWith(PAXOS.title) })).toBeHidden({
    timeout: 30_000,
  });
  await queue
    .getByRole('listitem', { name: startsWith(RAFT.title) })
    .getByRole('button', { name: 'Remove from queue' })
    .click();
  await expect(items).toHaveCount(1);
  await expect(items.first()).toHaveAccessibleName(startsWith(CRDT.title));
  await page.getByRole('button', { name: 'Resume queue' }).click();
  await expect(items.first()).toContainText('11:00');

  await library.view('Published').click();
  await expect(library.row(PAXOS.title).getByRole('link', { name: 'On Bluesky' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(library.row(RAFT.title)).toBeHidden();
});

test('a slot missed while Curio was closed posts one pick when it opens again, not a burst', async ({
  page,
}) => {
  const library = await openAt(page, START, { schedule: true });
  for (const link of [RAFT, CRDT]) await library.addLink(link);
  for (const link of [RAFT, CRDT]) await addToQueue(page, library, link);
  const before = (await listPosts(world.net, world.account.did)).length;
  // Both picks are queued and on this device's disk before Curio closes.
  await library.view('Queue').click();
  await expect(page.getByRole('list', { name: 'Queue' }).getByRole('listitem')).toHaveCount(2);
  await library.saved();

  // Curio is closed through 11:00 and opened again at 13:00, the 11:00 slot missed.
  const context = page.context();
  await page.close();
  await context.clock.setSystemTime(new Date('2026-05-04T13:00:00Z'));
  const again = await context.newPage();
  await again.goto('/');
  const reopened = new LibraryPage(again);
  await reopened.ready();
  await reopened.view('Queue').click();
  const queue = again.getByRole('list', { name: 'Queue' });
  await expect
    .poll(async () => (await listPosts(world.net, world.account.did)).length, { timeout: 30_000 })
    .toBe(before + 1);
  // Raft went out for the missed slot; CRDT waits for the next one.
  await expect(queue.getByRole('listitem')).toHaveCount(1, { timeout: 30_000 });
  await expect(queue.getByRole('listitem').first()).toHaveAccessibleName(startsWith(CRDT.title));
  await expect(queue.getByRole('listitem').first()).toContainText('15:00');
  expect((await listPosts(world.net, world.account.did)).length).toBe(before + 1);
});
