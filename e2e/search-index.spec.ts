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
            type Compact = {
              shortIds: Uint32Array;
              documentIds: string[];
              terms: string[];
              postings: Uint8Array;
            };
            const record = values.result[0] as { index: Compact } | undefined;
            if (!record) return;
            const { shortIds, documentIds, terms, postings } = record.index;
            // Each word's postings, as varints: its field count, then per field its id, its
            // document count and that many pairs of short id (the zigzag difference from the
            // one before) and frequency (ranked.ts).
            let at = 0;
            const next = () => {
              let value = 0;
              for (let scale = 1; ; scale *= 0x80) {
                const byte = postings[at++]!;
                value += (byte & 0x7f) * scale;
                if (byte < 0x80) return value;
              }
            };
            const words: { term: string; postings: Uint8Array; docs: Set<number> }[] = [];
            for (const term of terms) {
              const start = at;
              const docs = new Set<number>();
              for (let fields = next(); fields > 0; fields--) {
                next();
                let doc = 0;
                for (let count = next(); count > 0; count--) {
                  const step = next();
                  doc += step % 2 ? -(step + 1) / 2 : step / 2;
                  docs.add(doc);
                  next();
                }
              }
              words.push({ term, postings: postings.slice(start, at), docs });
            }
            const word = words.find(
              (w) => w.term.length >= 6 && /^[a-z]+$/.test(w.term) && w.docs.size === 1,
            )!;
            const shortId = [...word.docs][0]!;
            plantedIn = documentIds[shortIds.indexOf(shortId)]!;
            word.term = planted;
            // The words stay in code-unit order, as the worker reads them.
            words.sort((a, b) => (a.term < b.term ? -1 : 1));
            const merged = new Uint8Array(postings.length);
            let written = 0;
            for (const w of words) {
              merged.set(w.postings, written);
              written += w.postings.length;
            }
            const index = { ...record.index, terms: words.map((w) => w.term), postings: merged };
            store.put({ ...record, index }, keys.result[0]);
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
