// Import, export and backups end to end in web mode: files read through the preview and
// committed only on confirm, a cancel half-way, Undo import, an export read back, and a library
// brought back from the data folder after the browser's storage is gone.
import { readFile, writeFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { ImportDialog, ImportExportSettings, dropFile } from './pages/ImportExport';
import { LibraryPage } from './pages/LibraryPage';
import { openCollectionDb } from './support/collection-db';

const FIXTURES = new URL('./fixtures/imports/', import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;

async function openLibrary(page: Page, url: string): Promise<LibraryPage> {
  await page.goto(url);
  const library = new LibraryPage(page);
  await library.ready();
  return library;
}

/** A Netscape file as Chrome writes it, with `count` links in folders of 1,000. */
function bigBookmarksFile(count: number): string {
  const lines = ['<!DOCTYPE NETSCAPE-Bookmark-file-1>', '<TITLE>Bookmarks</TITLE>', '<DL><p>'];
  for (let i = 0; i < count; i++) {
    if (i % 1000 === 0) {
      if (i) lines.push('</DL><p>');
      lines.push(`<DT><H3 ADD_DATE="1700000000">Folder ${i / 1000}</H3>`, '<DL><p>');
    }
    lines.push(
      `<DT><A HREF="https://example.com/posts/${i}" ADD_DATE="${1700000000 + i}">Post ${i}</A>`,
    );
  }
  lines.push('</DL><p>', '</DL><p>');
  return lines.join('\n');
}

/** Writes a bookmarks file of `count` links at `path` and chooses it in the Import dialog. */
async function chooseBigFile(page: Page, path: string, count: number) {
  await writeFile(path, bigBookmarksFile(count));
  const settings = new ImportExportSettings(page);
  const dialog = await settings.openImport();
  await dialog.choose(path);
  return { settings, dialog };
}

// Undo import and Restore from backup write backups into the data folder first: a server of their
// own keeps other specs' empty libraries free of a restore offer.
test.describe('with a data folder of its own', () => {
  test.use({ freshServer: true });

  test('imports a bookmarks file through its preview, and Undo import takes back only what it added', async ({
    page,
    app,
  }) => {
    const library = await openLibrary(page, app.url);
    await library.addLink({
      url: 'https://jepsen.io/analyses/etcd-3.4.3',
      title: 'Jepsen: etcd 3.4.3',
    });
    const settings = new ImportExportSettings(page);
    const dialog = await settings.openImport();
    await dialog.choose(fixture('firefox-bookmarks.html'));

    await dialog.expectCounts(3, 1, 2);
    await expect(dialog.root).toContainText('line 14: "javascript:void');
    await expect(dialog.root).toContainText('line 26: "place:parent=menu');
    await dialog.button('Import 3 links').click();
    await expect(dialog.root).toBeHidden();
    await expect(library.toast).toContainText('Imported 3 links');
    await settings.close();

    await library.openView('All');
    await expect(library.rows()).toHaveCount(4);
    await library.openView('raft');
    await expect(library.rows()).toHaveCount(1);
    await library.select('In Search of an Understandable Consensus Algorithm');
    await expect(library.detail.root).toContainText('read "Figure 2" twice');
    await library.openView('consensus');
    await expect(library.rows()).toHaveCount(2);

    await settings.open();
    const record = settings.pastImport('firefox-bookmarks.html');
    await expect(record).toContainText('3 links new');
    await record.getByRole('button', { name: 'Undo import' }).click();
    await expect(library.toast).toContainText('Import undone: 3 links removed');
    await expect(record).toContainText('Undone');
    await settings.close();
    await library.openView('All');
    await expect(library.rows()).toHaveCount(1);
    await expect(library.row('Jepsen: etcd 3.4.3')).toBeVisible();
  });

  test('imports a Pocket CSV dropped on the window, keeps read state, and undoes it from the toast', async ({
    page,
    app,
  }) => {
    const library = await openLibrary(page, app.url);
    const csv = await readFile(fixture('pocket-part_000000.csv'), 'utf8');
    await dropFile(page, 'part_000000.csv', csv, 'text/csv');

    const importing = new ImportDialog(page);
    await importing.expectCounts(3, 0, 1);
    await expect(importing.root).toContainText('line 5: the url column is empty');
    await importing.button('Import 3 links').click();
    await expect(library.toast).toContainText('Imported 3 links');

    await expect(library.rows()).toHaveCount(2);
    await expect(library.row('The "Tail at Scale"')).toBeVisible();
    await library.openView('Read');
    await expect(library.row('Notes on Distributed Systems for Young Bloods')).toBeVisible();
    await library.openView('consistency');
    await expect(library.row('Designing Data-Intensive Applications, Chapter 9')).toBeVisible();

    await library.toast.getByRole('button', { name: 'Undo import' }).click();
    await expect(library.toast).toContainText('Import undone: 3 links removed');
    await library.openView('All');
    await expect(library.rows()).toHaveCount(0);
  });

  test('a backup brings everything back once the browser storage is gone', async ({
    page,
    app,
    browser,
  }) => {
    const library = await openLibrary(page, app.url);
    const settings = new ImportExportSettings(page);
    const dialog = await settings.openImport();
    await dialog.choose(fixture('pocket-part_000000.csv'));
    await dialog.button('Import 3 links').click();
    await expect(dialog.root).toBeHidden();
    await settings.close();
    await library.select('The "Tail at Scale"');
    await library.detail.writeNote('Hedged requests, and why p99 matters');
    await library.saved();

    await settings.open();
    await settings.settings.getByRole('button', { name: 'Back up now' }).click();
    await expect(library.toast).toContainText('Backed up 3 links');
    await settings.close();

    // Another browser profile against the same data folder: its storage holds nothing.
    const wiped = await browser.newContext();
    const fresh = await openLibrary(await wiped.newPage(), app.url);
    await expect(fresh.rows()).toHaveCount(0);
    await fresh.page.getByRole('button', { name: 'Restore from backup' }).click();
    const restore = fresh.page.getByRole('dialog', { name: 'Restore from backup' });
    await restore.getByRole('button', { name: /^Restore .+ from / }).click();

    await fresh.ready();
    await expect(fresh.rows()).toHaveCount(2);
    await fresh.select('The "Tail at Scale"');
    await expect(fresh.detail.root).toContainText('Hedged requests, and why p99 matters');
    await fresh.openView('Read');
    await expect(fresh.row('Notes on Distributed Systems for Young Bloods')).toBeVisible();
    await fresh.openView('books');
    await expect(fresh.rows()).toHaveCount(1);
    await wiped.close();
  });
});

test('cancelling an import half-way leaves the library as it was', async ({
  page,
  app,
}, testInfo) => {
  const library = await openLibrary(page, app.url);
  const { settings, dialog } = await chooseBigFile(page, testInfo.outputPath('big.html'), 100_000);

  // Under way: the reader has reported progress, and has not finished.
  await expect(dialog.progress).toBeVisible();
  await expect
    .poll(() => dialog.progress.evaluate((bar: HTMLProgressElement) => bar.value))
    .toBeGreaterThan(0);
  await dialog.button('Cancel').click();
  await expect(dialog.file).toBeVisible();
  await expect(dialog.counts).toHaveCount(0);
  await dialog.button('Close').click();
  await settings.close();

  await library.openView('All');
  await expect(library.rows()).toHaveCount(0);
  await page.reload();
  await library.ready();
  await library.openView('All');
  await expect(library.rows()).toHaveCount(0);
});

/** How many rows of the collection's update log are snapshot parts, and how many are not. */
async function logRows(page: Page): Promise<{ snapshot: number; other: number }> {
  const handle = await openCollectionDb(page);
  const counts = await handle.evaluate(async ({ db, request }) => {
    const rows = await request(db.transaction('updates').objectStore('updates').getAll());
    db.close();
    const snapshot = rows.filter((row: { snapshot?: true }) => row.snapshot).length;
    return { snapshot, other: rows.length - snapshot };
  });
  await handle.dispose();
  return counts;
}

test('a large import is compacted on a worker, and the library opens again from its snapshot', async ({
  page,
  app,
}, testInfo) => {
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  const library = await openLibrary(page, app.url);
  // About 3 MB of updates: over the log's 2 MB, so the import's row is compacted at once.
  const { settings, dialog } = await chooseBigFile(page, testInfo.outputPath('big.html'), 10_000);
  await dialog.button('Import 10,000 links').click();
  await expect(dialog.root).toBeHidden();
  await settings.close();
  await library.saved();
  await expect
    .poll(() => logRows(page), { timeout: 60_000 })
    .toEqual({ snapshot: expect.any(Number), other: 0 });
  expect((await logRows(page)).snapshot).toBeGreaterThan(1);
  expect(workers.some((url) => url.includes('compaction'))).toBe(true);

  await page.reload();
  await library.ready();
  await library.searchFor('"Post 9999"');
  await expect(library.rows().filter({ hasText: 'Post 9999' })).toHaveCount(1);
});

test('exports the library as bookmarks HTML that Curio reads back', async ({ page, app }) => {
  const library = await openLibrary(page, app.url);
  await library.addLink({ url: 'https://aphyr.com/posts/313', title: 'Strong consistency models' });
  const settings = new ImportExportSettings(page);
  const dialog = await settings.openExport();
  await dialog.getByLabel('Format').selectOption({ label: 'Bookmarks HTML' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Export', exact: true }).click(),
  ]);
  const html = await readFile((await download.path())!, 'utf8');
  expect(html).toContain('<!DOCTYPE NETSCAPE-Bookmark-file-1>');
  expect(html).toContain('HREF="https://aphyr.com/posts/313"');
  expect(html).toContain('>Strong consistency models</A>');
});
