// Titles and descriptions for links saved before their page answered (offline, or the page was
// down). Each such link waits in the collection's `unfurls` table, so a restart forgets none; the
// queue asks its page while the device is online, backs off after a failure, and asks every
// waiting page again at once when the network comes back. What the page says only fills fields
// still empty, and nothing is fetched for a collection this device may not change.
import type { FetchedDetails } from './details';
import { lacksDetails } from './details';
import type { CollectionDb, UnfurlRow } from './db';
import { Observable, type Unsubscribe } from './observable';

/** Time, injectable so tests decide when it passes. */
export interface QueueClock {
  now(): number;
  /** Calls `run` after `ms`; returns how to cancel it. */
  after(ms: number, run: () => void): () => void;
}

/** Whether the device is online, and word when that changes. */
export interface Network {
  online(): boolean;
  subscribe(listener: () => void): Unsubscribe;
}

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

/** After this many failed tries a link waits for the curator's "Fetch details again". */
export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 30_000;
const LONGEST_WAIT_MS = 60 * 60_000;
/** setTimeout's limit; a later retry is simply woken early and put back to sleep. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How long to wait after the n-th failed try: 30 s, doubling, at most an hour. */
export function retryDelay(attempts: number): number {
  return Math.min(LONGEST_WAIT_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

export const systemClock: QueueClock = {
  now: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, Math.min(ms, MAX_TIMER_MS));
    return () => clearTimeout(timer);
  },
};

export const browserNetwork: Network = {
  online: () => globalThis.navigator?.onLine ?? true,
  subscribe(listener) {
    globalThis.addEventListener?.('online', listener);
    globalThis.addEventListener?.('offline', listener);
    return () => {
      globalThis.removeEventListener?.('online', listener);
      globalThis.removeEventListener?.('offline', listener);
    };
  },
};

/**
 * Follows the network: `back` when the device comes online again (a queue asks every waiting page
 * at once then, whatever its backoff), `changed` after every change.
 */
export function watchNetwork(
  network: Network,
  { back, changed }: { back: () => void; changed: () => void },
): Unsubscribe {
  let wasOnline = network.online();
  return network.subscribe(() => {
    const online = network.online();
    if (online && !wasOnline) back();
    wasOnline = online;
    changed();
  });
}

/** Hands out the same status object until the status changes, as React's external stores need. */
export class StableStatuses<T> {
  private readonly shown = new Map<string, T | null>();
  constructor(private readonly current: (id: string) => T | null) {}

  get(id: string): T | null {
    const next = this.current(id);
    const shown = this.shown.get(id);
    if (shown !== undefined && JSON.stringify(shown) === JSON.stringify(next)) return shown;
    this.shown.set(id, next);
    return next;
  }
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : 'the page did not answer';
}

export class UnfurlQueue extends Observable {
  private readonly waiting = new Map<string, UnfurlRow>();
  private readonly fetching = new Set<string>();
  private readonly failed = new Map<string, string>();
  private readonly statuses = new StableStatuses<UnfurlStatus>((id) => this.currentStatus(id));
  private readonly clock: QueueClock;
  private readonly network: Network;
  private cancelTimer: (() => void) | null = null;
  private unsubscribe: Unsubscribe[] = [];
  private running = false;
  private stopped = false;

  constructor(private readonly opts: UnfurlQueueOptions) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.network = opts.network ?? browserNetwork;
  }

  /** Reads what was waiting when the app last closed, and starts working through it. */
  async start(): Promise<void> {
    const stored = await this.opts.db.unfurls.toArray();
    if (this.stopped) return;
    for (const row of stored) if (!this.waiting.has(row.id)) this.waiting.set(row.id, row);
    this.running = true;
    this.unsubscribe = [
      watchNetwork(this.network, {
        back: () => {
          for (const row of this.waiting.values())
            row.dueAt = Math.min(row.dueAt, this.clock.now());
        },
        changed: () => this.schedule(),
      }),
      this.opts.library.access.subscribe(() => this.schedule()),
    ];
    this.changed();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = null;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
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
      rows.push({ id, url, attempts: 0, dueAt: this.clock.now(), error: null });
    }
    if (!rows.length) return;
    await this.opts.db.unfurls.bulkPut(rows);
    for (const row of rows) {
      this.waiting.set(row.id, row);
      this.failed.delete(row.id);
    }
    this.changed();
    this.schedule();
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

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (!this.running || this.opts.library.readOnly || !this.network.online()) return;
    const now = this.clock.now();
    const limit = this.opts.concurrency ?? 3;
    let next = Infinity;
    for (const row of this.waiting.values()) {
      if (this.fetching.has(row.id)) continue;
      if (row.dueAt > now) next = Math.min(next, row.dueAt);
      else if (this.fetching.size < limit)
        this.attempt(row).catch((error: unknown) => {
          // Only the bookkeeping can fail here (the database closed under it); the link waits.
          if (this.running) console.error('Could not record a fetch of link details:', error);
        });
    }
    if (next < Infinity) this.cancelTimer = this.clock.after(next - now, () => this.schedule());
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
      const attempts = entry.attempts + 1;
      if (attempts >= MAX_ATTEMPTS) {
        await this.settle(entry.id, messageOf(error));
      } else {
        const retry: UnfurlRow = {
          ...entry,
          attempts,
          dueAt: this.clock.now() + retryDelay(attempts),
          error: messageOf(error),
        };
        this.waiting.set(entry.id, retry);
        await db.unfurls.put(retry);
      }
    } finally {
      this.fetching.delete(entry.id);
      this.changed();
      this.schedule();
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
