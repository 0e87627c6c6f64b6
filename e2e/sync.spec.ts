// Two maintainers in two browser contexts (two devices) sharing one collection through a real
// hub process: live edits, presence, and offline edits that merge on reconnect; a reader's
// read-only window, and invites the hub withdrew or let expire.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser } from '@playwright/test';
import { formatInvite } from '../src/shared/model';
import { mintToken } from '../src/hub/token';
import type { Role } from '../src/shared/sync';
import { TEST_SECRET, tokenFor } from '../src/hub/test-kit';
import { expect, test } from './support/fixtures';
import { useSpecHub } from './support/hub';
import { LibraryPage } from './pages/LibraryPage';
import { SyncSettings } from './pages/SyncSettings';

const hub = useSpecHub();

test('two maintainers co-edit one collection through the hub', async ({ browser, app }) => {
  const ana = await browser.newContext();
  const ben = await browser.newContext();
  const a = await ana.newPage();
  const b = await ben.newPage();
  await a.goto(app.url);
  await b.goto(app.url);
  const libA = new LibraryPage(a);
  const libB = new LibraryPage(b);
  await libA.ready();
  await libB.ready();
  const syncA = new SyncSettings(a);
  const syncB = new SyncSettings(b);

  // Ana shares the collection she has been using; Ben joins it from his own device.
  await libA.addLink({ url: 'https://example.com/before-sharing', title: 'Saved before sharing' });
  const collection = await syncA.collectionId();
  const invite = (member: string) => hub.invite(collection, member);
  await syncA.join(invite('Ana'));
  await syncA.synced();
  await syncA.close();
  await syncB.join(invite('Ben'));
  await libB.ready();
  await syncB.synced();
  await expect(libB.row('Saved before sharing')).toBeVisible();

  // A live edit shows up on the other device within a second.
  await libA.addLink({ url: 'https://example.com/live', title: 'Live from Ana' });
  await libB.openView('All');
  await expect(libB.row('Live from Ana')).toBeVisible({ timeout: 1000 });
  await expect(syncA.status).toHaveAccessibleName('Sync: Synced');

  // Presence: Ana sees Ben, and which link he has open.
  await libB.select('Live from Ana');
  await expect(
    a.getByRole('list', { name: 'Members online' }).getByLabel('Ben is reading “Live from Ana”'),
  ).toBeVisible();

  // Ben goes offline; both edit; he comes back and both converge.
  await ben.setOffline(true);
  await expect(syncB.status).toHaveAccessibleName(/^Sync: Offline/, { timeout: 15_000 });
  await libB.addLink({ url: 'https://example.com/offline', title: 'Written offline by Ben' });
  await libA.addLink({ url: 'https://example.com/meanwhile', title: 'Meanwhile Ana' });
  await expect(syncB.status).toHaveAccessibleName(/not on the hub yet/);
  await ben.setOffline(false);
  await syncB.synced();
  await libA.openView('All');
  await expect(libA.row('Written offline by Ben')).toBeVisible();
  await expect(libB.row('Meanwhile Ana')).toBeVisible();
  await expect(libA.rows()).toHaveCount(4);
  await expect(libB.rows()).toHaveCount(4);

  await ana.close();
  await ben.close();
});

/** `npm run hub -- revoke TOKEN`, as the hub's operator would, against the running hub's data. */
async function revoke(token: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'src/hub/cli.ts', 'revoke', token, '--data', hub.dataDir],
    { env: { ...process.env, HUB_SECRET: TEST_SECRET } },
  );
}

/** A curator's device that opens the library and joins `collection` with an invite. */
async function joinAs(browser: Browser, url: string, invite: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const library = new LibraryPage(page);
  await library.ready();
  const sync = new SyncSettings(page);
  await sync.join(invite);
  await library.ready();
  return { context, page, library, sync };
}

/** Ana's device with one link in a collection shared through the hub; returns its id. */
async function sharedCollection(browser: Browser, url: string) {
  const ana = await browser.newContext();
  const page = await ana.newPage();
  await page.goto(url);
  const library = new LibraryPage(page);
  await library.ready();
  await library.addLink({ url: 'https://example.com/shared', title: 'A shared link' });
  const sync = new SyncSettings(page);
  const collection = await sync.collectionId();
  const invite = (
    member: string,
    role: Role = 'editor',
    token = tokenFor(collection, role, member),
  ) => formatInvite({ hub: hub.url, collection, token });
  await sync.join(invite('Ana'));
  await sync.synced();
  return { ana, collection, invite };
}

test('a reader sees the collection read-only, with a line saying why', async ({ browser, app }) => {
  const { ana, invite } = await sharedCollection(browser, app.url);
  const cy = await joinAs(browser, app.url, invite('Cy', 'reader'));
  await cy.sync.synced();
  const { library, page } = cy;
  await library.openView('All');
  await expect(library.row('A shared link')).toBeVisible();
  await expect(page.getByRole('note')).toContainText(
    'You can read this collection but not change it',
  );
  await expect(page.getByRole('button', { name: 'Add link' })).toBeDisabled();
  await library.select('A shared link');
  await expect(library.detail.button('Mark as read')).toBeDisabled();
  await expect(library.detail.button('Move to Trash')).toBeDisabled();
  await expect(library.detail.tagInput).toBeHidden();
  await expect(library.detail.note).toHaveAttribute('contenteditable', 'false');
  // Keys that would change something say why instead.
  await library.list.focus();
  await page.keyboard.press('r');
  await expect(library.toast).toContainText('your invite is a reader’s');
  await page.keyboard.press('a');
  await expect(page.getByRole('dialog', { name: 'Add link' })).toHaveCount(0);
  // Nothing is waiting for the hub, now or later.
  await expect(cy.sync.status).toHaveAccessibleName('Sync: Synced');
  await ana.close();
  await cy.context.close();
});

