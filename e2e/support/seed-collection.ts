// A large collection seeded into the app's own IndexedDB, as the app would have stored it: built
// with the app's mutations (the synthetic corpus, a third of the links with a note), written as
// compaction leaves the log. Benchmarks and browser tests open it from there like any collection.
import type { Page } from '@playwright/test';
import { ROWS_VERSION, materializeAll } from '../../src/shared/collection';
import type { ItemRow, Member } from '../../src/shared/model';
import type { UpdateRow } from '../../src/renderer/data/db';
import { encodeSnapshot } from '../../src/renderer/data/persistence';
import { STATUS_COUNTS_KEY, countRows } from '../../src/renderer/data/status-counts';
import { buildCorpus } from './corpus';

/** A collection of `count` items built with the same mutations the app uses. */
function buildCollection(
  me: Member,
  count: number,
): { snapshot: UpdateRow[]; rows: ItemRow[]; words: string[] } {
  const { doc, words } = buildCorpus(me, count);
  return { snapshot: encodeSnapshot(doc), rows: materializeAll(doc, me.id), words };
}

/** The collection's identity as this page's app created it: the current collection and "me". */
async function pageIdentity(page: Page): Promise<{ me: Member; collection: string }> {
  return page.evaluate(
    () =>
      new Promise<{ me: Member; collection: string }>((resolve, reject) => {
        const open = indexedDB.open('curio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('settings');
          const store = tx.objectStore('settings');
          const me = store.get('me');
          const current = store.get('currentCollection');
          tx.oncomplete = () => resolve({ me: me.result.value, collection: current.result.value });
        };
      }),
  );
}

/** Rows per page.evaluate while seeding: small enough that no single call holds the collection. */
const SEED_CHUNK = 5_000;
/** Bytes of snapshot parts per page.evaluate. */
const UPDATE_CHUNK = 4_000_000;

/**
 * Writes the collection into the app's IndexedDB exactly as the app's own update log would after
 * compaction (the snapshot's parts, the items table, its status counts, and the markers saying
 * they match), in chunks, so that 100,000 items never pass through one page.evaluate.
 */
export async function seedCollection(page: Page, items: number): Promise<SeededCollection> {
  const ident = await pageIdentity(page);
  const { snapshot, rows, words } = buildCollection(ident.me, items);
  const write = (stage: { clear: boolean; rows: ItemRow[]; update: boolean }) =>
    page.evaluate(
      ({ collection, stage, rowsVersion, counts }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(`curio-collection-${collection}`);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction(['updates', 'items', 'meta'], 'readwrite');
            if (stage.clear) {
              tx.objectStore('updates').clear();
              tx.objectStore('items').clear();
              tx.objectStore('meta').delete('materialisedSeq');
              tx.objectStore('meta').delete(counts.key);
            }
            for (const row of stage.rows) tx.objectStore('items').put(row);
            if (stage.update) {
              const w = window as unknown as { __seedRows: UpdateRow[] };
              const updates = tx.objectStore('updates');
              const added = w.__seedRows.map((row) => updates.add(row));
              w.__seedRows = [];
              added.at(-1)!.onsuccess = () => {
                tx.objectStore('meta').put({ key: 'materialisedSeq', value: added.at(-1)!.result });
                tx.objectStore('meta').put({ key: 'rowsVersion', value: rowsVersion });
                tx.objectStore('meta').put(counts);
              };
            }
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      {
        collection: ident.collection,
        stage,
        rowsVersion: ROWS_VERSION,
        counts: { key: STATUS_COUNTS_KEY, value: countRows(rows) },
      },
    );
  for (let at = 0; at < rows.length || at === 0; at += SEED_CHUNK)
    await write({ clear: at === 0, rows: rows.slice(at, at + SEED_CHUNK), update: false });
  await page.evaluate(() => ((window as unknown as { __seedRows: UpdateRow[] }).__seedRows = []));
  for (let at = 0; at < snapshot.length;) {
    const batch: string[] = [];
    for (let bytes = 0; at < snapshot.length && bytes < UPDATE_CHUNK; at++) {
      batch.push(Buffer.from(snapshot[at]!.data).toString('base64'));
      bytes += snapshot[at]!.data.byteLength;
    }
    await page.evaluate((parts) => {
      const rows = (window as unknown as { __seedRows: UpdateRow[] }).__seedRows;
      for (const b64 of parts) {
        const binary = atob(b64);
        const data = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
        rows.push({ data, format: 2, snapshot: true });
      }
    }, batch);
  }
  await write({ clear: false, rows: [], update: true });
  return { collection: ident.collection, words, rows };
}

export interface SeededCollection {
  /** The collection's id: its database is `curio-collection-<id>`. */
  collection: string;
  words: string[];
  rows: ItemRow[];
}
