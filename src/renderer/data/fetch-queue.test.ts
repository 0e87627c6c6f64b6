// The retry schedule and the loop both fetch queues run on, with a clock and a network the test
// moves; each queue's own behaviour is in unfurl-queue.test.ts and snapshots.test.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FetchLoop,
  MAX_ATTEMPTS,
  StableStatuses,
  afterFailedTry,
  messageOf,
  retryDelay,
  type FetchLoopOptions,
  type Retry,
} from './fetch-queue';
import { FakeClock, FakeNetwork } from './queue-testing';

const SECOND = 1000;

describe('the retry schedule', () => {
  it('waits 30 s after the first failure, doubling up to an hour', () => {
    const waits = Array.from({ length: MAX_ATTEMPTS }, (_, i) => retryDelay(i + 1) / SECOND);
    expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600]);
    expect(retryDelay(0)).toBe(30 * SECOND);
    expect(retryDelay(40)).toBe(3600 * SECOND);
  });

  it('counts each failure, and gives up on the last try or when trying again cannot help', () => {
    const now = 1_000_000;
    expect(afterFailedTry(0, now)).toEqual({
      attempts: 1,
      dueAt: now + 30 * SECOND,
      giveUp: false,
    });
    expect(afterFailedTry(MAX_ATTEMPTS - 2, now).giveUp).toBe(false);
    expect(afterFailedTry(MAX_ATTEMPTS - 1, now)).toMatchObject({
      attempts: MAX_ATTEMPTS,
      giveUp: true,
    });
    expect(afterFailedTry(0, now, false)).toMatchObject({ attempts: 1, giveUp: true });
  });

  it('never waits less after another failure, never over an hour, and gives up exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (start) => {
        let attempts = 0;
        let now = start;
        let lastWait = 0;
        const outcomes: boolean[] = [];
        while (outcomes.length < MAX_ATTEMPTS) {
          const next = afterFailedTry(attempts, now);
          const wait = next.dueAt - now;
          expect(wait).toBeGreaterThanOrEqual(lastWait);
          expect(wait).toBeLessThanOrEqual(3600 * SECOND);
          outcomes.push(next.giveUp);
          ({ attempts } = next);
          lastWait = wait;
          now = next.dueAt;
        }
        expect(outcomes.indexOf(true)).toBe(MAX_ATTEMPTS - 1);
      }),
    );
  });

  it('says what a failure said, or the queue’s own words', () => {
    expect(messageOf(new Error('HTTP 503'), 'no answer')).toBe('HTTP 503');
    for (const silent of [null, undefined, 'text', new Error(''), { message: 42 }])
      expect(messageOf(silent, 'no answer')).toBe('no answer');
  });
});

describe('stable statuses', () => {
  it('hand out the same object until the status changes', () => {
    let state = { state: 'waiting', error: null as string | null };
    const statuses = new StableStatuses((id) => (id === 'a' ? { ...state } : null));
    const first = statuses.get('a');
    expect(statuses.get('a')).toBe(first);
    state = { state: 'waiting', error: 'HTTP 503' };
    const second = statuses.get('a');
    expect(second).not.toBe(first);
    expect(second).toEqual(state);
    expect(statuses.get('b')).toBeNull();
  });
});

interface Row extends Retry {
  failed?: boolean;
}

/** A loop whose fetches stay under way until the test ends them, and what it started. */
function loopWith(options: Partial<FetchLoopOptions<Row>> = {}, online = true) {
  const clock = new FakeClock();
  const network = new FakeNetwork(online);
  const started: string[] = [];
  const loop: FetchLoop<Row> = new FetchLoop<Row>({
    clock,
    network,
    concurrency: 2,
    allowed: () => true,
    fetch: (row) => {
      loop.fetching.add(row.id);
      started.push(row.id);
    },
    retrying: (row) => !row.failed,
    ...options,
  });
  const finish = (id: string) => {
    loop.fetching.delete(id);
    loop.retries.delete(id);
    loop.schedule();
  };
  const add = (id: string, dueIn: number, failed = false) =>
    loop.retries.set(id, { id, dueAt: clock.now() + dueIn, failed });
  return { clock, network, loop, started, finish, add };
}

describe('the fetch loop', () => {
  it('starts what is due a few at a time, and the next when one finishes', () => {
    const { loop, started, finish, add } = loopWith();
    for (const id of ['a', 'b', 'c']) add(id, 0);
    loop.start([]);
    loop.schedule();
    expect(started).toEqual(['a', 'b']);
    finish('a');
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('sleeps until the next retry is due', () => {
    const { clock, loop, started, add } = loopWith();
    add('later', 60 * SECOND);
    add('soon', 30 * SECOND);
    loop.start([]);
    loop.schedule();
    expect(started).toEqual([]);
    clock.advance(30 * SECOND - 1);
    expect(started).toEqual([]);
    clock.advance(1);
    expect(started).toEqual(['soon']);
    clock.advance(30 * SECOND);
    expect(started).toEqual(['soon', 'later']);
  });

  it('waits while offline, and tries every waiting link at once when the network is back', () => {
    const { network, loop, started, add } = loopWith({ concurrency: 5 }, false);
    add('a', 3600 * SECOND);
    add('b', 10 * SECOND);
    add('given-up', 0, true);
    loop.start([]);
    loop.schedule();
    expect(started).toEqual([]);
    network.set(true);
    expect(started).toEqual(['a', 'b']);
  });

  it('leaves a link given up on for the curator, whatever the clock says', () => {
    const { clock, loop, started, add } = loopWith();
    add('given-up', 0, true);
    loop.start([]);
    loop.schedule();
    clock.advance(24 * 3600 * SECOND);
    expect(started).toEqual([]);
  });

  it('fetches nothing while not allowed, and nothing more once stopped', () => {
    let allowed = false;
    const { clock, loop, started, add } = loopWith({ allowed: () => allowed });
    add('a', 0);
    add('b', 10 * SECOND);
    loop.start([]);
    loop.schedule();
    expect(started).toEqual([]);
    allowed = true;
    loop.schedule();
    expect(started).toEqual(['a']);
    loop.stop();
    expect(loop.stopped).toBe(true);
    clock.advance(10 * SECOND);
    expect(started).toEqual(['a']);
  });

  it('fills what room is left after the due retries from `more`', () => {
    const backlog = ['x', 'y', 'z'];
    const { loop, started, add } = loopWith({
      more: (_now, hasRoom) => {
        while (hasRoom() && backlog.length) {
          const id = backlog.shift()!;
          loop.fetching.add(id);
          started.push(id);
        }
      },
    });
    add('retry', 0);
    loop.start([]);
    loop.schedule();
    expect(started).toEqual(['retry', 'x']);
  });

  it('tells of network changes, and lets go of what it followed when stopped', () => {
    const changes: string[] = [];
    let followed = true;
    const { network, loop } = loopWith({ networkChanged: () => changes.push('network') });
    loop.start([() => (followed = false)]);
    network.set(false);
    network.set(true);
    expect(changes).toEqual(['network', 'network']);
    loop.stop();
    expect(followed).toBe(false);
    network.set(false);
    expect(changes).toHaveLength(2);
  });
});
