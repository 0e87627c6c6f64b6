// A token bucket: `burst` at once, then one more every `everyMs`.
import type { HubClock } from './clock';

export class RateLimit {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: HubClock,
    private readonly burst: number,
    private readonly everyMs: number,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** True when the action may go ahead now (and counts it). */
  take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) / this.everyMs);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}
