// How far a room's document is known to hold the stored log. With several hubs on one database
// the numbers are per room and gap-free, and a hub's own commit numbered 7 does not mean it holds
// 6: another hub may have committed 6, announced or not yet. `applied` is the newest number up to
// which every update is in the document; only that far may the room fold its log into a
// snapshot, and anything beyond it is fetched by number.
export class AppliedLog {
  private current = 0;
  /** Own commits numbered above `applied + 1`: in the document, with a gap below them. */
  private readonly ahead = new Set<number>();
  /** When the commits announced and not yet applied were made, for the cross-hub lag. */
  private readonly heardAt = new Map<number, number>();

  /**
   * `gapFree`: the store numbers each room's updates 1, 2, 3… (PostgreSQL). A single hub's
   * SQLite numbers all rooms together; there every own commit extends what the room holds.
   */
  constructor(private readonly gapFree: boolean) {}

  get applied(): number {
    return this.current;
  }

  /** The room loaded the log through `head`. */
  loaded(head: number): void {
    this.current = head;
    this.ahead.clear();
  }

  /** The room's own update was stored as `seq`; true when updates below it are missing. */
  own(seq: number): boolean {
    if (!this.gapFree || seq === this.current + 1) {
      this.current = Math.max(this.current, seq);
      this.advance();
      return false;
    }
    if (seq > this.current) this.ahead.add(seq);
    return seq > this.current;
  }

  /** The room applied every stored update through `seq`, fetched by number. */
  fetched(seq: number): void {
    this.current = Math.max(this.current, seq);
    this.advance();
  }

  /** Another hub's commit numbered `seq` was made at `at` (ms since the epoch). */
  heard(seq: number, at: number): void {
    if (seq > this.current && !this.heardAt.has(seq)) this.heardAt.set(seq, at);
  }

  /** How long ago each announced commit now applied was made, as of `now`; each told once. */
  lagsThrough(now: number): number[] {
    const lags: number[] = [];
    for (const [seq, at] of this.heardAt) {
      if (seq > this.current) continue;
      this.heardAt.delete(seq);
      lags.push(now - at);
    }
    return lags;
  }

  private advance(): void {
    for (const seq of this.ahead) if (seq <= this.current) this.ahead.delete(seq);
    while (this.ahead.delete(this.current + 1)) this.current++;
  }
}
