// The queue runner with a real library (fake-indexeddb), a real outbox and a fake clock; only the
// DesktopApi seam is a stand-in (outbox-testing.ts). The same runner against a local PDS and a
// real hub is in tests/queue-runner.integration.test.ts.
import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import {
  enqueue,
  getPublication,
  readQueue,
  setSchedule,
  type Actor,
} from '../../shared/collection';
import type { Coordination, StateVector } from '../../shared/publish';
import type { LocalLibrary } from './library';
import type { Outbox } from './outbox';
import { PUBLISH_ORIGIN } from './outbox';
import { SETTINGS, me, openLibrary, outboxFor, scriptedApi, type Api } from './outbox-testing';
import type { PublishSettings } from './publish-settings';
import { FakeClock } from './queue-testing';
import { ALONE, LONGEST_WAIT_MS, QueueRunner, type CoordinationSource } from './queue-runner';

const MINUTE = 60_000;
/** Monday 4 May 2026, 10:59 UTC. */
const START = Date.UTC(2026, 4, 4, 10, 59);
const SLOTS = ['11:00', '11:01', '11:02'];

interface Posted {
  at: number;
  itemIds: string[];
}

async function world(
  options: {
    replies?: Parameters<typeof scriptedApi>[0];
    attempts?: number;
    settings?: PublishSettings;
  } = {},
) {
  const clock = new FakeClock();
  clock.time = START;
  const lib = await openLibrary(new IDBFactory());
  const scripted = scriptedApi(options.replies ?? []);
  const posted: Posted[] = [];
  const api: Api = {
    ...scripted.api,
    publishBluesky: (job, settings) => {
      posted.push({ at: clock.now(), itemIds: job.posts.map((p) => p.itemId) });
      return scripted.api.publishBluesky(job, settings);
    },
  };
  const backoff = { maxAttempts: options.attempts ?? 3 };
  const outbox = outboxFor(lib, api, {
    now: clock.now,
    backoff,
    ...(options.settings ? { settings: async () => options.settings! } : {}),
  });
  const actor: Actor = { memberId: me.id, now: clock.now };
  return { clock, lib, outbox, posted, actor };
}

function runnerFor(
  lib: LocalLibrary,
  outbox: Outbox,
  clock: FakeClock,
  coordination: CoordinationSource = ALONE,
) {
  return new QueueRunner({
    collectionId: 'c1',
    doc: lib.doc,
    ready: lib.whenReady,
    actor: { memberId: me.id, origin: PUBLISH_ORIGIN },
    outbox,
    row: (id) => lib.store.get(id),
    coordination,
    clock,
  });
}

/** Lets the runner and the outbox finish what the last change started. */
async function quiet(runner: QueueRunner, outbox: Outbox): Promise<void> {
  for (let round = 0; round < 20; round++) {
    await runner.idle();
    await outbox.runDue();
    if (!runner.busy) return;
  }
  throw new Error('the runner never went quiet');
}

/** Moves the fake clock minute by minute, letting everything due run at each step. */
async function pass(ms: number, clock: FakeClock, runner: QueueRunner, outbox: Outbox) {
  for (let left = ms; left > 0; left -= Math.min(left, MINUTE)) {
    clock.advance(Math.min(left, MINUTE));
    await quiet(runner, outbox);
  }
}

function addPicks(lib: LocalLibrary, actor: Actor, n: number): string[] {
  const ids = lib
    .addLinks(
      Array.from({ length: n }, (_, i) => ({
        url: `https://pick${i}.example/post`,
        title: `Pick ${i}`,
        description: `Pick number ${i}`,
      })),
    )
    .map((added) => added.id);
  for (const id of ids) enqueue(lib.doc, id, ['bluesky'], actor);
  return ids;
}

function everyDayAt(lib: LocalLibrary, actor: Actor, times: string[]) {
  setSchedule(
    lib.doc,
    {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      times,
      timeZone: 'UTC',
      targets: { bluesky: 'queue', site: 'queue' },
    },
    actor,
  );
}