test('a note one maintainer starts shows in the other’s open editor, and both type into it', async ({
  browser,
  app,
}) => {
  const { ana, invite } = await sharedCollection(browser, app.url);
  const anaPage = ana.pages()[0]!;
  await new SyncSettings(anaPage).close();
  const ben = await joinAs(browser, app.url, invite('Ben'));
  await ben.sync.synced();
  const libA = new LibraryPage(anaPage);
  for (const library of [libA, ben.library]) {
    await library.openView('All');
    await library.select('A shared link');
  }
  // Ben's editor has no text to edit yet; Ana's first words start one, and his editor takes it up.
  await libA.detail.writeNote('Ana starts.');
  await expect(ben.library.detail.note).toContainText('Ana starts.');
  await ben.library.detail.note.press('ControlOrMeta+End');
  await ben.library.detail.note.pressSequentially(' Ben adds.');
  await expect(libA.detail.note).toContainText('Ana starts. Ben adds.');
  await ana.close();
  await ben.context.close();
});

test('an editor whose invite is revoked is told access was withdrawn, not offline', async ({
  browser,
  app,
}) => {
  const { ana, collection, invite } = await sharedCollection(browser, app.url);
  const token = tokenFor(collection, 'editor', 'Ben');
  const ben = await joinAs(browser, app.url, invite('Ben', 'editor', token));
  await ben.sync.synced();
  await expect(ben.page.getByRole('button', { name: 'Add link' })).toBeEnabled();
  await revoke(token);
  await expect(ben.sync.status).toHaveAccessibleName(
    'Sync: Your access to this collection was withdrawn',
  );
  await expect(ben.page.getByRole('note')).toContainText(
    'Your access to this collection was withdrawn',
  );
  await expect(ben.page.getByRole('button', { name: 'Add link' })).toBeDisabled();
  await ana.close();
  await ben.context.close();
});

test('an invite to a ws:// hub on another machine is not joined unless the person accepts the risk', async ({
  browser,
  app,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await LibraryPage.open(page, app.url);
  const sync = new SyncSettings(page);
  const collection = await sync.collectionId();
  const token = tokenFor(collection, 'editor', 'Ana');
  const hub = 'ws://hub.example.org:4455';
  await sync.join(formatInvite({ hub, collection, token }));
  const warning = page.getByRole('alert');
  await expect(warning).toContainText(`connects to ${hub} without encryption`);
  await expect(page.getByRole('button', { name: 'Join without encryption' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(warning).toBeHidden();
  await expect(page.getByText('This collection is only on this device.')).toBeVisible();
  await context.close();
});

test('an expired invite says it expired', async ({ browser, app }) => {
  const { ana, collection, invite } = await sharedCollection(browser, app.url);
  const expired = mintToken({
    collection,
    member: 'Dee',
    role: 'editor',
    ttlSeconds: 60,
    secret: TEST_SECRET,
    now: Date.now() - 3_600_000,
  }).token;
  const dee = await joinAs(browser, app.url, invite('Dee', 'editor', expired));
  await expect(dee.sync.status).toHaveAccessibleName(
    'Sync: Your access to this collection expired',
  );
  await expect(dee.page.getByRole('note')).toContainText('Your access to this collection expired');
  await ana.close();
  await dee.context.close();
});

test('the longest sync statuses fit the sidebar at the narrowest and widest window, light and dark', async ({
  browser,
  app,
}, testInfo) => {
  const { ana, collection, invite } = await sharedCollection(browser, app.url);
  const token = tokenFor(collection, 'editor', 'Ben');
  const ben = await joinAs(browser, app.url, invite('Ben', 'editor', token));
  await ben.sync.synced();
  const { page, library } = ben;
  const sidebar = page.locator('.app__sidebar');

  /** The status stays inside the sidebar, nothing in the footer overflows, at each size and theme. */
  const fits = async (name: string) => {
    for (const [width, height] of [
      [720, 480],
      [2560, 1440],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const status = await ben.sync.status.boundingBox();
        const box = await sidebar.boundingBox();
        expect(status && box).toBeTruthy();
        expect(status!.x + status!.width).toBeLessThanOrEqual(box!.x + box!.width);
        expect(status!.y + status!.height).toBeLessThanOrEqual(box!.y + box!.height);
        const overflowing = await page
          .locator('.app__footer')
          .evaluate((footer) => footer.scrollWidth > footer.clientWidth);
        expect(overflowing).toBe(false);
        const path = testInfo.outputPath(`sync-status-${name}-${width}-${scheme}.png`);
        await page.screenshot({ path });
        await testInfo.attach(`${name} ${width}×${height} ${scheme}`, {
          path,
          contentType: 'image/png',
        });
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  };

  // Twelve changes made offline: marking read writes one each time (marking unread only deletes).
  await ben.context.setOffline(true);
  await expect(ben.sync.status).toHaveAccessibleName(/^Sync: Offline/, { timeout: 15_000 });
  await library.openView('All');
  await library.select('A shared link');
  await library.list.focus();
  for (let i = 0; i < 23; i++) await page.keyboard.press('r');
  await expect(ben.sync.status).toHaveAccessibleName(
    'Sync: Offline · 12 changes not on the hub yet',
  );
  await fits('pending');

  await revoke(token);
  await ben.context.setOffline(false);
  await expect(ben.sync.status).toHaveAccessibleName(
    'Sync: Your access to this collection was withdrawn',
    { timeout: 15_000 },
  );
  await fits('withdrawn');
  await ana.close();
  await ben.context.close();
});
