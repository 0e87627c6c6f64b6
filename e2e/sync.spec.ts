// Two maintainers in two browser contexts (two devices) sharing one collection through a real
// hub process: live edits, presence, and offline edits that merge on reconnect.
import { rm } from 'node:fs/promises';
import { formatInvite } from '../src/shared/model';
import { spawnHub, tempDataDir, tokenFor, type HubProcess } from '../src/hub/test-kit';
import { expect, test } from './support/fixtures';
import { LibraryPage } from './pages/LibraryPage';
import { SyncSettings } from './pages/SyncSettings';

let hub: HubProcess;
let dataDir: string;
test.beforeAll(async () => {
  dataDir = tempDataDir();
  hub = await spawnHub(dataDir);
});
test.afterAll(async () => {
  await hub.stop();
  await rm(dataDir, { recursive: true, force: true });
});

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
  const invite = (member: string) =>
    formatInvite({ hub: hub.url, collection, token: tokenFor(collection, 'editor', member) });
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
