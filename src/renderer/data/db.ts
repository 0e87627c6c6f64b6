// What this device stores, and where. Each collection has its own IndexedDB database:
//   updates  the Yjs update log: every change is appended here (strict durability) before the UI
//            calls it saved; compacted into one snapshot row as it grows. The source of truth.
//   items    rows materialised from the document, kept in step in the same transaction as the
//            log, indexed for the list views so the first screen paints before the log replays.
//   meta     bookkeeping (which log row the items table reflects).
//   outbox   publishing jobs (./outbox): written before any network call, kept after they finish
//            so the curator can see what went out and retry what did not.
//   unfurls  links whose title or description is still to be fetched from their page
//            (./unfurl-queue), with how often that failed and when to try again.
//   conversations  likes, reposts and replies of each pick's Bluesky post, as last read from
//            the AppView (features/conversation), for reading offline and sorting by replies.
//   snapshots, articleBodies, articleImages   articles kept for reading offline (./snapshots)
//   articleQueue  links whose article is still to be fetched again, or could not be (./snapshots-queue)
// One app-wide database holds local settings and the list of collections on this device.
import Dexie, { type EntityTable, type IndexableType, type Table } from 'dexie';
import type { ItemRow, Member } from '../../shared/model';
import type { Conversation } from '../../shared/publish/conversation';
import type { OutboxRow } from './outbox';
import type { ArticleBodyRow, ArticleImageRow, SnapshotMeta } from './snapshots';
import type { ArticleQueueRow } from './snapshots-queue';

export interface UpdateRow {
  seq?: number;
  data: Uint8Array;
  /**
   * Yjs's update encoding: 2 for snapshots and for updates appended while the collection is not
   * shared; absent for the first encoding (updates appended while a hub connection listens to it,
   * rows written by earlier versions, restored backups).
   */
  format?: 2;
  /**
   * Marks the rows of a compaction snapshot, written as a sequence of parts (see
   * snapshot-parts.ts); the rows after them are updates appended since.
   */
  snapshot?: true;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export interface UnfurlRow {
  /** The item's id. */
  id: string;
  url: string;
  /** Failed tries so far. */
  attempts: number;
  /** Not asked again before this time (ms since the epoch). */
  dueAt: number;
  /** Why the last try failed. */
  error: string | null;
}

export interface ConversationRow {
  /** The pick's item id. */
  itemId: string;
  /** The post's AT URI the conversation was read for. */
  uri: string;
  /** Replies the AppView counted (0 until read): what "most replies first" sorts on. */
  replies: number;
  conversation: Conversation | null;
  /** Why the last read failed, or null. */
  error: string | null;
  /** When the AppView was last asked (ms). */
  checkedAt: number;
}

export class CollectionDb extends Dexie {
  updates!: EntityTable<UpdateRow, 'seq'>;
  items!: EntityTable<ItemRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  outbox!: EntityTable<OutboxRow, 'id'>;
  unfurls!: EntityTable<UnfurlRow, 'id'>;
  conversations!: EntityTable<ConversationRow, 'itemId'>;
  snapshots!: EntityTable<SnapshotMeta, 'id'>;
  articleBodies!: EntityTable<ArticleBodyRow, 'id'>;
  articleImages!: Dexie.Table<ArticleImageRow, [string, number]>;
  articleQueue!: EntityTable<ArticleQueueRow, 'id'>;

  constructor(
    collectionId: string,
    indexedDB?: IDBFactory,
    IDBKeyRange?: typeof globalThis.IDBKeyRange,
  ) {
    super(`curio-collection-${collectionId}`, {
      chromeTransactionDurability: 'strict',
      ...(indexedDB && IDBKeyRange ? { indexedDB, IDBKeyRange } : {}),
    });
    this.version(1).stores({
      updates: '++seq',
      items: 'id, addedAt, [status+addedAt], *tags',
      meta: 'key',
    });
    this.version(2).stores({ outbox: 'id, createdAt' });
    this.version(3).stores({ unfurls: 'id' });
    this.version(4).stores({
      snapshots: 'id',
      articleBodies: 'id',
      articleImages: '[id+index], id',
      articleQueue: 'id',
    });
    this.version(5).stores({ conversations: 'itemId' });
    // The list views read rows by status and date only; every other index made each written row
    // cost more (a 100,000-link import wrote 400,000 index entries, now 100,000).
    this.version(6).stores({ items: 'id, [status+addedAt]' });
  }
}

export interface CollectionEntry {
  id: string;
  name: string;
  createdAt: number;
  /** Sync settings, once the collection is shared through a hub. */
  hub?: { url: string; token: string } | null;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export class AppDb extends Dexie {
  settings!: EntityTable<SettingRow, 'key'>;
  collections!: EntityTable<CollectionEntry, 'id'>;

  constructor(indexedDB?: IDBFactory, IDBKeyRange?: typeof globalThis.IDBKeyRange) {
    super('curio', indexedDB && IDBKeyRange ? { indexedDB, IDBKeyRange } : {});
    this.version(1).stores({ settings: 'key', collections: 'id, createdAt' });
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.settings.get(key))?.value as T | undefined;
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    await this.settings.put({ key, value });
  }
}

export type { Member };

/**
 * A table's rows in primary-key order, `perRead` a request, each request's rows handed to `each`
 * before the next is asked for. Each request's rows are copied into the window in a task of their
 * own, so a large table is read without one long task.
 */
export async function readInPages<T, K, I>(
  table: Table<T, K, I>,
  keyOf: (row: T) => IndexableType,
  perRead: number,
  each: (rows: T[]) => void | Promise<void>,
): Promise<void> {
  for (let last: IndexableType | undefined; ;) {
    const rows = await (
      last === undefined ? table.limit(perRead) : table.where(':id').above(last).limit(perRead)
    ).toArray();
    if (rows.length) await each(rows);
    if (rows.length < perRead) return;
    last = keyOf(rows.at(-1)!);
  }
}
