// Titles and descriptions for links saved before their page answered (offline, or the page was
// down). Each such link waits in the collection's `unfurls` table, so a restart forgets none; the
// queue asks its page while the device is online, backs off after a failure, and asks every
// waiting page again at once when the network comes back. What the page says only fills fields
// still empty, and nothing is fetched for a collection this device may not change.
import type { FetchedDetails } from './details';
import { lacksDetails } from './details';
import type { CollectionDb, UnfurlRow } from './db';
import {
  FetchLoop,
  StableStatuses,
  afterFailedTry,
  messageOf,
  type Network,
  type QueueClock,
} from './fetch-queue';
import { Observable, type Unsubscribe } from './observable';

/** The library as the queue sees it. */
export interface UnfurlTarget {
  readonly readOnly: boolean;
  readonly access: { subscribe(listener: () => void): Unsubscribe };
  readonly store: {
    get(
      id: string,
    ): { url: string; title: string; description: string; image: string | null } | undefined;
  };
  fillEmptyDetails(id: string, fetched: FetchedDetails): boolean;
}

export interface UnfurlQueueOptions {
  db: CollectionDb;
  library: UnfurlTarget;
  unfurl: (url: string) => Promise<FetchedDetails>;
  clock?: QueueClock;
  network?: Network;
  /** Pages asked at once. */
  concurrency?: number;
}

/** What the queue is doing about one link, for the detail pane. */
export type UnfurlStatus =
  | { state: 'waiting'; error: string | null }
  | { state: 'fetching' }
  | { state: 'failed'; error: string };

export class UnfurlQueue extends Observable {
  private readonly loop: FetchLoop<UnfurlRow>;
  /** Links whose details are still to be fetched, by id. */
  private readonly waiting: Map<string, UnfurlRow>;
  private readonly fetching: Set<string>;
  private readonly failed = new Map<string, string>();
  private readonly statuses = new StableStatuses<UnfurlStatus>((id) => this.currentStatus(id));

  constructor(private readonly opts: UnfurlQueueOptions) {
    super();
    this.loop = new FetchLoop<UnfurlRow>({
      clock: opts.clock,
      network: opts.network,
      concurrency: opts.concurrency ?? 3,
      allowed: () => !opts.library.readOnly,
      fetch: (row) =>
        this.attempt(row).catch((error: unknown) => {
          // Only the bookkeeping can fail here (the database closed under it); the link waits.
          if (this.loop.isRunning)
            console.error('Could not record a fetch of link details:', error);
        }),
    });
    this.waiting = this.loop.retries;
    this.fetching = this.loop.fetching;
  }

  /** Reads what was waiting when the app last closed, and starts working through it. */
  async start(): Promise<void> {
    const stored = await this.opts.db.unfurls.toArray();
    if (this.loop.stopped) return;
    for (const row of stored) if (!this.waiting.has(row.id)) this.waiting.set(row.id, row);
    this.loop.start([this.opts.library.access.subscribe(() => this.loop.schedule())]);
    this.changed();
    this.loop.schedule();
  }

  stop(): void {
    this.loop.stop();
  }

  /**
   * Puts links whose details are missing in the queue (a link saved a moment ago may not have its
   * row yet; it is looked at when its turn comes). `now` asks at once, whatever the backoff.
   */
  async enqueue(
    links: ReadonlyArray<{ id: string; url: string }>,
    { now = false }: { now?: boolean } = {},
  ): Promise<void> {
    const rows: UnfurlRow[] = [];
    for (const { id, url } of links) {
      const row = this.opts.library.store.get(id);
      if ((row && !lacksDetails(row)) || (this.waiting.has(id) && !now)) continue;
      rows.push({ id, url, attempts: 0, dueAt: this.loop.clock.now(), error: null });
    }
    if (!rows.length) return;
    await this.opts.db.unfurls.bulkPut(rows);
    for (const row of rows) {
      this.waiting.set(row.id, row);
      this.failed.delete(row.id);
    }
    this.changed();
    this.loop.schedule();
  }

  /** The same object until the link's status changes, as React's external stores need. */
  status(id: string): UnfurlStatus | null {
    return this.statuses.get(id);
  }

  private currentStatus(id: string): UnfurlStatus | null {
    if (this.fetching.has(id)) return { state: 'fetching' };
    const waiting = this.waiting.get(id);
    if (waiting) return { state: 'waiting', error: waiting.error };
    const error = this.failed.get(id);
    return error ? { state: 'failed', error } : null;
  }

  /** Links waiting for their details (fetching or not). */
  get size(): number {
    return this.waiting.size;
  }

  private async attempt(entry: UnfurlRow): Promise<void> {
    const { library, db } = this.opts;
    this.fetching.add(entry.id);
    this.changed();
    try {
      const row = library.store.get(entry.id);
      if (row && lacksDetails(row)) {
        library.fillEmptyDetails(entry.id, await this.opts.unfurl(row.url));
      }
      await this.settle(entry.id);
    } catch (error) {
      if (library.readOnly) return;
      const message = messageOf(error, 'the page did not answer');
      const { attempts, dueAt, giveUp } = afterFailedTry(entry.attempts, this.loop.clock.now());
      if (giveUp) {
        await this.settle(entry.id, message);
      } else {
        const retry: UnfurlRow = { ...entry, attempts, dueAt, error: message };
        this.waiting.set(entry.id, retry);
        await db.unfurls.put(retry);
      }
    } finally {
      this.fetching.delete(entry.id);
      this.changed();
      this.loop.schedule();
    }
  }

  /** Done with a link: answered, gone, or (with an error) given up on until asked again. */
  private async settle(id: string, error?: string): Promise<void> {
    this.waiting.delete(id);
    if (error) this.failed.set(id, error);
    await this.opts.db.unfurls.delete(id);
  }

  override destroy(): void {
    this.stop();
    super.destroy();
  }
}
