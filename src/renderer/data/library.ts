// The Library the UI talks to: collection mutations bound to the local member, undo scoped to
// that member's own changes, rows in memory, and the search index kept in step.
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import {
  Materializer,
  addItem,
  addItems,
  addTags,
  changeItemUrl,
  deleteTag,
  emptyTrash,
  itemIdForUrl,
  maps,
  markRead,
  markUnread,
  moveToTrash,
  noteText,
  readMembers,
  removeTags,
  renameTag,
  restoreFromTrash,
  setTags,
  updateItem,
  upsertMember,
  type Actor,
  type AddResult,
} from '../../shared/collection';
import { toSearchDoc, type SearchDoc } from '../../shared/search';
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
import type { Library, SearchAnswer } from './types';

/** Origin of the local member's own edits: the only ones undo reverts. */
const LOCAL = { local: true };
/** Origin of bookkeeping writes (member profile) that undo must not revert. */
const SYSTEM = { system: true };

class MemberList {
  private value: Member[] = [];
  private readonly listeners = new Set<() => void>();
  constructor(private readonly map: Y.Map<unknown>) {
    this.refresh();
    map.observe(() => this.refresh());
  }
  private refresh(): void {
    this.value = readMembers(this.map);
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
  private materializer: Materializer | null = null;
  log: UpdateLog | null = null;
  loadReport: LoadReport | null = null;
  /** Actions taken before the log finished replaying; run, in order, as soon as it has. */
  private queued: Array<() => void> = [];
  private readonly pendingListeners = new Set<() => void>();
  private unsubscribeLog: (() => void) | null = null;
  /** Resolves once the document is loaded and every queued action has run. */
  readonly whenReady: Promise<void>;
  private markReady!: () => void;
  private markFailed!: (error: unknown) => void;
  /** The hub connection, when this collection is shared. */
  sync: SyncConnection | null = null;
  private readonly syncListeners = new Set<() => void>();

  private constructor(private readonly opts: LocalLibraryOptions) {
    this.whenReady = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.markFailed = reject;
    });
    // Callers that only use open() get its rejection; this one must not count as unhandled.
    this.whenReady.catch(() => {});
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

  /**
   * Everything that can be had without the document: the rows already in the store (read from
   * the items table) can be shown and searched while load() replays the log.
   */
  static create(opts: LocalLibraryOptions): LocalLibrary {
    const lib = new LocalLibrary(opts);
    if (lib.store.loaded && !lib.store.partial) lib.index(lib.store.all());
    return lib;
  }

  /** Replaces a first screen with every stored row (before load()), and makes them searchable. */
  showAllRows(rows: readonly ItemRow[]): void {
    this.store.reset(rows);
    this.index(rows);
  }

  /** Keeps the search index to the live links: search never shows Trash. */
  private index(rows: readonly ItemRow[]): void {
    const live: SearchDoc[] = [];
    const trashed: string[] = [];
    for (const row of rows) {
      if (row.status === 'trash') trashed.push(row.id);
      else live.push(toSearchDoc(row));
    }
    this.opts.search.upsert(live);
    this.opts.search.remove(trashed);
  }

  /** Replays the log, reconciles the items table, starts persisting, then runs queued actions. */
  async load(): Promise<void> {
    const { opts } = this;
    try {
      const loaded = await loadDocFromLog(opts.db, this.doc);
      const materializer = new Materializer(this.doc, this.member.id);
      this.materializer = materializer;
      const { rebuilt, rows } = await reconcileRows(opts.db, materializer, loaded.lastSeq);
      const firstRows = !this.store.loaded || this.store.partial;
      if (rows || firstRows) this.store.reset(rows ?? materializer.rows());
      if (rows || firstRows) this.index(this.store.all());
      this.loadReport = {
        rows: loaded.rows,
        bytes: loaded.bytes,
        firstRowBytes: loaded.firstRowBytes,
        corrupt: loaded.corrupt,
        rebuilt,
      };
      this.log = new UpdateLog(opts.db, this.doc, materializer, loaded, opts.compaction);
      this.unsubscribeLog = this.log.onChange(() => this.emitPending());
      materializer.subscribe((changes) => {
        this.store.apply(changes);
        this.index(changes.upserts);
        opts.search.remove(changes.removals);
      });
      upsertMember(this.doc, this.member, { memberId: this.member.id, origin: SYSTEM });
      const queued = this.queued;
      this.queued = [];
      for (const action of queued) action();
      this.emitPending();
      this.markReady();
    } catch (error) {
      this.markFailed(error);
      throw error;
    }
  }

  /** Creates and loads: for callers with nothing to show before the document is ready. */
  static async open(opts: LocalLibraryOptions): Promise<LocalLibrary> {
    const lib = LocalLibrary.create(opts);
    await lib.load();
    return lib;
  }

