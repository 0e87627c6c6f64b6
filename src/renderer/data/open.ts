// Opening the app's data: which collection, who "me" is on this device, and the collection's
// library, with the first screen of rows read from the items table before the log replays.
import { nextTid, type Member } from '../../shared/model';
import { AppDb, CollectionDb, readInPages, type CollectionEntry } from './db';
import { LocalLibrary } from './library';
import { rowsAreCurrent } from './persistence';
import { GatheredRows, RowStore } from './rows';
import { OfflineSettingsStore } from './snapshots-settings';
import { countIndexes, keepCountedStatuses, keptStatusCounts, rowsOfStatus } from './status-counts';
import { createSearchBackend, searchIndexKey, type SearchBackend } from './search-client';
import { createArticleSearchBackend } from './search-articles';
import { guardUnsavedChanges } from './unsaved-changes';
import { getDesktopApi } from '../platform/desktop';
import { timeSlices } from './next-task';

export const DEFAULT_MEMBER_NAME = 'Curator';

const PALETTE = [
  '#2563eb',
  '#db2777',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#dc2626',
  '#0891b2',
  '#65a30d',
];

export function colorFor(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** This device's member identity: created on first run and kept in local settings. */
export async function loadMe(app: AppDb): Promise<Member> {
  const existing = await app.getSetting<Member>('me');
  if (existing) return existing;
  const id = nextTid();
  const me: Member = { id, name: DEFAULT_MEMBER_NAME, color: colorFor(id) };
  await app.putSetting('me', me);
  return me;
}

export async function currentCollection(app: AppDb): Promise<CollectionEntry> {
  const id = await app.getSetting<string>('currentCollection');
  const entry = id ? await app.collections.get(id) : undefined;
  if (entry) return entry;
  const first = await app.collections
    .orderBy('createdAt')
    .first()
    .catch(() => undefined);
  if (first) {
    await app.putSetting('currentCollection', first.id);
    return first;
  }
  const created: CollectionEntry = {
    id: nextTid(),
    name: 'My links',
    createdAt: Date.now(),
    hub: null,
  };
  await app.collections.put(created);
  await app.putSetting('currentCollection', created.id);
  return created;
}

export interface OpenedLibrary {
  app: AppDb;
  collection: CollectionEntry;
  library: LocalLibrary;
}

/**
 * Opens the current collection far enough to show it: rows from the items table, searchable.
 * The caller shows them, then calls `finishOpening` to replay the document behind them. From
 * here on the page does not unload while a change is still on its way to disk.
 */
export async function openLibrary(): Promise<OpenedLibrary> {
  // Started first: the worker loads while the collection is found, then reads its stored index
  // while the first screen is read.
  const search = createSearchBackend();
  try {
    const app = new AppDb();
    const offline = new OfflineSettingsStore(app);
    const [me, collection] = await Promise.all([
      loadMe(app),
      currentCollection(app),
      offline.load(),
    ]);
    search.open(searchIndexKey(collection.id));
    const db = new CollectionDb(collection.id);
    const store = new RowStore();
    await showFirstScreen(db, store);
    return { app, collection, library: createLibrary(me, collection, db, store, search, offline) };
  } catch (error) {
    search.close();
    throw error;
  }
}

function createLibrary(
  me: Member,
  collection: CollectionEntry,
  db: CollectionDb,
  store: RowStore,
  search: SearchBackend,
  offline: OfflineSettingsStore,
): LocalLibrary {
  const library = LocalLibrary.create({
    collectionId: collection.id,
    me,
    db,
    store,
    search,
    articleSearch: createArticleSearchBackend(),
    hub: collection.hub ?? null,
    unfurl: { unfurl: (url) => getDesktopApi().unfurl(url) },
    articles: {
      snapshotArticle: (url, options) => getDesktopApi().snapshotArticle(url, options),
      settings: offline,
    },
  });
  // Only Electron's preload sets window.curio, and only Electron cancels a held close silently.
  guardUnsavedChanges(window, () => [library], { closeWhenSaved: window.curio !== undefined });
  return library;
}

/** How many rows of the first view are read before the first paint: more than fit on a screen. */
const FIRST_SCREEN = 80;

/**
 * Reads just the newest unread rows (the view the app opens on) and the size of each view as kept
 * beside the rows (status-counts.ts), which costs milliseconds however large the library is. It
 * only reads: a write would wait behind any other write to the collection's database. A table
 * without kept counts is counted from its indexes, and the counts are kept from then on.
 */
export async function showFirstScreen(db: CollectionDb, store: RowStore): Promise<void> {
  const first = await db.transaction('r', db.items, db.meta, async () => {
    if (!(await rowsAreCurrent(db))) return null;
    const [rows, kept] = await Promise.all([
      rowsOfStatus(db, 'unread').reverse().limit(FIRST_SCREEN).toArray(),
      keptStatusCounts(db),
    ]);
    return { rows, counts: kept ?? (await countIndexes(db)), counted: !kept };
  });
  if (!first) return;
  // A failure leaves the counting to the next opening.
  if (first.counted) void keepCountedStatuses(db).catch(() => {});
  const { unread, read, trash } = first.counts;
  if (unread + read + trash === 0) return;
  store.showFirstScreen(first.rows, first.counts);
}

/**
 * Rows per read: each request's rows are copied into the window in a task of their own, about
 * 50 ms for 1,000 rows at 100,000 links on a busy machine.
 */
const ROWS_PER_READ = 1_000;

/** How long gathering the rows may hold the window before it lets a frame through. */
const GATHER_SLICE_MS = 8;

/**
 * Every row of the items table, read a page at a time rather than in one task of seconds, and
 * gathered (keyed, counted, sorted) in slices between the reads.
 */
export async function readAllRows(
  db: CollectionDb,
  perRead = ROWS_PER_READ,
): Promise<GatheredRows> {
  const gathered = new GatheredRows(timeSlices(GATHER_SLICE_MS));
  await readInPages(
    db.items,
    (row) => row.id,
    perRead,
    (page) => gathered.add(page),
  );
  await gathered.finish();
  return gathered;
}

/** Reads every row, replays the document (actions meanwhile are queued), connects to the hub. */
export async function finishOpening({ collection, library }: OpenedLibrary): Promise<void> {
  const db = library.db;
  if (library.store.partial) library.showAllRows(await readAllRows(db));
  await library.load();
  if (collection.hub) library.connect(collection.hub);
}
