// Time as the hub sees it. Deadlines (an upgrade that never completes, a sync request budget)
// go through this, so tests can move time on by hand instead of waiting for it.

export interface HubClock {
  now(): number;
  /** Runs `task` after `ms`; the returned function cancels it. Never keeps the process alive. */
  after(ms: number, task: () => void): () => void;
}

export const systemClock: HubClock = {
  now: () => Date.now(),
  after(ms, task) {
    const timer = setTimeout(task, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
