// The Library the UI talks to: the document and its edits (library-edits.ts) wired to what keeps
// and shares it: rows in memory (rows.ts), the update log (persistence.ts), the hub connection
// (sync.ts), who may edit (access.ts), members and presence, search, the queue that fetches titles
// still missing (unfurl-queue.ts), and the articles kept for reading offline with the queue that
// fetches them (snapshots.ts, snapshots-queue.ts).
import { Awareness } from 'y-protocols/awareness';
import {
  Materializer,
  HighlightIndex,
  maps,
  schemaCheck,
  upsertMember,
} from '../../shared/collection';
import type { ItemRow, Member } from '../../shared/model';
import type { CollectionDb } from './db';
import { LibraryEdits, SYSTEM, type EditsOptions } from './library-edits';
import { UnfurlQueue, type UnfurlQueueOptions } from './unfurl-queue';
import { SnapshotStore } from './snapshots';
import { SnapshotQueue, type SnapshotQueueOptions } from './snapshots-queue';
import { ArticleSearch, type ArticleSearchBackend } from './search-articles';
import { MemberList } from './members';
import {
  UpdateLog,
  loadDocFromLog,
  reconcileRows,
  type CompactionPolicy,
  type LoadReport,
} from './persistence';
import { MemberPresence } from './presence';
import type { GatheredRows } from './rows';
import { indexRows, type SearchBackend } from './search-client';
import { SyncConnection, type HubAddress, type SyncOptions } from './sync';
import type { Library, LinkRef, SearchAnswer } from './types';

export { ReadOnlyError } from './access';

/** Rows of an answer read on their own while the rest are not yet: more than a screen shows. */
const ROWS_READ_FOR_AN_ANSWER = 100;

export interface LocalLibraryOptions extends EditsOptions {
  collectionId: string;
  db: CollectionDb;
  search: SearchBackend;
  /** The hub this collection syncs through: its invite's role applies before anything loads. */
  hub?: HubAddress | null;
  compaction?: CompactionPolicy;
  /** Fetches titles and descriptions still missing; without it, none are fetched. */
  unfurl?: Omit<UnfurlQueueOptions, 'db' | 'library'>;
  /** Fetches articles for reading offline; without it, none are fetched. */
  articles?: Omit<SnapshotQueueOptions, 'db' | 'library' | 'snapshots'>;
  /** The index of article text and highlights; without it, search covers metadata only. */
  articleSearch?: ArticleSearchBackend;
}

export class LocalLibrary extends LibraryEdits implements Library {
  readonly awareness: Awareness;
  readonly presence: MemberPresence;
  readonly members: MemberList;
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
    super(opts);
    this.whenReady = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.markFailed = reject;
    });
    // Callers that only use open() get its rejection; this one must not count as unhandled.
    this.whenReady.catch(() => {});
    this.collectionId = opts.collectionId;
    this.member = opts.me;
    this.awareness = new Awareness(this.doc);
    this.presence = new MemberPresence(this.awareness, opts.me);
    this.access.useToken(opts.hub?.token ?? null);
    this.access.subscribe(this.onAccessChange);
    this.highlights = new HighlightIndex(this.doc);
    this.members = new MemberList(maps(this.doc).members);
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
    if (lib.store.loaded && !lib.store.partial) indexRows(opts.search, lib.store.all(), true);
    return lib;
  }

  /** Replaces a first screen with every stored row (before load()), and makes them searchable. */
  showAllRows(rows: GatheredRows): void {
    this.store.resetGathered(rows);
    // Search never shows Trash: the view without it is the whole library for the index.
    indexRows(this.opts.search, this.store.view('all'), true);
    this.earlyRows.showAgain();
  }

  /** Replays the log, reconciles the items table, starts persisting, then runs queued actions. */
  async load(): Promise<void> {
    const { opts } = this;
    // Made before the replay, its indexes follow the log part by part instead of reading the
    // whole document in one go afterwards.
    const materializer = new Materializer(this.doc, this.member.id);
    try {
      const loaded = await loadDocFromLog(opts.db, this.doc);
      this.materializer = materializer;
      const { rebuilt, rows } = await reconcileRows(opts.db, materializer, loaded.lastSeq);
      const firstRows = !this.store.loaded || this.store.partial;
      if (rows || firstRows) this.store.reset(rows ?? materializer.rows());
      if (rows || firstRows) indexRows(opts.search, this.store.all(), true);
      this.loadReport = { ...loaded, rebuilt };
      this.log = new UpdateLog(opts.db, this.doc, materializer, loaded, opts.compaction);
      this.log.on('change', () => this.emit('pending', []));
      if (this.sync) this.log.useEncoding(1);
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
      this.startQueues();
    } catch (error) {
      if (this.materializer !== materializer) materializer.destroy();
      // Actions waiting for the document can never run now: they are not kept.
      this.actions.queued.drop();
      this.earlyRows.dropped();
      this.markFailed(error);
      throw error;
    }
  }

  /** The titles and articles still to fetch, once the document is there to say which. */
  private startQueues(): void {
    this.unfurls
      ?.start()
      .catch((error: unknown) => console.error('Links still to fetch could not be read:', error));
    (this.articles ? this.articles.start() : this.snapshots.load())
      .then(() => this.articleSearch?.start())
      .catch((error: unknown) => console.error('Articles kept offline could not be read:', error));
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

  protected documentRow(id: string): ItemRow | null {
    return this.materializer?.row(id) ?? null;
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

  /** Asks the pages of these links for the titles and descriptions they still lack, now. */
  fetchDetails(links: ReadonlyArray<LinkRef>): void {
    this.access.refuseEdits();
    this.unfurls
      ?.enqueue(links, { now: true })
      .catch((error: unknown) => console.error('Could not queue links to fetch:', error));
  }

  async search(query: string): Promise<SearchAnswer> {
    const answer = await this.opts.search.query(query);
    if (this.store.partial) await this.readRowsOf(answer.ids.slice(0, ROWS_READ_FOR_AN_ANSWER));
    return answer;
  }

  /**
   * While only the first screen's rows are read, an index kept from the last session can already
   * answer: the rows it names are read from the items table on their own, so they can be shown.
   */
  private async readRowsOf(ids: readonly string[]): Promise<void> {
    const missing = ids.filter((id) => !this.store.get(id));
    if (!missing.length) return;
    const rows = (await this.opts.db.items.bulkGet(missing)).filter(
      (row): row is ItemRow => row !== undefined && !this.store.get(row.id),
    );
    if (this.store.partial && rows.length) this.store.apply({ upserts: rows, removals: [] });
  }

  pendingWrites(): number {
    return (this.log?.pending ?? 0) + this.actions.queued.size;
  }

  /** Resolves once every change made so far is on disk (at once if the collection cannot open). */
  async saved(): Promise<void> {
    await this.whenReady.catch(() => {});
    await this.log?.flushed();
  }

  /** Starts syncing through a hub (replacing any previous connection); its role applies at once. */
  connect(hub: HubAddress, options?: SyncOptions): SyncConnection {
    this.sync?.destroy();
    this.access.useToken(hub.token);
    this.sync = new SyncConnection(this, hub, options);
    // The hub connection encodes every change in the first encoding: the log takes those bytes.
    this.log?.useEncoding(1);
    this.emit('sync', []);
    return this.sync;
  }

  /** Stops syncing: the collection is this device's alone again, and editable. */
  disconnect(): void {
    this.sync?.destroy();
    this.sync = null;
    this.log?.useEncoding(2);
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
