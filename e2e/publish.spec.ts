// Publishing end to end: a curator sets up Bluesky (a real local PDS) and the site (a bare git
// repository), picks two links, and publishes them with one click; pressing Publish again must
// post nothing and commit nothing.
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { listPosts } from '../src/main/services/publish/testing/pds';
import { expect, test } from './support/fixtures';
import { LibraryPage, type LinkInput } from './pages/LibraryPage';
import { publishingWorld, setUpSite, type PublishingSetup } from './support/publishing';

const RAFT_LINK = {
  url: 'https://raft.github.io/raft.pdf',
  title: 'In Search of an Understandable Consensus Algorithm',
  description: 'Raft, designed to be understood.',
} satisfies LinkInput;
const CRDT_LINK = {
  url: 'https://crdt.tech/papers',
  title: 'CRDT papers',
  description: 'Everything on conflict-free replicated data types.',
} satisfies LinkInput;
const LINKS = [RAFT_LINK, CRDT_LINK];
const RAFT = RAFT_LINK.title;
const CRDT = CRDT_LINK.title;

const world = publishingWorld('curator');

const publishing = (): PublishingSetup => ({
  serviceUrl: world.net.pds.url,
  handle: world.account.handle,
  password: world.account.password,
  remote: world.bare,
});

const gitOut = (...args: string[]) =>
  execFileSync('git', [`--git-dir=${world.bare}`, ...args], { encoding: 'utf8' }).trim();
const commits = () => gitOut('rev-list', '--count', 'main');

async function setUpPublishing(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });

  const bluesky = settings.getByRole('region', { name: 'Bluesky' });
  await bluesky.getByLabel('Service URL').fill(world.net.pds.url);
  await bluesky.getByLabel('Handle').fill(world.account.handle);
  // A mistyped app password is refused by the PDS and never kept.
  await bluesky.getByLabel('App password').fill('not-the-password');
  await bluesky.getByRole('button', { name: 'Test connection' }).click();
  await expect(bluesky.getByRole('alert')).toContainText(
    `refused the login for ${world.account.handle}`,
  );
  await bluesky.getByLabel('App password').fill(world.account.password);
  // Replies are read from the local PDS too: a test never reaches out to Bluesky's own AppView.
  await bluesky.getByLabel('Replies from').fill(world.net.pds.url);
  await bluesky.getByRole('button', { name: 'Save' }).click();
  await expect(bluesky.getByRole('status')).toHaveText(
    `Saved. Logged in as @${world.account.handle}.`,
  );
  await bluesky.getByRole('button', { name: 'Test connection' }).click();
  await expect(bluesky.getByRole('status')).toHaveText(`Logged in as @${world.account.handle}.`);

  await setUpSite(page, { ...publishing(), remote: world.bare });
  await settings.getByRole('button', { name: 'Done' }).click();
  await expect(settings).toBeHidden();
}

async function selectAll(library: LibraryPage): Promise<void> {
  for (const link of LINKS) await library.row(link.title).getByRole('checkbox').check();
}

