// What the PostgreSQL store counts, for the hub's /healthz and /metrics. Latencies are kept as
// a cumulative histogram (Prometheus' shape) so that percentiles can be computed across hubs.
import type { ListenerStats } from './listener';

/** Upper bounds of the latency buckets, in milliseconds. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

export interface LatencySnapshot {
  /** `[upper bound in ms, observations at or below it]`, cumulative, ending with Infinity. */
  buckets: [number, number][];
  count: number;
  sumMs: number;
}

export class LatencyHistogram {
  private readonly counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  private count = 0;
  private sumMs = 0;

  observe(ms: number): void {
    const index = LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound);
    this.counts[index === -1 ? LATENCY_BUCKETS_MS.length : index]!++;
    this.count++;
    this.sumMs += ms;
  }

  snapshot(): LatencySnapshot {
    let running = 0;
    const bounds = [...LATENCY_BUCKETS_MS, Infinity];
    return {
      buckets: bounds.map((bound, i) => [bound, (running += this.counts[i]!)]),
      count: this.count,
      sumMs: this.sumMs,
    };
  }
}

export interface StoreStats extends ListenerStats {
  /** Updates committed, and the transactions that committed them (a batch is one). */
  updatesCommitted: number;
  commits: number;
  /** Commits that failed: none of their updates was confirmed. */
  commitFailures: number;
  commitLatency: LatencySnapshot;
  loads: number;
  /** Reads by sequence number (`updatesSince`): how often a hub had to catch up. */
  catchUpFetches: number;
  compactions: number;
  /** Compactions that found a newer snapshot already stored and left it. */
  compactionsSkipped: number;
  /** Errors on idle pooled connections (a database restart breaks them all at once). */
  idleConnectionErrors: number;
}
