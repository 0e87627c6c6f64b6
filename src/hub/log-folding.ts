// When a room folds its stored log into one snapshot: once the log has grown past a number of
// rows, never while one fold is still being written, and never further than the room holds
// every update without a gap. The snapshot is taken by the caller at that instant; it is
// written outside the room's queue.
import type { RoomStore } from './room-store';

export class LogFolding {
  /** Rows the room's log has, as far as this hub knows (other hubs add theirs). */
  private rows = 0;
  private folding = false;

  constructor(
    private readonly store: RoomStore,
    private readonly room: string,
    private readonly foldAfter: number,
    private readonly log: (line: string) => void,
  ) {}

  get count(): number {
    return this.rows;
  }

  /** The log gained `added` rows (loading counts them all). */
  grew(added: number): void {
    this.rows += added;
  }

  /** True when a fold is due and none is being written. */
  due(): boolean {
    return !this.folding && this.rows >= this.foldAfter;
  }

  /** Writes `snapshot` in place of every row numbered up to `through`, soon, off the queue. */
  foldSoon(through: number, snapshot: Uint8Array): void {
    this.folding = true;
    const replaced = this.rows;
    setImmediate(() => {
      this.store
        .compact(this.room, through, snapshot)
        .then(() => (this.rows -= replaced - 1))
        .catch((error: unknown) => this.log(`room ${this.room} compaction failed: ${error}`))
        .finally(() => (this.folding = false));
    });
  }

  /** Folds now (the room is being released), unless a fold is still being written. */
  async foldNow(through: number, snapshot: () => Uint8Array): Promise<void> {
    if (this.folding || through === 0 || this.rows <= 1) return;
    await this.store.compact(this.room, through, snapshot());
    this.rows = 1;
  }
}
