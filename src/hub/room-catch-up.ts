// How a room served by several hubs keeps up with what the other hubs stored. Their commits come
// announced, sometimes with their updates; an announcement that continues what the room holds is
// applied as it came, anything else is fetched by number. One fetch runs at a time, outside the
// room's queue, so that members' messages go on meanwhile; what it brings is applied in the queue.
// A late, repeated or missing announcement costs only a fetch, or the hub's next check.
import type * as Y from 'yjs';
import type { AppliedLog } from './applied-log';
import { FROM_CLUSTER, type RoomCluster } from './room-deps';
import type { LogEntry } from './room-store';

/**
 * Applies other hubs' stored updates in order through `applyOne`, and sorts what the document
 * gained by where it came from: those updates, or members' changes that were waiting for them.
 */
export function applyStored(
  doc: Y.Doc,
  entries: readonly LogEntry[],
  applyOne: (update: Uint8Array) => void,
): { fromCluster: Uint8Array[]; resumed: Uint8Array[] } {
  const fromCluster: Uint8Array[] = [];
  const resumed: Uint8Array[] = [];
  const collect = (update: Uint8Array, origin: unknown) =>
    (origin === FROM_CLUSTER ? fromCluster : resumed).push(update);
  doc.on('update', collect);
  try {
    for (const entry of entries) applyOne(entry.update);
  } finally {
    doc.off('update', collect);
  }
  return { fromCluster, resumed };
}

/** What catching up needs of its room. */
export interface CatchUpRoom {
  readonly name: string;
  readonly cluster: RoomCluster | undefined;
  /** How far the room holds the stored log. */
  readonly log: AppliedLog;
  /** False once the room broke or was released: nothing more is fetched for it. */
  usable(): boolean;
  /** Runs `task` in the room's serial queue. */
  enqueue(task: () => void | Promise<void>): void;
  /** Applies updates numbered without a gap, skipping those the room holds already. */
  apply(entries: LogEntry[], how: 'fetched' | 'carried'): void;
  note(line: string): void;
}

export class CatchUp {
  /** A fetch by number is under way; `again`: something more was announced meanwhile. */
  private fetching = false;
  private again = false;
  /** Settles when the fetch under way has been applied. */
  private fetched: Promise<void> = Promise.resolve();

  constructor(private readonly room: CatchUpRoom) {}

  /** A fetch is under way, or applied results are still to come. */
  get busy(): boolean {
    return this.fetching;
  }

  /** Settles once the fetch under way, if any, has been applied. */
  settled(): Promise<void> {
    return this.fetched;
  }

  /**
   * Another hub committed the room's updates through `seq` (`at`: when, in ms since the epoch, if
   * known; `updates`: the commit's updates to this room, numbered up to `seq`, if they came along).
   */
  heard(seq: number, at?: number, updates?: Uint8Array[]): void {
    const { log } = this.room;
    if (seq <= log.applied) return;
    if (at !== undefined) log.heard(seq, at);
    if (!updates?.length) return this.request();
    // The commit's updates came along: applied when they continue what the room holds.
    const first = seq - updates.length + 1;
    this.room.enqueue(() => {
      if (seq <= log.applied) return;
      if (first > log.applied + 1) return this.request();
      const entries = updates.map((update, i) => ({ seq: first + i, update }));
      this.room.apply(entries, 'carried');
    });
  }

  /** Fetches whatever other hubs stored after what the room holds: one fetch at a time. */
  request(): void {
    if (!this.room.cluster || !this.room.usable()) return;
    if (this.fetching) {
      this.again = true;
      return;
    }
    this.fetching = true;
    this.again = false;
    this.fetched = this.fetchAfter(this.room.log.applied).then((entries) => {
      this.room.enqueue(() => {
        if (entries) this.room.apply(entries, 'fetched');
        this.fetching = false;
        if (this.again) this.request();
      });
    });
  }

  /** Fetches and applies, as the room's next task, whatever other hubs stored. */
  fetchInQueue(): void {
    if (!this.room.cluster) return;
    this.room.enqueue(async () => {
      const entries = await this.fetchAfter(this.room.log.applied);
      if (entries) this.room.apply(entries, 'fetched');
    });
  }

  /** Every stored update after `seq`, or null when the store could not be read. */
  private async fetchAfter(seq: number): Promise<LogEntry[] | null> {
    try {
      return (await this.room.cluster?.updatesSince(this.room.name, seq)) ?? null;
    } catch (error) {
      // The next announcement, or the hub's periodic check, asks again.
      this.room.note(`room ${this.room.name} could not catch up: ${String(error)}`);
      return null;
    }
  }
}
