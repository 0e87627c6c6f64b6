// The Library the UI talks to: collection mutations bound to the local member, undo scoped to
// that member's own changes, rows in memory, and the search index kept in step.
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import {
  Materializer,
  addItem,
  addItems,
  addTags,
  deleteTag,
  emptyTrash,
  itemIdForUrl,
  maps,
  markRead,
  markUnread,
  moveToTrash,
  noteText,
  removeTags,
  renameTag,
  restoreFromTrash,
  setTags,
  updateItem,
  upsertMember,
  type Actor,
  type AddResult,
} from '../../shared/collection';
import { toSearchDoc } from '../../shared/search';
import type { ItemDraft, ItemPatch, ItemRow, Member } from '../../shared/model';
import type { CollectionDb } from './db';
import {
  UpdateLog,
  loadDocFromLog,
  reconcileRows,
  type CompactionPolicy,
  type LoadReport,
} from './persistence';
import { RowStore } from './rows';
import type { SearchBackend } from './search-client';
import { SyncConnection, type HubAddress } from './sync';
import type { Library, SearchHit } from './types';

/** Origin of the local member's own edits: the only ones undo reverts. */
const LOCAL = { local: true };
/** Origin of bookkeeping writes (member profile) that undo must not revert. */
const SYSTEM = { system: true };

class MemberList {
  private value: Member[] = [];
  private readonly listeners = new Set<() => void>();
  constructor(private readonly map: Y.Map<Member>) {
    this.refresh();
    map.observe(() => this.refresh());
  }
  private refresh(): void {
    this.value = [...this.map.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const l of this.listeners) l();
  }
  get = (): Member[] => this.value;
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export interface LocalLibraryOptions {
  collectionId: string;
  me: Member;
  db: CollectionDb;
  search: SearchBackend;
  /** Rows read from the items table before the log replays (first paint). */
  store?: RowStore;
  compaction?: CompactionPolicy;
}

export class LocalLibrary implements Library {
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  readonly store: RowStore;
  readonly members: MemberList;
  readonly collectionId: string;
  private member: Member;
  private readonly actor: Actor;
  private readonly undoManager: Y.UndoManager;
  private materializer!: Materializer;
  log!: UpdateLog;
  loadReport!: LoadReport;
  /** The hub connection, when this collection is shared. */
  sync: SyncConnection | null = null;
  private readonly syncListeners = new Set<() => void>();

  private constructor(private readonly opts: LocalLibraryOptions) {
    this.collectionId = opts.collectionId;
    this.member = opts.me;
    this.store = opts.store ?? new RowStore();
    this.actor = { memberId: opts.me.id, origin: LOCAL };
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState({
      user: { id: opts.me.id, name: opts.me.name, color: opts.me.color },
      itemId: null,
    });
    const m = maps(this.doc);
    this.undoManager = new Y.UndoManager([m.items, m.tags, m.reads], {
      trackedOrigins: new Set([LOCAL]),
      captureTimeout: 300,
    });
    this.members = new MemberList(m.members);
  }

  /** Replays the log, reconciles the items table, and starts persisting. */
  static async open(opts: LocalLibraryOptions): Promise<LocalLibrary> {
    const lib = new LocalLibrary(opts);
    const loaded = await loadDocFromLog(opts.db, lib.doc);
    lib.materializer = new Materializer(lib.doc, opts.me.id);
    const { rebuilt, rows } = await reconcileRows(opts.db, lib.materializer, loaded.lastSeq);
    if (rows || !lib.store.loaded) lib.store.reset(rows ?? lib.materializer.rows());
    lib.loadReport = { rows: loaded.rows, bytes: loaded.bytes, corrupt: loaded.corrupt, rebuilt };
    lib.log = new UpdateLog(opts.db, lib.doc, lib.materializer, loaded, opts.compaction);
    lib.materializer.subscribe((changes) => {
      lib.store.apply(changes);
      opts.search.upsert(changes.upserts.map(toSearchDoc));
      opts.search.remove(changes.removals);
    });
    opts.search.upsert(lib.store.all().map(toSearchDoc));
    upsertMember(lib.doc, opts.me, { memberId: opts.me.id, origin: SYSTEM });
    return lib;
  }

