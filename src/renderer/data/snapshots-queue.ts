// Fetching articles for reading offline, newest link first: every link the "Keep snapshots of"
// setting wants and this device has no article of is in the backlog, worked through a few at a time
// while the device is online. A failure worth retrying (timeout, server error, no network) backs
// off in the collection's `articleQueue` table, so a restart keeps both the wait and the reason; a
// failure that will not change (404, not an article) is kept there too, with its reason, until the
// curator asks with "Fetch again". The clock and the network are injected, like the titles queue's.
import { ARTICLE_FAILURES, articleFailureKind, type ArticleSnapshot } from '../../shared/article';
import type { SnapshotOptions } from '../../shared/article';
import type { ItemRow } from '../../shared/model';
import type { CollectionDb } from './db';
import { Observable, type Unsubscribe } from './observable';
import { Backlog, followLinks, keeps } from './snapshots-backlog';
import { snapshotOptions, wantedSnapshots, type OfflineSettings } from './snapshots-policy';
import type { SnapshotStore } from './snapshots';
import type { OfflineSettingsStore } from './snapshots-settings';
import {
  FetchLoop,
  StableStatuses,
  afterFailedTry,
  messageOf,
  type Network,
  type QueueClock,
} from './fetch-queue';

/**
 * Runs `work` once the next frame has been painted; at once where nothing paints (Node). A hidden
 * window gets no frames, so it runs a moment later there.
 */
function afterPaint(work: () => void): void {
  if (typeof requestAnimationFrame === 'undefined') return work();
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    work();
  };
  requestAnimationFrame(() => setTimeout(once));
  setTimeout(once, 250);
}

export interface ArticleQueueRow {
  /** The item's id. */
  id: string;
  url: string;
  /** Failed tries so far. */
  attempts: number;
  /** Not tried again before this time (ms since the epoch). */
  dueAt: number;
  /** Why the last try failed. */
  error: string | null;
  /** Given up on until the curator asks again. */
  failed: boolean;
}

/** The library as the queue sees it. */
export interface ArticleQueueTarget {
  readonly me: { id: string };
  readonly store: {
    get(id: string): ItemRow | undefined;
    view(view: 'all' | 'trash'): ItemRow[];
    subscribeTouched(listener: (ids: readonly string[] | null) => void): Unsubscribe;
  };
}

export interface SnapshotQueueOptions {
  db: CollectionDb;
  library: ArticleQueueTarget;
  snapshots: SnapshotStore;
  settings: OfflineSettingsStore;
  snapshotArticle: (url: string, options: SnapshotOptions) => Promise<ArticleSnapshot>;
  clock?: QueueClock;
  network?: Network;
  /** Pages fetched at once. */
  concurrency?: number;
}

/** What the item shows about its offline copy. */
export type ArticleStatus =
  | { state: 'saved'; readingMinutes: number; fetchedAt: number }
  | { state: 'fetching' }
  | { state: 'waiting'; offline: boolean; error: string | null }
  | { state: 'failed'; error: string };

/** Whether trying again later can help: named failures say so; anything else is the network. */
function worthRetrying(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  const kind = typeof name === 'string' ? articleFailureKind(name) : null;
  return kind ? ARTICLE_FAILURES[kind].retry : true;
}

export class SnapshotQueue extends Observable {
  private readonly loop: FetchLoop<ArticleQueueRow>;
  /** Links tried and waiting to be tried again, or given up on (`failed`), by id. */
  private readonly retries: Map<string, ArticleQueueRow>;
  private readonly fetching: Set<string>;
  private readonly backlog = new Backlog();
  private readonly statuses = new StableStatuses<ArticleStatus>((id) => this.currentStatus(id));
  /** Links changed since the backlog last followed them; null when every link may have. */
  private touched: Set<string> | null = new Set();
  private rowsRefreshDue = false;
  private refreshing: Promise<void> = Promise.resolve();
  /** A refresh passed over an article being fetched; it runs again once the fetch is done. */
  private recheck = false;

  constructor(private readonly opts: SnapshotQueueOptions) {
    super();
    this.loop = new FetchLoop<ArticleQueueRow>({
      clock: opts.clock,
      network: opts.network,
      concurrency: opts.concurrency ?? 2,
      allowed: () => this.settings.enabled,
      fetch: (row) => this.run(row.id, row),
      retrying: (row) => !row.failed,
      more: (now, hasRoom) => this.startBacklog(now, hasRoom),
      networkChanged: () => this.changed(),
    });
    this.retries = this.loop.retries;
    this.fetching = this.loop.fetching;
  }

