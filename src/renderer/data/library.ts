// The Library the UI talks to: collection mutations bound to the local member and refused while
// the collection is read-only, undo scoped to that member's own changes, and the parts it is made
// of: rows in memory (rows.ts), the update log (persistence.ts), actions taken before the log has
// replayed (queued-actions.ts), the hub connection (sync.ts), who may edit (access.ts), members and
// presence, the queue that fetches titles still missing (unfurl-queue.ts), and the articles kept
// for reading offline with the queue that fetches them (snapshots.ts, snapshots-queue.ts).
import * as Y from 'yjs';
import { ObservableV2 } from 'lib0/observable';
import { Awareness } from 'y-protocols/awareness';
import {
  Materializer,
  addItems,
  commitImport,
  addTags,
  changeItemUrl,
  deleteTag,
  HighlightIndex,
  addHighlight,
  deleteHighlight,
  emptyTrash,
  highlightsMap,
  itemIdForUrl,
  type NewHighlight,
  maps,
  schemaCheck,
  markRead,
  markUnread,
  moveToTrash,
  noteUndoManager,
  observePrimaryNote,
  primaryNote,
  writeNote,
  removeTags,
  renameTag,
  restoreFromTrash,
  setTags,
  undoImport,
  updateItem,
  upsertMember,
  type Actor,
  type AddResult,
  type CommitOutcome,
  type ImportInput,
  type UndoOutcome,
} from '../../shared/collection';
import {
  nextTid,
  type ItemDraft,
  type ItemPatch,
  type ItemRow,
  type Member,
} from '../../shared/model';
import { AccessControl } from './access';
import type { CollectionDb } from './db';
import { UnfurlQueue, type UnfurlQueueOptions } from './unfurl-queue';
import { SnapshotStore } from './snapshots';
import { SnapshotQueue, type SnapshotQueueOptions } from './snapshots-queue';
import { ArticleSearch, type ArticleSearchBackend } from './search-articles';
import { fillEmptyDetails, type FetchedDetails } from './details';
import { EarlyRows } from './early-rows';
import { MemberList } from './members';
import {
  UpdateLog,
  loadDocFromLog,
  reconcileRows,
  type CompactionPolicy,
  type LoadReport,
} from './persistence';
import { MemberPresence } from './presence';
import { ActionRunner } from './queued-actions';
import { RowStore } from './rows';
import { indexRows, type SearchBackend } from './search-client';
import { SyncConnection, type HubAddress, type SyncOptions } from './sync';
import type { Library, LinkRef, SearchAnswer } from './types';
import { UndoHistory, type Change } from './undo';

/** Origin of the local member's own edits: the only ones undo reverts. */
const LOCAL = { local: true };
/** Origin of bookkeeping writes (member profile, fetched titles) that undo must not revert. */
const SYSTEM = { system: true };

export { ReadOnlyError } from './access';

export interface LocalLibraryOptions {
  collectionId: string;
  me: Member;
  db: CollectionDb;
  search: SearchBackend;
  /** The hub this collection syncs through: its invite's role applies before anything loads. */
  hub?: HubAddress | null;
  /** Rows read from the items table before the log replays (first paint). */
  store?: RowStore;
  compaction?: CompactionPolicy;
  /** Fetches titles and descriptions still missing; without it, none are fetched. */
  unfurl?: Omit<UnfurlQueueOptions, 'db' | 'library'>;
  /** Fetches articles for reading offline; without it, none are fetched. */
  articles?: Omit<SnapshotQueueOptions, 'db' | 'library' | 'snapshots'>;
  /** The index of article text and highlights; without it, search covers metadata only. */
  articleSearch?: ArticleSearchBackend;
  now?: () => number;
}

