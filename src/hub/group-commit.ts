// Group commit: every update that arrives while a commit is on its way to disk goes into the
// next one, whatever its room, so a busy hub pays one transaction and one flush for many
// updates instead of one each. Commits run one at a time and settle in the order they were
// asked for, so a room that waits for its updates in order sees them settle in order.
import type { RoomStore, RoomUpdate } from './room-store';

interface Queued extends RoomUpdate {
  lane: CommitLane;
  resolve: (seq: number) => void;
  reject: (error: Error) => void;
}

/** A commit holds at most this much; what is left waits for the next. */
const MAX_BATCH = { updates: 1000, bytes: 16 * 1024 * 1024 };

export interface CommitStats {
  commits: number;
  updates: number;
  /** The updates of the largest commit so far. */
  largest: number;
}

export class GroupCommit {
  readonly stats: CommitStats = { commits: 0, updates: 0, largest: 0 };
  private queued: Queued[] = [];
  private running: Promise<void> | null = null;
  private scheduled = false;

  constructor(
    private readonly store: Pick<RoomStore, 'appendMany'>,
    /** Told how long each commit took, in milliseconds. */
    private readonly onCommitted: (ms: number) => void = () => {},
  ) {}

  /**
   * One room instance's way in. When a commit holding its updates fails, the lane is broken:
   * its later updates were built on the lost ones, so they are refused too.
   */
  lane(room: string): CommitLane {
    return new CommitLane(room, (entry) => this.enqueue(entry));
  }

  /** Resolves once everything asked for so far has settled. */
  async drain(): Promise<void> {
    while (this.running || this.queued.length > 0 || this.scheduled) {
      await (this.running ?? Promise.resolve());
      await new Promise<void>((done) => setImmediate(done));
    }
  }

  private enqueue(entry: Queued): void {
    this.queued.push(entry);
    if (this.running || this.scheduled) return;
    // Updates that arrive in the same turn of the event loop share the first commit too.
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.next();
    });
  }

  private next(): void {
    if (this.running) return;
    const batch = this.take();
    if (batch.length === 0) return;
    this.running = this.commit(batch).finally(() => {
      this.running = null;
      this.next();
    });
  }

  private take(): Queued[] {
    let bytes = 0;
    let count = 0;
    while (count < this.queued.length && count < MAX_BATCH.updates) {
      const size = this.queued[count]!.update.length;
      if (count > 0 && bytes + size > MAX_BATCH.bytes) break;
      bytes += size;
      count++;
    }
    const batch = this.queued.splice(0, count);
    // A lane broken since these were queued must not commit them.
    const live: Queued[] = [];
    for (const entry of batch) {
      if (entry.lane.broken) entry.reject(entry.lane.broken);
      else live.push(entry);
    }
    return live;
  }

  private async commit(batch: Queued[]): Promise<void> {
    let seqs: number[];
    const started = performance.now();
    try {
      seqs = await this.store.appendMany(batch.map(({ room, update }) => ({ room, update })));
      this.onCommitted(performance.now() - started);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const entry of batch) entry.lane.broken ??= failure;
      for (const entry of batch) entry.reject(failure);
      return;
    }
    this.stats.commits++;
    this.stats.updates += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    batch.forEach((entry, i) => entry.resolve(seqs[i]!));
  }
}

export class CommitLane {
  /** Why an earlier commit of this lane failed; set once, for good. */
  broken: Error | undefined;

  constructor(
    readonly room: string,
    private readonly enqueue: (entry: Queued) => void,
  ) {}

  /** Resolves with the update's sequence number once it is durable. */
  append(update: Uint8Array): Promise<number> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.enqueue({ room: this.room, update, lane: this, resolve, reject });
    });
  }
}