  /** This device's "Offline reading" settings. */
  get settingsStore(): OfflineSettingsStore {
    return this.opts.settings;
  }

  private get settings(): OfflineSettings {
    return this.opts.settings.get();
  }

  /** Reads what is stored and what was waiting, then starts on the backlog. */
  async start(): Promise<void> {
    const { db, snapshots } = this.opts;
    await snapshots.load();
    const stored = await db.articleQueue.toArray();
    if (this.loop.stopped) return;
    for (const row of stored) this.retries.set(row.id, row);
    this.loop.start([
      this.opts.settings.subscribe(() => this.refresh()),
      this.opts.library.store.subscribeTouched(this.onRows),
      snapshots.subscribe(() => this.changed()),
    ]);
    await this.refresh();
  }

  stop(): void {
    this.loop.stop();
  }

  /**
   * Links were saved, trashed, read or purged: the backlog and what is kept may change. Only the
   * links changed are looked at, unless any may have (a reset, a large change) or "Keep snapshots
   * of" counts links; in a window that waits until the change is painted (a link just saved shows
   * first), and a burst of changes is followed together.
   */
  private readonly onRows = (ids: readonly string[] | null): void => {
    if (this.touched && ids) for (const id of ids) this.touched.add(id);
    else this.touched = null;
    if (this.rowsRefreshDue) return;
    this.rowsRefreshDue = true;
    afterPaint(() => {
      this.rowsRefreshDue = false;
      const touched = this.touched;
      this.touched = new Set();
      if (!touched || this.settings.keep.kind === 'last') void this.refresh();
      else if (touched.size) this.refreshing = this.refreshing.then(() => this.follow(touched));
    });
  };

  /** Keeps the backlog and the articles kept in step with the links in `ids`. */
  private async follow(ids: Set<string>): Promise<void> {
    const settings = this.settings;
    const keep = settings.keep;
    if (!this.loop.isRunning || !settings.enabled || keep.kind === 'last') return;
    const { snapshots, library } = this.opts;
    const unwanted = followLinks(
      this.backlog,
      ids,
      {
        row: (id) => library.store.get(id),
        kept: (id) => snapshots.has(id),
        fetching: (id) => this.fetching.has(id),
        retrying: (id) => this.retries.has(id),
      },
      keep,
    );
    if (unwanted.length) await snapshots.remove(unwanted);
    this.changed();
    this.loop.schedule();
  }

  /**
   * Works out the backlog from the setting and the rows, and lets go of articles no longer
   * wanted. Links in Trash keep theirs (they may come back); links deleted for good do not.
   */
  refresh(): Promise<void> {
    // One at a time, so two refreshes never decide on the same stale list.
    this.refreshing = this.refreshing.then(() => this.recompute());
    return this.refreshing;
  }

  private async recompute(): Promise<void> {
    if (!this.loop.isRunning) return;
    this.recheck = false;
    const { store } = this.opts.library;
    const { snapshots } = this.opts;
    const settings = this.settings;
    if (!settings.enabled) {
      this.backlog.reset([]);
    } else {
      const { keep } = settings;
      // "Keep snapshots of" all or unread links is a test of each row alone, made in the one pass
      // over the rows (at 100,000 links a set of every wanted id alone took 30 ms).
      const last = keep.kind === 'last' ? new Set(wantedSnapshots(store.view('all'), keep)) : null;
      const wanted = (row: ItemRow | undefined): row is ItemRow =>
        row !== undefined && (keep.kind === 'last' ? last!.has(row.id) : keeps(row, keep));
      const waiting: ItemRow[] = [];
      for (const row of last ? [...last].map((id) => store.get(id)!) : store.view('all')) {
        const { id } = row;
        if (wanted(row) && !snapshots.has(id) && !this.retries.has(id) && !this.fetching.has(id))
          waiting.push(row);
      }
      this.backlog.reset(waiting);
      const unwanted = snapshots.ids().filter((id) => {
        if (wanted(store.get(id))) return false;
        // Being fetched again: looked at once it is stored.
        if (this.fetching.has(id)) {
          this.recheck = true;
          return false;
        }
        return store.get(id)?.status !== 'trash';
      });
      if (unwanted.length) await snapshots.remove(unwanted);
    }
    this.changed();
    this.loop.schedule();
  }

