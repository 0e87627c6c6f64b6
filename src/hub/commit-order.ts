// What a room sends waits behind the commits started before it: a broadcast, a confirmation, a
// sync answer or a presence echo goes out only once every update the room had applied when it
// was queued is durable. The room applies and forwards updates without waiting for the disk in
// between, and still never shows anyone a change the disk does not have.
export class CommitOrder {
  private started = 0;
  private done = 0;
  private held: { after: number; send: () => void }[] = [];
  private waiters: { after: number; resolve: () => void }[] = [];

  /** Every update applied and not yet durable. */
  get inFlight(): number {
    return this.started - this.done;
  }

  /** A commit has started; call `finish` once it is durable, in the order they started. */
  begin(): void {
    this.started++;
  }

  finish(): void {
    this.done++;
    let released = 0;
    while (released < this.held.length && this.held[released]!.after <= this.done) released++;
    const ready = this.held.splice(0, released);
    for (const { send } of ready) send();
    const settled = this.waiters.filter((w) => w.after <= this.done);
    this.waiters = this.waiters.filter((w) => w.after > this.done);
    for (const { resolve } of settled) resolve();
  }

  /** Runs `send` now when nothing is in flight or held, else after the commits before it. */
  whenStored(send: () => void): void {
    if (this.held.length === 0 && this.done === this.started) send();
    else this.held.push({ after: this.started, send });
  }

  /** Resolves once every commit started so far is durable. */
  settled(): Promise<void> {
    if (this.done === this.started) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ after: this.started, resolve }));
  }

  /** Drops everything held: a commit failed, so nothing behind it may go out. */
  clear(): void {
    this.held = [];
  }
}