test('publishes two picks to Bluesky and the site, exactly once', async ({
  page,
  fixturePages,
}) => {
  await page.goto('/');
  const library = new LibraryPage(page);
  await library.ready();
  await setUpPublishing(page);
  // The first link comes from a page with a preview image, which becomes the card's thumbnail.
  const add = await library.openAddLink();
  await add.url.fill(fixturePages.at('/pages/article.html'));
  await expect(add.title).toHaveValue('Raft: Understandable Consensus');
  await add.title.fill(RAFT_LINK.title);
  await add.description.fill(RAFT_LINK.description);
  await add.save();
  await expect(add.root).toBeHidden();
  await library.addLink(CRDT_LINK);
  await library.openView('All');

  await selectAll(library);
  await page
    .getByRole('toolbar', { name: 'Selected links' })
    .getByRole('button', { name: 'Publish' })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Publish 2 links' });
  const [raft, crdt] = [RAFT, CRDT];
  const raftPost = dialog.getByRole('article', { name: `Bluesky post for ${raft}` });
  await expect(raftPost).toContainText('Raft, designed to be understood.');
  await expect(raftPost).toContainText(`@${world.account.handle}`);
  await expect(raftPost.locator('img')).toHaveAttribute('src', fixturePages.at('/images/raft.png'));
  await expect(dialog.getByRole('article', { name: `Site entry for ${crdt}` })).toContainText(
    'CRDT papers',
  );
  // Before anything is sent, the dialog lists every entry the site will gain, from the remote.
  const siteChanges = dialog.getByRole('region', { name: 'Site changes' });
  await expect(siteChanges.getByRole('listitem')).toHaveText([
    new RegExp(`^Added${crdt}$`),
    new RegExp(`^Added${raft}$`),
  ]);
  await expect(siteChanges).not.toContainText('not picked on this device');
  // A blurb over Bluesky's limit is named before anything is sent.
  const blurb = dialog.getByRole('listitem', { name: crdt }).getByLabel('Blurb');
  await blurb.fill('x'.repeat(301));
  await expect(dialog.getByRole('alert')).toContainText(
    `${crdt}: the post text is 301 characters long; Bluesky allows 300`,
  );
  await expect(dialog.getByRole('button', { name: 'Publish' })).toBeDisabled();
  await blurb.fill('The reading list behind every CRDT talk.');
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(dialog).toBeHidden();

  for (const title of [raft, crdt]) {
    const row = library.row(title);
    await expect(row.getByRole('link', { name: 'On Bluesky' })).toBeVisible({ timeout: 30_000 });
    await expect(row.getByRole('link', { name: 'On site' })).toBeVisible({ timeout: 30_000 });
  }
  await expect(library.row(raft).getByRole('link', { name: 'On Bluesky' })).toHaveAttribute(
    'href',
    new RegExp(`^https://bsky\\.app/profile/${world.account.did}/post/`),
  );
  await library.select(crdt);
  await expect(library.detail.root.getByRole('link', { name: 'On site' })).toHaveAttribute(
    'href',
    'https://links.example.org/',
  );
  await library.openView('Published');
  await expect(library.rows()).toHaveCount(2);
  await library.openView('Not yet published');
  await expect(library.rows()).toHaveCount(0);

  const posts = await listPosts(world.net, world.account.did);
  expect(posts.map((p) => (p.value as { text: string }).text).sort()).toEqual([
    'Raft, designed to be understood.',
    'The reading list behind every CRDT talk.',
  ]);
  const raftCard = posts
    .map((p) => p.value as { text: string; embed?: { external?: { uri: string; thumb?: object } } })
    .find((p) => p.text.startsWith('Raft'))?.embed?.external;
  expect(raftCard?.uri).toBe(fixturePages.at('/pages/article.html'));
  expect(raftCard?.thumb).toBeDefined();
  expect(commits()).toBe('1');
  expect(gitOut('log', '-1', '--format=%B', 'main').split('\n')).toEqual([
    `Publish 2 picks: ${crdt}, ${raft}`,
    '',
    `Added: ${crdt} <${CRDT_LINK.url}>`,
    `Added: ${raft} <${fixturePages.at('/pages/article.html')}>`,
  ]);
  const files = gitOut('ls-tree', '-r', '--name-only', 'main').split('\n');
  expect(files).toEqual(expect.arrayContaining(['index.html', 'feed.xml', 'feed.json']));
  expect(gitOut('show', 'main:index.html')).toContain('The reading list behind every CRDT talk.');

  // Publishing the same picks again: the dialog says where they are and sends nothing.
  await library.openView('All');
  await selectAll(library);
  await page.keyboard.press('p');
  const again = page.getByRole('dialog', { name: 'Publish 2 links' });
  await expect(again.getByRole('listitem', { name: raft })).toContainText('Already on Bluesky');
  await expect(again).toContainText('Nothing to publish');
  await expect(again.getByRole('button', { name: 'Publish' })).toBeDisabled();
  await again.getByRole('button', { name: 'Cancel' }).click();
  expect(await listPosts(world.net, world.account.did)).toHaveLength(2);
  expect(commits()).toBe('1');

  // Forgetting the app password leaves nothing to log in with, and Test connection says so.
  await page.getByRole('button', { name: 'Settings' }).click();
  const bluesky = page
    .getByRole('dialog', { name: 'Settings' })
    .getByRole('region', { name: 'Bluesky' });
  await bluesky.getByRole('button', { name: 'Forget app password' }).click();
  await expect(bluesky.getByRole('status')).toContainText('no longer keeps the app password');
  await bluesky.getByRole('button', { name: 'Test connection' }).click();
  await expect(bluesky.getByRole('alert')).toContainText('No app password is stored');
});