export class LocalLibrary
  extends ObservableV2<{
    /** pendingWrites() may have changed. */
    pending: () => void;
    /** The hub connection was made or dropped. */
    sync: () => void;
  }>
  implements Library
{
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  readonly presence: MemberPresence;
  readonly store: RowStore;
  readonly members: MemberList;
  readonly access: AccessControl;
  readonly history: UndoHistory;
  readonly collectionId: string;
  /** Links whose details are still to be fetched from their pages. */
  readonly unfurls: UnfurlQueue | null;
  /** Articles kept on this device for reading offline. */
  readonly snapshots: SnapshotStore;
  /** Fetches the articles still to be kept, and says how each link stands. */
  readonly articles: SnapshotQueue | null;
  /** Every link's highlights, as the document has them. */
  readonly highlights: HighlightIndex;
  /** Search of the kept articles' text and of highlights. */
  readonly articleSearch: ArticleSearch | null;
  private member: Member;
  private readonly actor: Actor;
  private readonly actions: ActionRunner;
  /** Links saved while the log replays, shown before their queued save runs. */
  private readonly earlyRows: EarlyRows;
  private readonly now: () => number;
  /** When the newest link saved on this device in this session was dated. */
  private lastSaved = 0;
  private materializer: Materializer | null = null;
  log: UpdateLog | null = null;
  loadReport: LoadReport | null = null;
  /** Resolves once the document is loaded and every queued action has run. */
  readonly whenReady: Promise<void>;
  private markReady!: () => void;
  private markFailed!: (error: unknown) => void;
  /** The hub connection, when this collection is shared. */
  sync: SyncConnection | null = null;

  private constructor(private readonly opts: LocalLibraryOptions) {
    super();
    this.whenReady = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.markFailed = reject;
    });
    // Callers that only use open() get its rejection; this one must not count as unhandled.
    this.whenReady.catch(() => {});
    this.collectionId = opts.collectionId;
    this.member = opts.me;
    this.now = opts.now ?? Date.now;
    this.store = opts.store ?? new RowStore();
    this.actor = { memberId: opts.me.id, origin: LOCAL, now: this.now };
    this.awareness = new Awareness(this.doc);
    this.presence = new MemberPresence(this.awareness, opts.me);
    this.access = new AccessControl(this.now);
    this.access.useToken(opts.hub?.token ?? null);
    this.access.subscribe(this.onAccessChange);
    const m = maps(this.doc);
    this.history = new UndoHistory([m.items, m.tags, m.reads, highlightsMap(this.doc)], LOCAL);
    this.highlights = new HighlightIndex(this.doc);
    this.actions = new ActionRunner(this.history, () => this.ready);
    this.earlyRows = new EarlyRows(this.store, opts.search);
    this.members = new MemberList(m.members);
    this.actions.queued.subscribe(() => this.emit('pending', []));
    this.unfurls = opts.unfurl
      ? new UnfurlQueue({ ...opts.unfurl, db: opts.db, library: this })
      : null;
    this.snapshots = new SnapshotStore(opts.db);
    this.articles = opts.articles
      ? new SnapshotQueue({
          ...opts.articles,
          db: opts.db,
          library: this,
          snapshots: this.snapshots,
        })
      : null;
    this.articleSearch = opts.articleSearch
      ? new ArticleSearch(opts.articleSearch, this.snapshots, this.highlights)
      : null;
  }

  /**
   * Everything that can be had without the document: the rows already in the store (read from
   * the items table) can be shown and searched while load() replays the log.
   */
  static create(opts: LocalLibraryOptions): LocalLibrary {
    const lib = new LocalLibrary(opts);
    if (lib.store.loaded && !lib.store.partial) indexRows(opts.search, lib.store.all());
    return lib;
  }

  /** Replaces a first screen with every stored row (before load()), and makes them searchable. */
  showAllRows(rows: readonly ItemRow[]): void {
    this.store.reset(rows);
    indexRows(this.opts.search, rows);
    this.earlyRows.showAgain();
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
      if (rows || firstRows) indexRows(opts.search, this.store.all());
      this.loadReport = { ...loaded, rebuilt };
      this.log = new UpdateLog(opts.db, this.doc, materializer, loaded, opts.compaction);
      this.log.on('change', () => this.emit('pending', []));
      materializer.subscribe((changes) => {
        this.store.apply(changes);
        indexRows(opts.search, changes.upserts);
        opts.search.remove(changes.removals);
      });
      this.checkSchema();
      maps(this.doc).meta.observe(this.checkSchema);
      this.writeProfile();
      this.actions.queued.runAll();
      this.earlyRows.saved();
      this.emit('pending', []);
      this.markReady();
      this.unfurls
        ?.start()
        .catch((error: unknown) => console.error('Links still to fetch could not be read:', error));
      (this.articles ? this.articles.start() : this.snapshots.load())
        .then(() => this.articleSearch?.start())
        .catch((error: unknown) =>
          console.error('Articles kept offline could not be read:', error),
        );
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

  get readOnly(): boolean {
    return this.access.readOnly;
  }

  /** Changes how this member appears to others (name, colour); the caller stores it locally. */
  updateProfile(member: Member): void {
    this.member = member;
    this.presence.setUser(member);
    this.writeProfile();
  }

  /** The member list is part of the document, so a reader's profile stays in presence only. */
  private writeProfile(): void {
    if (this.ready && !this.readOnly)
      upsertMember(this.doc, this.member, { memberId: this.member.id, origin: SYSTEM });
  }

  /** A collection a newer Curio saved is read here, never changed. */
  private readonly checkSchema = (): void => {
    const check = schemaCheck(this.doc);
    this.access.useSchema(check.writable ? null : check.message);
  };

  private readonly onAccessChange = (): void => {
    // Actions waiting for the log would never reach the hub now: they are not kept.
    if (this.readOnly) {
      this.actions.queued.drop();
      this.earlyRows.dropped();
    } else this.writeProfile();
  };

  /** One user action, refused where the collection is read-only (see ActionRunner.run). */
  private act<T>(mutation: () => T, early: () => T): { result: T; change: Change } {
    this.access.refuseEdits();
    return this.actions.run(mutation, early);
  }

  /** An action whose only answer is the change it made. */
  private edit(mutation: () => void): Change {
    return this.act(mutation, () => undefined).change;
  }

  private earlyAdd(draft: ItemDraft): AddResult {
    const id = itemIdForUrl(draft.url);
    const row = this.store.get(id);
    return { id, created: !row };
  }

  addLink(draft: ItemDraft): AddResult {
    return this.addLinks([draft])[0]!;
  }

  /**
   * Links saved together read in the order given, top to bottom in the newest-first list: each
   * is a millisecond older than the one before it, so no two of them share a moment, and the
   * whole batch is newer than anything saved here before it, however coarse the clock.
   */
  addLinks(drafts: ItemDraft[]): AddResult[] {
    // Checked now, so an invalid link fails in the caller's hands even while queued.
    for (const draft of drafts) itemIdForUrl(draft.url);
    const at = Math.max(this.now(), this.lastSaved + drafts.length);
    const dated = drafts.map((draft, i) => ({ ...draft, addedAt: draft.addedAt ?? at - i }));
    const { result: saved, change } = this.act(
      () => addItems(this.doc, dated, this.actor),
      () => dated.map((d) => this.earlyAdd(d)),
    );
    if (change.queued)
      this.earlyRows.show(
        dated.filter((_, i) => saved[i]!.created),
        this.actor,
      );
    if (drafts.length) this.lastSaved = at;
    return saved;
  }

  /**
   * Commits a confirmed import in one transaction (shared/collection/imports.ts). It is not a step
   * of the curator's undo history: Undo import takes it back, exactly, from any replica.
   */
  commitImport(input: Omit<ImportInput, 'id'>): CommitOutcome {
    this.refuseUntilLoaded();
    const at = Math.max(this.now(), this.lastSaved + input.entries.length);
    const actor = { ...this.actor, origin: SYSTEM, now: () => at };
    const outcome = commitImport(this.doc, { ...input, id: nextTid() }, actor);
    if (outcome.created) this.lastSaved = at;
    return outcome;
  }

  undoImport(id: string): UndoOutcome {
    this.refuseUntilLoaded();
    return undoImport(this.doc, id, { ...this.actor, origin: SYSTEM });
  }

  /** Imports work on the whole document, so they wait for it rather than queue. */
  private refuseUntilLoaded(): void {
    this.access.refuseEdits();
    if (!this.ready) throw new Error('Your library is still opening; try again in a moment.');
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

  updateItem(id: string, patch: ItemPatch): Change {
    return this.edit(() => updateItem(this.doc, id, patch, this.actor));
  }
  /**
   * Gives a link a new URL (a new id), carrying everything on it over. Not undoable: undo would
   * bring the old fields back without the note text the move carried over.
   */
  changeUrl(id: string, url: string): string {
    this.access.refuseEdits();
    if (!this.ready)
      throw new Error('Curio is still opening this collection; save again in a moment.');
    const moved = changeItemUrl(this.doc, id, url, this.actor);
    this.history.clear();
    return moved;
  }
  setTags(id: string, tags: string[]): Change {
    return this.edit(() => setTags(this.doc, id, tags, this.actor));
  }
  addTags(ids: string[], tags: string[]): Change {
    return this.edit(() => addTags(this.doc, ids, tags, this.actor));
  }
  removeTags(ids: string[], tags: string[]): Change {
    return this.edit(() => removeTags(this.doc, ids, tags, this.actor));
  }
  renameTag(from: string, to: string): number {
    return this.act(
      () => renameTag(this.doc, from, to, this.actor),
      () => this.countTagged(from),
    ).result;
  }
  deleteTag(tag: string): number {
    return this.act(
      () => deleteTag(this.doc, tag, this.actor),
      () => this.countTagged(tag),
    ).result;
  }
  markRead(ids: string[]): Change {
    return this.edit(() => markRead(this.doc, ids, this.actor));
  }
  markUnread(ids: string[]): Change {
    return this.edit(() => markUnread(this.doc, ids, this.actor));
  }
  moveToTrash(ids: string[]): Change {
    return this.edit(() => moveToTrash(this.doc, ids, this.actor));
  }
  restore(ids: string[]): Change {
    return this.edit(() => restoreFromTrash(this.doc, ids, this.actor));
  }
  emptyTrash(): number {
    // Emptying Trash is final: it must not be undone into half-restored items.
    return this.act(
      () => {
        let n = 0;
        n = emptyTrash(this.doc, this.actor);
        this.history.clear();
        return n;
      },
      () => this.store.view('trash').length,
    ).result;
  }

  /**
   * Fills a link's title, description and picture from its page where they are still empty:
   * what a curator typed is never replaced. Not an undo step: the curator did not make it.
   */
  fillEmptyDetails(id: string, fetched: FetchedDetails): boolean {
    this.access.refuseEdits();
    const row = this.store.get(id);
    if (!row || !this.ready) return false;
    return fillEmptyDetails(this.doc, row, fetched, { ...this.actor, origin: SYSTEM });
  }

  /** Asks the pages of these links for the titles and descriptions they still lack, now. */
  fetchDetails(links: ReadonlyArray<LinkRef>): void {
    this.access.refuseEdits();
    this.unfurls
      ?.enqueue(links, { now: true })
      .catch((error: unknown) => console.error('Could not queue links to fetch:', error));
  }

  /** Highlights a passage of a saved link's article; null when the link is not in the collection. */
  addHighlight(itemId: string, highlight: NewHighlight): string | null {
    return this.act(
      () => addHighlight(this.doc, itemId, highlight, this.actor),
      () => null,
    ).result;
  }
  deleteHighlight(itemId: string, highlightId: string): Change {
    return this.edit(() => deleteHighlight(this.doc, itemId, highlightId, this.actor));
  }

  undo(): boolean {
    return this.history.undo();
  }
  redo(): boolean {
    return this.history.redo();
  }
  undoChange(change: Change): boolean {
    return this.actions.undoChange(change);
  }
  canUndoChange(change: Change): boolean {
    return this.actions.canUndoChange(change);
  }
  onUndoHistoryChange(listener: () => void): () => void {
    return this.actions.subscribe(listener);
  }

  notePrimary(id: string): Y.Text | null {
    return primaryNote(this.doc, id);
  }
  onNotePrimaryChange(id: string, listener: () => void): () => void {
    return observePrimaryNote(this.doc, id, listener);
  }
  writeNote(id: string, write: (text: Y.Text) => void, origin: object): void {
    writeNote(this.doc, id, write, { ...this.actor, origin });
  }
  noteUndoManager(origin: object): Y.UndoManager {
    return noteUndoManager(this.doc, origin);
  }

  async search(query: string): Promise<SearchAnswer> {
    return this.opts.search.query(query);
  }

  pendingWrites(): number {
    return (this.log?.pending ?? 0) + this.actions.queued.size;
  }

  /** Starts syncing through a hub (replacing any previous connection); its role applies at once. */
  connect(hub: HubAddress, options?: SyncOptions): SyncConnection {
    this.sync?.destroy();
    this.access.useToken(hub.token);
    this.sync = new SyncConnection(this, hub, options);
    this.emit('sync', []);
    return this.sync;
  }

  /** Stops syncing: the collection is this device's alone again, and editable. */
  disconnect(): void {
    this.sync?.destroy();
    this.sync = null;
    this.access.useToken(null);
    this.emit('sync', []);
  }

  /** Tells the other members which item this member has open. */
  setOpenItem(itemId: string | null): void {
    this.presence.setOpenItem(itemId);
  }

  async close(): Promise<void> {
    this.sync?.destroy();
    this.sync = null;
    this.unfurls?.destroy();
    this.articles?.destroy();
    this.articleSearch?.close();
    this.snapshots.destroy();
    this.highlights.destroy();
    await this.whenReady.catch(() => {});
    await this.log?.flushed();
    this.log?.close();
    if (this.ready) maps(this.doc).meta.unobserve(this.checkSchema);
    this.materializer?.destroy();
    this.history.destroy();
    this.members.destroy();
    this.presence.destroy();
    this.access.destroy();
    this.awareness.destroy();
    this.opts.search.close();
    this.doc.destroy();
    this.opts.db.close();
    this.destroy();
  }
}
