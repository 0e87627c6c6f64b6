// What the queues that fetch pages for links share (titles and descriptions: unfurl-queue.ts;
// articles for reading offline: snapshots-queue.ts): injected time and network, the backoff after
// a failed try and when to give up, and the loop that starts what is due a few at a time, sleeps
// until the next retry, and tries everything waiting at once when the network comes back. Each
// queue keeps what it fetches, where its rows are stored and what its statuses say.
import type { Unsubscribe } from './observable';

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

/** After this many failed tries a link waits for the curator to ask again. */
export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 30_000;
const LONGEST_WAIT_MS = 60 * 60_000;
/** setTimeout's limit; a later retry is simply woken early and put back to sleep. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How long to wait after the n-th failed try: 30 s, doubling, at most an hour. */
export function retryDelay(attempts: number): number {
  return Math.min(LONGEST_WAIT_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * What a failed try leads to, after `attempts` earlier failures: the count now, when to try again,
 * and whether to give up instead (the last try failed, or trying again cannot help).
 */
export function afterFailedTry(
  attempts: number,
  now: number,
  worthRetrying = true,
): { attempts: number; dueAt: number; giveUp: boolean } {
  const failures = attempts + 1;
  return {
    attempts: failures,
    dueAt: now + retryDelay(failures),
    giveUp: !worthRetrying || failures >= MAX_ATTEMPTS,
  };
}

/** The message of what a fetch threw, or `fallback` when it carries none. */
export function messageOf(error: unknown, fallback: string): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : fallback;
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

/** A link waiting for another try. */
export interface Retry {
  id: string;
  /** Not tried again before this time (ms since the epoch). */
  dueAt: number;
}

export interface FetchLoopOptions<Row extends Retry> {
  clock?: QueueClock;
  network?: Network;
  /** Fetches under way at once. */
  concurrency: number;
  /** Whether the queue may fetch now at all, online or not. */
  allowed(): boolean;
  /** Starts fetching a due link (the loop counts it as under way until `finished`). */
  fetch(row: Row): void;
  /** False for a link given up on: it waits for the curator, not the clock. */
  retrying?(row: Row): boolean;
  /** Starts more than the due retries while `hasRoom()` (a backlog), at `now`. */
  more?(now: number, hasRoom: () => boolean): void;
  /** Told of every change of the network, after the loop has looked at it. */
  networkChanged?(): void;
}

/** Starts what is due, a few at a time, and sleeps until the next retry is due. */
export class FetchLoop<Row extends Retry> {
  /** Links waiting for another try, by id. */
  readonly retries = new Map<string, Row>();
  /** Ids of the links being fetched now. */
  readonly fetching = new Set<string>();
  readonly clock: QueueClock;
  readonly network: Network;
  private running = false;
  /** Stopped for good: a fetch that ends after this records nothing. */
  private ended = false;
  private cancelTimer: (() => void) | null = null;
  private unsubscribe: Unsubscribe[] = [];

  constructor(private readonly opts: FetchLoopOptions<Row>) {
    this.clock = opts.clock ?? systemClock;
    this.network = opts.network ?? browserNetwork;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get stopped(): boolean {
    return this.ended;
  }

  /** Starts working, following the network and `subscriptions` until stopped. */
  start(subscriptions: Unsubscribe[]): void {
    this.running = true;
    let wasOnline = this.network.online();
    const network = this.network.subscribe(() => {
      const online = this.network.online();
      // Back online: every page waiting is asked at once, whatever its backoff.
      if (online && !wasOnline) this.dueNow();
      wasOnline = online;
      this.opts.networkChanged?.();
      this.schedule();
    });
    this.unsubscribe = [network, ...subscriptions];
  }

  stop(): void {
    this.ended = true;
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = null;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  /** Starts the retries that are due, then `more`, and sleeps until the next retry. */
  schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (!this.running || !this.opts.allowed() || !this.network.online()) return;
    const now = this.clock.now();
    const hasRoom = () => this.fetching.size < this.opts.concurrency;
    let next = Infinity;
    for (const row of this.retries.values()) {
      if (this.fetching.has(row.id) || this.opts.retrying?.(row) === false) continue;
      if (row.dueAt > now) next = Math.min(next, row.dueAt);
      else if (hasRoom()) this.opts.fetch(row);
    }
    this.opts.more?.(now, hasRoom);
    if (next < Infinity) this.cancelTimer = this.clock.after(next - now, () => this.schedule());
  }

  private dueNow(): void {
    const now = this.clock.now();
    for (const row of this.retries.values()) {
      if (this.opts.retrying?.(row) !== false) row.dueAt = Math.min(row.dueAt, now);
    }
  }
}