  get me(): Member {
    return this.member;
  }

  /** This collection's database on this device (the publishing outbox lives there too). */
  get db(): CollectionDb {
    return this.opts.db;
  }

  /** Changes how this member appears to others (name, colour); the caller stores it locally. */
  updateProfile(member: Member): void {
    this.member = member;
    this.awareness.setLocalStateField('user', {
      id: member.id,
      name: member.name,
      color: member.color,
    });
    upsertMember(this.doc, member, { memberId: member.id, origin: SYSTEM });
  }

  /** Each user action is its own undo step, however quickly the next one follows. */
  private act<T>(mutation: () => T): T {
    this.undoManager.stopCapturing();
    return mutation();
  }

  addLink(draft: ItemDraft): AddResult {
    return this.act(() => addItem(this.doc, draft, this.actor));
  }

  addLinks(drafts: ItemDraft[]): AddResult[] {
    return this.act(() => addItems(this.doc, drafts, this.actor));
  }

  findByUrl(url: string): ItemRow | null {
    let id: string;
    try {
      id = itemIdForUrl(url);
    } catch {
      return null;
    }
    return this.store.get(id) ?? this.materializer.row(id);
  }

  updateItem(id: string, patch: ItemPatch): void {
    this.act(() => updateItem(this.doc, id, patch, this.actor));
  }
  setTags(id: string, tags: string[]): void {
    this.act(() => setTags(this.doc, id, tags, this.actor));
  }
  addTags(ids: string[], tags: string[]): void {
    this.act(() => addTags(this.doc, ids, tags, this.actor));
  }
  removeTags(ids: string[], tags: string[]): void {
    this.act(() => removeTags(this.doc, ids, tags, this.actor));
  }
  renameTag(from: string, to: string): number {
    return this.act(() => renameTag(this.doc, from, to, this.actor));
  }
  deleteTag(tag: string): number {
    return this.act(() => deleteTag(this.doc, tag, this.actor));
  }
  markRead(ids: string[]): void {
    this.act(() => markRead(this.doc, ids, this.actor));
  }
  markUnread(ids: string[]): void {
    this.act(() => markUnread(this.doc, ids, this.actor));
  }
  moveToTrash(ids: string[]): void {
    this.act(() => moveToTrash(this.doc, ids, this.actor));
  }
  restore(ids: string[]): void {
    this.act(() => restoreFromTrash(this.doc, ids, this.actor));
  }
  emptyTrash(): number {
    const n = this.act(() => emptyTrash(this.doc, this.actor));
    // Emptying Trash is final: it must not be undone into half-restored items.
    this.undoManager.clear();
    return n;
  }

  undo(): boolean {
    return this.undoManager.undo() !== null;
  }
  redo(): boolean {
    return this.undoManager.redo() !== null;
  }

  noteText(id: string): Y.Text {
    return noteText(this.doc, id);
  }

  async search(query: string): Promise<SearchHit[]> {
    return this.opts.search.query(query);
  }

  pendingWrites(): number {
    return this.log.pending;
  }

  /** Starts syncing through a hub (replacing any previous connection). */
  connect(
    hub: HubAddress,
    options?: ConstructorParameters<typeof SyncConnection>[2],
  ): SyncConnection {
    this.sync?.destroy();
    this.sync = new SyncConnection(this, hub, options);
    for (const l of this.syncListeners) l();
    return this.sync;
  }

  disconnect(): void {
    this.sync?.destroy();
    this.sync = null;
    for (const l of this.syncListeners) l();
  }

  onSyncChange(listener: () => void): () => void {
    this.syncListeners.add(listener);
    return () => this.syncListeners.delete(listener);
  }

  /** Tells the other members which item this member has open. */
  setOpenItem(itemId: string | null): void {
    if (this.awareness.getLocalState()?.itemId !== itemId)
      this.awareness.setLocalStateField('itemId', itemId);
  }

  async close(): Promise<void> {
    this.disconnect();
    await this.log.flushed();
    this.log.close();
    this.materializer.destroy();
    this.undoManager.destroy();
    this.awareness.destroy();
    this.opts.search.close();
    this.doc.destroy();
    this.opts.db.close();
  }
}
