// How many rows of each status the items table holds, kept in the meta table beside it. Counting
// an index in IndexedDB walks every entry in its range (about a second for 100,000 unread links),
// so the first screen reads the kept counts instead. Every transaction that writes the items table
// writes them too, so they never disagree with it; where they are missing (a table written before
// they were kept) or unreadable, the first screen counts the indexes once and keeps the result.
import Dexie from 'dexie';
import type { ItemRow, ItemStatus } from '../../shared/model';
import type { CollectionDb } from './db';

export const STATUS_COUNTS_KEY = 'statusCounts';

export type StatusCounts = Record<ItemStatus, number>;

const STATUSES: readonly ItemStatus[] = ['unread', 'read', 'trash'];

/**
 * A batch changing more rows than this is counted again from the indexes rather than adjusted by
 * reading each changed row's previous status: reading 2,000 rows takes about as long as counting.
 */
export const ADJUSTED_CHANGES_MAX = 2_000;

export function countRows(rows: Iterable<ItemRow>): StatusCounts {
  const counts: StatusCounts = { unread: 0, read: 0, trash: 0 };
  for (const row of rows) counts[row.status] += 1;
  return counts;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The kept counts; null when there are none, or what is kept is not three counts. */
export async function keptStatusCounts(db: CollectionDb): Promise<StatusCounts | null> {
  const value = (await db.meta.get(STATUS_COUNTS_KEY))?.value;
  if (typeof value !== 'object' || value === null) return null;
  const kept = value as Partial<Record<ItemStatus, unknown>>;
  if (!STATUSES.every((status) => isCount(kept[status]))) return null;
  return { unread: kept.unread, read: kept.read, trash: kept.trash } as StatusCounts;
}

/** The rows of one status, oldest first, by the items table's `[status+addedAt]` index. */
export function rowsOfStatus(db: CollectionDb, status: ItemStatus) {
  return db.items.where('[status+addedAt]').between([status, Dexie.minKey], [status, Dexie.maxKey]);
}

/** Counts the `[status+addedAt]` index, status by status. Call it inside a transaction. */
export async function countIndexes(db: CollectionDb): Promise<StatusCounts> {
  const [unread, read, trash] = await Promise.all(
    STATUSES.map((status) => rowsOfStatus(db, status).count()),
  );
  return { unread: unread!, read: read!, trash: trash! };
}

/**
 * Counts the indexes and keeps the counts, in one transaction of its own so that they match the
 * rows as they are when it runs.
 */
export function keepCountedStatuses(db: CollectionDb): Promise<void> {
  return db.transaction('rw', db.items, db.meta, async () => {
    await db.meta.put({ key: STATUS_COUNTS_KEY, value: await countIndexes(db) });
  });
}

/**
 * Keeps the counts in step with a batch about to be written to the items table: `changes` maps
 * each id to its new row, or to null for a row removed. Call it inside the batch's transaction,
 * before the rows are written; it returns the write that keeps the counts, to be made after them.
 * With no counts kept, none are made here (the first screen makes them); a large batch is counted
 * afresh once it is written.
 */
export async function keepStatusCounts(
  db: CollectionDb,
  changes: ReadonlyMap<string, ItemRow | null>,
): Promise<() => Promise<void>> {
  const kept = await keptStatusCounts(db);
  const put = async (counts: StatusCounts) => {
    await db.meta.put({ key: STATUS_COUNTS_KEY, value: counts });
  };
  if (!kept) return async () => {};
  if (changes.size > ADJUSTED_CHANGES_MAX) return async () => put(await countIndexes(db));
  const ids = [...changes.keys()];
  const before = await db.items.bulkGet(ids);
  const counts = { ...kept };
  before.forEach((row, i) => {
    if (row) counts[row.status] -= 1;
    const after = changes.get(ids[i]!);
    if (after) counts[after.status] += 1;
  });
  return () => put(counts);
}