  /** Fetches the article again now, replacing the copy this device has (if any). */
  async fetchAgain(link: { id: string; url: string }): Promise<void> {
    const row: ArticleQueueRow = {
      id: link.id,
      url: link.url,
      attempts: 0,
      dueAt: this.loop.clock.now(),
      error: null,
      failed: false,
    };
    await this.opts.db.articleQueue.put(row);
    this.retries.set(row.id, row);
    this.backlog.delete(row.id);
    this.changed();
    this.loop.schedule();
  }

  /** The same object until the link's status changes, as React's external stores need. */
  status(id: string): ArticleStatus | null {
    return this.statuses.get(id);
  }

  private currentStatus(id: string): ArticleStatus | null {
    if (this.fetching.has(id)) return { state: 'fetching' };
    const retry = this.retries.get(id);
    if (retry?.failed)
      return { state: 'failed', error: retry.error ?? 'The page could not be fetched.' };
    const offline = !this.loop.network.online();
    if (retry) return { state: 'waiting', offline, error: retry.error };
    const meta = this.opts.snapshots.meta(id);
    if (meta)
      return { state: 'saved', readingMinutes: meta.readingMinutes, fetchedAt: meta.fetchedAt };
    if (this.settings.enabled && this.backlog.has(id))
      return { state: 'waiting', offline, error: null };
    return null;
  }

  /** After the retries that are due, the backlog, newest first. */
  private startBacklog(now: number, hasRoom: () => boolean): void {
    while (hasRoom() && this.backlog.size) {
      const id = this.backlog.shift()!;
      const item = this.opts.library.store.get(id);
      if (item && !this.opts.snapshots.has(id))
        this.run(id, { id, url: item.url, attempts: 0, dueAt: now, error: null, failed: false });
    }
  }

  private run(id: string, entry: ArticleQueueRow): void {
    this.attempt(id, entry).catch((error: unknown) => {
      // Only the bookkeeping can fail here (the database closed under it); the link waits.
      if (this.loop.isRunning) console.error('Could not record an article fetch:', error);
    });
  }

  private async attempt(id: string, entry: ArticleQueueRow): Promise<void> {
    const { library, snapshots, db } = this.opts;
    this.fetching.add(id);
    this.changed();
    try {
      const item = library.store.get(id);
      if (!item) {
        await this.settle(id);
        return;
      }
      const snapshot = await this.opts.snapshotArticle(
        item.url,
        snapshotOptions(item, library.me.id, this.settings),
      );
      if (this.loop.stopped) return;
      await snapshots.save(id, snapshot);
      await this.settle(id);
    } catch (error) {
      if (this.loop.stopped) return;
      const next = afterFailedTry(entry.attempts, this.loop.clock.now(), worthRetrying(error));
      const row: ArticleQueueRow = {
        ...entry,
        attempts: next.attempts,
        dueAt: next.dueAt,
        error: messageOf(error, 'The page could not be fetched.'),
        failed: next.giveUp,
      };
      this.retries.set(id, row);
      await db.articleQueue.put(row);
    } finally {
      this.fetching.delete(id);
      this.changed();
      if (this.recheck || this.unwantedNow(id)) void this.refresh();
      else this.loop.schedule();
    }
  }

  /**
   * The link stopped being wanted while it was fetched or waited for a retry, and its article came
   * in: it goes again.
   */
  private unwantedNow(id: string): boolean {
    const { enabled, keep } = this.settings;
    if (!enabled || keep.kind === 'last' || !this.opts.snapshots.has(id)) return false;
    const row = this.opts.library.store.get(id);
    // Links in Trash keep their articles.
    return row?.status !== 'trash' && !(row && keeps(row, keep));
  }

  private async settle(id: string): Promise<void> {
    this.retries.delete(id);
    await this.opts.db.articleQueue.delete(id);
  }

  /** Forgets every article and every failure ("Remove all snapshots"); the backlog starts over. */
  async removeAll(): Promise<void> {
    await this.opts.snapshots.removeAll();
    await this.opts.db.articleQueue.clear();
    this.retries.clear();
    await this.refresh();
  }

  override destroy(): void {
    this.stop();
    super.destroy();
  }
}
