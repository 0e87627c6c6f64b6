// A clock and a network that tests control, for the queues that wait on both (unfurl-queue.ts,
// snapshots-queue.ts): time passes when the test says, and the device is online when it says.
import type { Observable } from './observable';
import type { Network, QueueClock } from './fetch-queue';

export class FakeClock implements QueueClock {
  time = 1_700_000_000_000;
  private timers: Array<{ at: number; run: () => void }> = [];
  now = () => this.time;
  after(ms: number, run: () => void) {
    const timer = { at: this.time + ms, run };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
  advance(ms: number) {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const timer of due) timer.run();
  }
}

export class FakeNetwork implements Network {
  private listeners = new Set<() => void>();
  constructor(public isOnline: boolean) {}
  online = () => this.isOnline;
  subscribe(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(online: boolean) {
    this.isOnline = online;
    for (const l of this.listeners) l();
  }
}

/** Resolves once `check` holds, looked at now and after each change the queue reports. */
export function until(queue: Observable, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const look = () => {
      if (!check()) return;
      queue.off('change', look);
      resolve();
    };
    queue.on('change', look);
    look();
  });
}