  get ready(): boolean {
    return this.log !== null;
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

  /**
   * Runs one user action as its own undo step. Before the log has replayed, the action is queued
   * and `early` answers from the rows on screen, which match the log (they are written with it).
   */
  private act<T>(mutation: () => T, early: () => T): T {
    if (!this.ready) {
      this.queued.push(() => {
        this.undoManager.stopCapturing();
        mutation();
      });
      this.emitPending();
      return early();
    }
    this.undoManager.stopCapturing();
    return mutation();
  }

  private earlyAdd(draft: ItemDraft): AddResult {
    const id = itemIdForUrl(draft.url);
    const row = this.store.get(id);
    return { id, created: !row };
  }

  addLink(draft: ItemDraft): AddResult {
    return this.act(
      () => addItem(this.doc, draft, this.actor),
      () => this.earlyAdd(draft),
    );
  }

  addLinks(drafts: ItemDraft[]): AddResult[] {
    // Checked now, so an invalid link fails in the caller's hands even while queued.
    for (const draft of drafts) itemIdForUrl(draft.url);
    return this.act(
      () => addItems(this.doc, drafts, this.actor),
      () => drafts.map((d) => this.earlyAdd(d)),
    );
  }

  private countTagged(tag: string): number {
    return this.store.all().filter((r) => r.tags.includes(tag)).length;
  }

  findByUrl(url: string): ItemRow | null {
    let id: string;
    try {
      id = itemIdForUrl(url);
    } catch {
      return null;
    }
    return this.store.get(id) ?? this.materializer?.row(id) ?? null;
  }

  updateItem(id: string, patch: ItemPatch): void {
    this.act(
      () => {
        updateItem(this.doc, id, patch, this.actor);
      },
      () => undefined,
    );
  }
  changeUrl(id: string, url: string): string {
    if (!this.ready)
      throw new Error('Curio is still opening this collection; save again in a moment.');
    this.undoManager.stopCapturing();
    const moved = changeItemUrl(this.doc, id, url, this.actor);
    // Undo would bring the old fields back without the note text the move carried over.
    this.undoManager.clear();
    return moved;
  }
  setTags(id: string, tags: string[]): void {
    this.act(
      () => {
        setTags(this.doc, id, tags, this.actor);
      },
      () => undefined,
    );
  }
  addTags(ids: string[], tags: string[]): void {
    this.act(
      () => {
        addTags(this.doc, ids, tags, this.actor);
      },
      () => undefined,
    );
  }
  removeTags(ids: string[], tags: string[]): void {
    this.act(
      () => {
        removeTags(this.doc, ids, tags, this.actor);
      },
      () => undefined,
    );
  }
  renameTag(from: string, to: string): number {
    return this.act(
      () => renameTag(this.doc, from, to, this.actor),
      () => this.countTagged(from),
    );
  }
  deleteTag(tag: string): number {
    return this.act(
      () => deleteTag(this.doc, tag, this.actor),
      () => this.countTagged(tag),
    );
  }
  markRead(ids: string[]): void {
    this.act(
      () => {
        markRead(this.doc, ids, this.actor);
      },
      () => undefined,
    );
  }
  markUnread(ids: string[]): void {
    this.act(
      () => {
        markUnread(this.doc, ids, this.actor);
      },
      () => undefined,
    );
  }
  moveToTrash(ids: string[]): void {
    this.act(
      () => {
        moveToTrash(this.doc, ids, this.actor);
      },
      () => undefined,
    );
  }
  restore(ids: string[]): void {
    this.act(
      () => {
        restoreFromTrash(this.doc, ids, this.actor);
      },
      () => undefined,
    );
  }
  emptyTrash(): number {
    // Emptying Trash is final: it must not be undone into half-restored items.
    return this.act(
      () => {
        const n = emptyTrash(this.doc, this.actor);
        this.undoManager.clear();
        return n;
      },
      () => this.store.view('trash').length,
    );
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

  async search(query: string): Promise<SearchAnswer> {
    return this.opts.search.query(query);
  }

  pendingWrites(): number {
    return (this.log?.pending ?? 0) + this.queued.length;
  }

  /** Called whenever pendingWrites() may have changed. */
  onPendingChange(listener: () => void): () => void {
    this.pendingListeners.add(listener);
    return () => this.pendingListeners.delete(listener);
  }

  private emitPending(): void {
    for (const l of this.pendingListeners) l();
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
    await this.whenReady.catch(() => {});
    await this.log?.flushed();
    this.log?.close();
    this.unsubscribeLog?.();
    this.materializer?.destroy();
    this.undoManager.destroy();
    this.awareness.destroy();
    this.opts.search.close();
    this.doc.destroy();
    this.opts.db.close();
  }
}