test('keeps the typed blurb through a failed first attempt and Retry, and shows what the site gains', async ({
  page,
}) => {
  // The remote does not exist yet: the first attempt fails, the curator creates it and retries.
  const late = join(world.tmp, 'late.git');
  await page.goto('/');
  const library = new LibraryPage(page);
  await library.ready();
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  const site = settings.getByRole('region', { name: 'Site' });
  await site.getByLabel('Git remote').fill(late);
  await site.getByLabel('Site title').fill('Late links');
  await site.getByLabel('Base URL').fill('https://late.example.org/');
  await site.getByRole('button', { name: 'Save' }).click();
  await expect(site.getByRole('status')).toContainText('Saved.');
  await settings.getByRole('button', { name: 'Done' }).click();

  await library.addLink(RAFT_LINK);
  await library.select(RAFT);
  await library.detail.writeNote('## Why it matters\n\nThe paper that made *consensus* teachable.');
  await library.detail.button('Publish').click();
  const dialog = page.getByRole('dialog', { name: 'Publish 1 link' });
  // Bluesky is not set up in this library, so only the site is ticked.
  await expect(dialog.getByRole('checkbox', { name: /Bluesky/ })).not.toBeChecked();
  // The note's first paragraph as plain text: headings and emphasis marks stay behind.
  const blurb = dialog.getByLabel('Blurb');
  await expect(blurb).toHaveValue('The paper that made consensus teachable.');
  await expect(dialog.getByRole('region', { name: 'Site changes' })).toContainText(
    'Could not read the site',
  );
  const typed = 'Worth it for the diagrams alone.';
  await blurb.fill(typed);
  await dialog.getByRole('button', { name: 'Publish' }).click();

  const failure = library.detail.root.getByRole('status').filter({ hasText: /^Site:/ });
  await expect(failure).toContainText('Trying again at', { timeout: 30_000 });
  await expect(library.toast).toContainText('Publishing to the site failed');
  // Opened again, the dialog shows the words that are waiting to go out.
  await library.detail.button('Publish').click();
  await expect(dialog.getByLabel('Blurb')).toHaveValue(typed);
  await expect(dialog).toContainText('Being published to the site already.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', late]);
  await failure.getByRole('button', { name: 'Retry now' }).click();
  await expect(library.detail.root.getByRole('link', { name: 'On site' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(failure).toHaveCount(0);
  const lateOut = (...args: string[]) =>
    execFileSync('git', [`--git-dir=${late}`, ...args], { encoding: 'utf8' });
  const index = lateOut('show', 'main:index.html');
  expect(index).toContain(RAFT);
  expect(index).toContain(typed);
  expect(index).not.toContain('Why it matters');

  // A retitled entry and a new pick: the dialog lists both changes before anything is sent.
  await library.detail.button('Edit').click();
  const edit = page.getByRole('dialog', { name: 'Edit link' });
  await edit.getByLabel('Title').fill('Raft, the understandable one');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await library.addLink(CRDT_LINK);
  await library.select(CRDT);
  await library.detail.button('Publish').click();
  const next = page.getByRole('dialog', { name: 'Publish 1 link' });
  await expect(next.getByRole('region', { name: 'Site changes' }).getByRole('listitem')).toHaveText(
    [/^AddedCRDT papers$/, /^ChangedRaft, the understandable one$/],
  );
  await next.getByRole('button', { name: 'Publish' }).click();
  await expect(library.detail.root.getByRole('link', { name: 'On site' })).toBeVisible({
    timeout: 30_000,
  });
  expect(lateOut('log', '-1', '--format=%B', 'main').trim().split('\n')).toEqual([
    'Publish 1 pick: CRDT papers (+1 other change)',
    '',
    `Added: CRDT papers <${CRDT_LINK.url}>`,
    `Changed: Raft, the understandable one <${RAFT_LINK.url}>`,
  ]);
});

test('Bluesky settings keep what was typed when the service cannot be reached', async ({
  page,
}) => {
  // A service that takes every request and never answers, until the test takes it away.
  const waiting: IncomingMessage[] = [];
  let arrived = () => undefined as void;
  const silent = createServer((request) => {
    waiting.push(request);
    arrived();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
  try {
    await page.goto('/');
    const library = new LibraryPage(page);
    await library.ready();
    await page.getByRole('button', { name: 'Settings' }).click();
    const bluesky = page
      .getByRole('dialog', { name: 'Settings' })
      .getByRole('region', { name: 'Bluesky' });
    // Web mode keeps the password in a file only this user can read: it does not say encrypted.
    await expect(bluesky).toContainText('only your user account can read; it is not encrypted');

    await bluesky.getByLabel('Handle').fill('ana test.bsky.social');
    await bluesky.getByRole('button', { name: 'Save' }).click();
    await expect(bluesky.getByRole('alert')).toHaveText(
      'Handle cannot contain spaces; a handle looks like you.bsky.social',
    );

    await bluesky.getByLabel('Service URL').fill(`http://${host}`);
    await bluesky.getByLabel('Handle').fill('ana.test');
    await bluesky.getByLabel('App password').fill('abcd-efgh-ijkl-mnop');
    const first = new Promise<void>((resolve) => (arrived = resolve));
    await bluesky.getByRole('button', { name: 'Save' }).click();
    await first;
    await expect(bluesky.getByRole('status')).toHaveText(`Logging in to ${host}…`);
    await expect(bluesky.getByRole('button', { name: 'Save' })).toBeDisabled();
    // The connection goes away: no answer ever came.
    silent.closeAllConnections();
    silent.close();
    await expect(bluesky.getByRole('alert')).toHaveText(
      `Can't reach ${host} — check your connection; your settings are kept.`,
    );
    await expect(bluesky.getByLabel('App password')).toHaveValue('abcd-efgh-ijkl-mnop');

    // The account settings were kept: they are there when Settings opens again.
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(bluesky.getByLabel('Service URL')).toHaveValue(`http://${host}`);
    await expect(bluesky.getByLabel('Handle')).toHaveValue('ana.test');
  } finally {
    silent.closeAllConnections();
    silent.close();
    expect(waiting.length).toBeGreaterThan(0);
  }
});
