// A large library's search index is kept between sessions: the next opening reads it back
// instead of indexing every link again. The test proves the read by editing the stored index
// behind the app's back: a word that exists only there finds its link after a reload.
import { expect, test } from './support/fixtures';
import type { Page } from '@playwright/test';
import { LibraryPage } from './pages/LibraryPage';
import { indexStored } from './support/search-index';
import { seedCollection } from './support/seed-collection';

/** Above the size from which the worker keeps its index (search-service.ts). */
const LINKS = 1_500;
const PLANTED = 'quokkanomicon';

/** Renames, in the stored index, one word that only one link has, and says which link. */
function plantWord(page: Page): Promise<string | null> {
  return page.evaluate(
    (planted) =>
      new Promise<string | null>((resolve, reject) => {
        const open = indexedDB.open('curio-search');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('indexes', 'readwrite');
          const store = tx.objectStore('indexes');
          const keys = store.getAllKeys();
          const values = store.getAll();
          let plantedIn: string | null = null;
          tx.oncomplete = () => {
            db.close();
            resolve(plantedIn);
          };
          values.onsuccess = () => {
            const record = values.result[0] as { index: string } | undefined;
            if (!record) return;
            const index = JSON.parse(record.index) as {
              documentIds: Record<string, string>;
              index: [string, Record<string, Record<string, number>>][];
            };
            const entry = index.index.find(([term, fields]) => {
              const docs = new Set(Object.values(fields).flatMap((f) => Object.keys(f)));
              return term.length >= 6 && /^[a-z]+$/.test(term) && docs.size === 1;
            })!;
            const shortId = Object.keys(Object.values(entry[1])[0]!)[0]!;
            plantedIn = index.documentIds[shortId]!;
            entry[0] = planted;
            store.put({ ...record, index: JSON.stringify(index) }, keys.result[0]);
          };
        };
      }),
    PLANTED,
  );
}

test('a large library opens with the search index it had, not a new one', async ({ page }) => {
  test.setTimeout(180_000);
  const library = await LibraryPage.open(page, '/');
  const seeded = await seedCollection(page, LINKS);
  await page.reload();
  await library.ready();
  await expect(library.list).toHaveAttribute('aria-rowcount', String(LINKS), { timeout: 60_000 });

  // The worker stores its index once the library has been quiet for a moment.
  await expect.poll(() => indexStored(page), { timeout: 60_000 }).toBe(true);
  const plantedIn = (await plantWord(page))!;
  const link = seeded.rows.find((row) => row.id === plantedIn)!;
  expect(link).toBeDefined();

  await page.reload();
  await library.ready();
  await library.searchFor(PLANTED);
  await expect(library.row(link.title)).toBeVisible();
  const other = seeded.rows.find((row) => row.id !== plantedIn)!;
  await library.searchFor(other.title);
  await expect(library.row(other.title)).toBeVisible();
});