describe('QueueRunner', () => {
  it('posts one pick per slot, in queue order, never before its slot, and settles each', async () => {
    const { clock, lib, outbox, posted, actor } = await world();
    const ids = addPicks(lib, actor, 3);
    everyDayAt(lib, actor, SLOTS);
    const runner = runnerFor(lib, outbox, clock);
    runner.start();
    await quiet(runner, outbox);
    expect(posted).toEqual([]);

    await pass(MINUTE - 1, clock, runner, outbox);
    expect(posted).toEqual([]);
    await pass(1, clock, runner, outbox);
    await pass(MINUTE, clock, runner, outbox);
    await pass(MINUTE, clock, runner, outbox);
    expect(posted).toEqual([
      { at: Date.UTC(2026, 4, 4, 11, 0), itemIds: [ids[0]] },
      { at: Date.UTC(2026, 4, 4, 11, 1), itemIds: [ids[1]] },
      { at: Date.UTC(2026, 4, 4, 11, 2), itemIds: [ids[2]] },
    ]);
    for (const id of ids) expect(getPublication(lib.doc, id, 'bluesky')?.state).toBe('published');
    // Settled: the picks left the queue entirely.
    expect([...lib.doc.getMap('queue').keys()]).toEqual([]);
    runner.stop();
    await lib.close();
  });

  it('posts one missed slot when it starts, then one per slot going forward: never a burst', async () => {
    const { clock, lib, outbox, posted, actor } = await world();
    const ids = addPicks(lib, actor, 3);
    everyDayAt(lib, actor, SLOTS);
    // No Curio ran through all three slots.
    clock.time = Date.UTC(2026, 4, 4, 11, 30);
    const runner = runnerFor(lib, outbox, clock);
    runner.start();
    await quiet(runner, outbox);
    expect(posted).toEqual([{ at: clock.time, itemIds: [ids[0]] }]);
    // Until 11:00 tomorrow nothing more goes out, however often it wakes.
    await pass(23 * 60 * MINUTE, clock, runner, outbox);
    expect(posted).toHaveLength(1);
    await pass(31 * MINUTE, clock, runner, outbox);
    expect(posted.map((p) => p.itemIds[0])).toEqual([ids[0], ids[1], ids[2]]);
    runner.stop();
    await lib.close();
  });

  it('marks a pick failed when its job gives up, and the next slot takes the next pick', async () => {
    const { clock, lib, outbox, posted, actor } = await world({
      replies: [new Error('Bluesky refused the card')],
      attempts: 1,
    });
    const ids = addPicks(lib, actor, 2);
    everyDayAt(lib, actor, SLOTS);
    const runner = runnerFor(lib, outbox, clock);
    runner.start();
    await pass(4 * MINUTE, clock, runner, outbox);
    const failed = readQueue(lib.doc).picks.find((p) => p.itemId === ids[0]);
    expect(failed?.failed?.error).toBe('Bluesky refused the card');
    // Tried once: the failure did not send it out again in the same slot.
    expect(posted.filter((p) => p.itemIds[0] === ids[0])).toHaveLength(1);
    expect(posted.map((p) => p.itemIds[0])).toContain(ids[1]);
    expect(getPublication(lib.doc, ids[1]!, 'bluesky')?.state).toBe('published');
    runner.stop();
    await lib.close();
  });

  it('with a hub, posts only once a confirmation covers its claim', async () => {
    const { clock, lib, outbox, posted, actor } = await world();
    const ids = addPicks(lib, actor, 1);
    everyDayAt(lib, actor, ['11:00']);
    let confirmed: StateVector | null = null;
    const listeners = new Set<() => void>();
    const hub: CoordinationSource = {
      get: (): Coordination => ({ kind: 'hub', confirmed }),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const runner = runnerFor(lib, outbox, clock, hub);
    runner.start();
    await pass(MINUTE, clock, runner, outbox);
    expect(readQueue(lib.doc).claims).toHaveLength(1);
    expect(runner.lastDecision?.kind).toBe('confirming');
    expect(posted).toEqual([]);

    // The hub stored the claim: its confirmation now covers it.
    confirmed = readQueue(lib.doc).stateVector;
    for (const listener of listeners) listener();
    await quiet(runner, outbox);
    expect(posted).toEqual([{ at: clock.time, itemIds: ids }]);
    runner.stop();
    await lib.close();
  });

  it('looks again within a minute whatever the decision said, so a sleeping laptop catches up', async () => {
    const { clock, lib, outbox, actor } = await world();
    addPicks(lib, actor, 1);
    everyDayAt(lib, actor, ['12:00']);
    const runner = runnerFor(lib, outbox, clock);
    runner.start();
    await quiet(runner, outbox);
    expect(runner.lastDecision).toMatchObject({ kind: 'wait', until: Date.UTC(2026, 4, 4, 12) });
    const decisions: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      runner.lastDecision = null;
      clock.advance(LONGEST_WAIT_MS / 3);
      await quiet(runner, outbox);
      decisions.push(runner.lastDecision);
    }
    // Woken by the timer at 60 s, not only by the next slot.
    expect(decisions.filter(Boolean)).toHaveLength(1);
    runner.stop();
    await lib.close();
  });

  it('stays out of a slot it could not publish: Bluesky is not set up on this device', async () => {
    const { clock, lib, outbox, posted, actor } = await world({
      settings: { ...SETTINGS, bluesky: null },
    });
    const [id] = addPicks(lib, actor, 1);
    everyDayAt(lib, actor, ['11:00']);
    const runner = runnerFor(lib, outbox, clock);
    runner.start();
    await pass(2 * MINUTE, clock, runner, outbox);
    expect(posted).toEqual([]);
    // No claim: a maintainer whose Curio is set up for Bluesky takes the slot instead.
    expect(readQueue(lib.doc).claims).toEqual([]);
    expect(readQueue(lib.doc).picks[0]?.failed).toBeNull();
    expect(runner.lastDecision).toEqual({
      kind: 'cannot-publish',
      itemId: id,
      targets: ['bluesky'],
    });
    runner.stop();
    await lib.close();
  });

  it('settles a pick it was posting when the app quit, once the resumed job ends', async () => {
    const factory = new IDBFactory();
    const clock = new FakeClock();
    clock.time = START;
    const first = await openLibrary(factory);
    const actor: Actor = { memberId: me.id, now: clock.now };
    const [id] = addPicks(first, actor, 1);
    everyDayAt(first, actor, ['11:00']);
    const hanging = scriptedApi(['hang']);
    const outbox = outboxFor(first, hanging.api, { now: clock.now });
    const runner = runnerFor(first, outbox, clock);
    runner.start();
    clock.advance(MINUTE);
    await runner.idle();
    await new Promise<void>((resolve) => {
      const look = () => outbox.list()[0]?.state === 'running' && (off(), resolve());
      const off = outbox.subscribe(look);
      look();
    });
    // Quit mid-post.
    runner.stop();
    outbox.stop();
    await first.close();

    const again = await openLibrary(factory);
    const working = scriptedApi(['ok']);
    const resumed = outboxFor(again, working.api, { now: clock.now });
    const next = runnerFor(again, resumed, clock);
    next.start();
    await quiet(next, resumed);
    expect(working.blueskyCalls.map((job) => job.posts[0]?.itemId)).toEqual([id]);
    expect(getPublication(again.doc, id!, 'bluesky')?.state).toBe('published');
    // Settled: nothing of the pick is left in the queue.
    expect([...again.doc.getMap('queue').keys()]).toEqual([]);
    next.stop();
    await again.close();
  });
});
