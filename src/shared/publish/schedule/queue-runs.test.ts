// The posting queue end to end: for any schedule, queue edits from several maintainers, and any
// pattern of apps running and stopping, going offline and coming back (on a fake clock), every
// queued pick is published exactly once, in queue order, never two in one slot, and never before
// its slot.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { addItem } from '../../collection/mutations';
import {
  enqueue,
  moveQueued,
  postNow,
  readQueue,
  removeFromQueue,
  type QueuePlace,
} from '../../collection/queue';
import {
  QueueError,
  pauseQueue,
  readSchedule,
  resumeQueue,
  setSchedule,
} from '../../collection/queue-schedule';
import type { PublishTarget } from '../../model';
import type { QueuedPick } from './queue-state';
import { WEEKDAYS, type ScheduleSettings } from './schedule';
import { nextSlot } from './slots';
import { QueueWorld, type Post } from './simulation';

const ITEMS = 6;
const HOUR = 3_600_000;
/** Friday 27 March 2026, 06:00 UTC: Berlin moves its clocks two days later. */
const START = Date.UTC(2026, 2, 27, 6);

type Place = { at: 'start' | 'end' } | { before: number } | { after: number };
type Edit =
  | { t: 'enqueue'; item: number; targets: PublishTarget[]; place: Place }
  | { t: 'move'; item: number; place: Place }
  | { t: 'remove'; item: number }
  | { t: 'postNow'; item: number }
  | { t: 'pause' }
  | { t: 'resume' };
type Cmd =
  | { t: 'edit'; app: number; edit: Edit }
  | { t: 'start' | 'stop'; app: number }
  | { t: 'online'; app: number; up: boolean }
  | { t: 'toHub' | 'toApp'; app: number; count: number }
  | { t: 'send'; app: number; fails: 'no' | 'before' | 'after' }
  | { t: 'wait'; ms: number }
  | { t: 'wake' };

const item = fc.nat(ITEMS - 1);
const placeArb: fc.Arbitrary<Place> = fc.oneof(
  fc.record({ at: fc.constantFrom('start' as const, 'end' as const) }),
  fc.record({ before: item }),
  fc.record({ after: item }),
);
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('enqueue' as const),
      item,
      targets: fc.subarray<PublishTarget>(['bluesky', 'site'], { minLength: 1 }),
      place: placeArb,
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('move' as const), item, place: placeArb }) },
  fc.record({ t: fc.constant('remove' as const), item }),
  fc.record({ t: fc.constant('postNow' as const), item }),
  fc.record({ t: fc.constantFrom('pause' as const, 'resume' as const) }),
);
const cmdArb = (apps: number): fc.Arbitrary<Cmd> => {
  const app = fc.nat(apps - 1);
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ t: fc.constant('edit' as const), app, edit: editArb }) },
    {
      weight: 2,
      arbitrary: fc.record({ t: fc.constantFrom('start' as const, 'stop' as const), app }),
    },
    fc.record({ t: fc.constant('online' as const), app, up: fc.boolean() }),
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constantFrom('toHub' as const, 'toApp' as const),
        app,
        count: fc.integer({ min: 1, max: 4 }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant('wait' as const),
        ms: fc.integer({ min: 0, max: 40 * HOUR }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('wake' as const) }) },
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant('send' as const),
        app,
        fails: fc.constantFrom(
          'no' as const,
          'no' as const,
          'no' as const,
          'before' as const,
          'after' as const,
        ),
      }),
    },
  );
};

const scheduleArb: fc.Arbitrary<ScheduleSettings> = fc.record({
  days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
  times: fc
    .uniqueArray(
      fc
        .tuple(fc.nat(23), fc.constantFrom(0, 30))
        .map(([h, m]) => `${String(h).padStart(2, '0')}:${m ? '30' : '00'}`),
      { minLength: 1, maxLength: 3 },
    )
    .map((times) => times.sort()),
  timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
  targets: fc.constant({ bluesky: 'queue' as const, site: 'queue' as const }),
});

function collection(settings: ScheduleSettings): { base: Uint8Array; ids: string[] } {
  const doc = new Y.Doc();
  doc.clientID = 999_999;
  const setup = { memberId: 'owner', now: () => START - HOUR };
  const ids = Array.from({ length: ITEMS }, (_, i) =>
    addItem(doc, { url: `https://example.com/links/${i}`, title: `Link number ${i}` }, setup),
  ).map((r) => r.id);
  setSchedule(doc, settings, setup);
  return { base: Y.encodeStateAsUpdate(doc), ids };
}

function placeOf(place: Place, ids: string[]): QueuePlace {
  if ('before' in place) return { before: ids[place.before]! };
  if ('after' in place) return { after: ids[place.after]! };
  return place;
}

interface Run {
  world: QueueWorld;
  ids: string[];
  queued: Set<string>;
  removed: Set<string>;
}

function edit(world: QueueWorld, app: number, e: Edit, run: Run): void {
  world.edit(app, (doc, actor) => {
    const id = 'item' in e ? run.ids[e.item]! : '';
    try {
      if (e.t === 'enqueue') {
        enqueue(doc, id, e.targets, actor, placeOf(e.place, run.ids));
        run.queued.add(id);
      } else if (e.t === 'move') moveQueued(doc, id, placeOf(e.place, run.ids), actor);
      else if (e.t === 'remove') {
        removeFromQueue(doc, [id], actor);
        run.removed.add(id);
      } else if (e.t === 'postNow') postNow(doc, id, actor);
      else if (e.t === 'pause') pauseQueue(doc, actor);
      else resumeQueue(doc, actor);
    } catch (error) {
      // "Add to queue" for a pick already published: the dialog says so and nothing changes.
      if (!(error instanceof QueueError)) throw error;
    }
  });
}

function step(world: QueueWorld, cmd: Cmd, run: Run): void {
  switch (cmd.t) {
    case 'edit':
      edit(world, cmd.app, cmd.edit, run);
      break;
    case 'start':
      world.start(cmd.app);
      break;
    case 'stop':
      world.stop(cmd.app);
      break;
    case 'online':
      world.setOnline(cmd.app, cmd.up);
      break;
    case 'toHub':
    case 'toApp':
      for (let i = 0; i < cmd.count; i++) {
        if (cmd.t === 'toHub') world.deliverToHub(cmd.app);
        else world.deliverToApp(cmd.app);
      }
      break;
    case 'send':
      world.send(cmd.app, cmd.fails);
      break;
    case 'wait':
      world.now += cmd.ms;
      break;
    case 'wake':
      world.now = Math.max(world.now, world.nextWake() ?? world.now + HOUR);
      break;
  }
  world.runAll();
}

/**
 * Every app started again (a change made offline lives only on its maker's disk until then),
 * online, everything delivered and sent, the queue running, picks that failed pressed "Post now":
 * then the queue posts what is left, slot by slot.
 */
function drain(world: QueueWorld): { order: QueuedPick[]; posts: Post[] } {
  for (let i = 0; i < world.apps.length; i++) {
    world.setOnline(i, true);
    world.start(i);
  }
  world.flush();
  world.edit(0, (doc, actor) => {
    if (readSchedule(doc).schedule!.paused) resumeQueue(doc, actor);
    for (const pick of readQueue(doc).picks) if (pick.failed) postNow(doc, pick.itemId, actor);
  });
  world.flush();
  const order = readQueue(world.apps[0]!.doc!).picks;
  const before = new Set(world.publisher.posts());
  for (let i = 0; i < 3 * ITEMS + 10 && readQueue(world.apps[0]!.doc!).picks.length; i++) {
    world.now = Math.max(world.now, world.nextWake() ?? world.now + HOUR);
    world.runAll();
    world.flush();
  }
  return { order, posts: world.publisher.posts().filter((p) => !before.has(p)) };
}

function checkRun(settings: ScheduleSettings, run: Run): void {
  const { world } = run;
  const { order, posts: drained } = drain(world);
  const posts = world.publisher.posts();

  // Only queued picks are posted, and each (pick, target) at most once.
  const perTarget = new Map<string, number>();
  for (const post of posts) {
    expect(run.queued.has(post.itemId)).toBe(true);
    const key = `${post.itemId}/${post.target}`;
    perTarget.set(key, (perTarget.get(key) ?? 0) + 1);
  }
  for (const count of perTarget.values()) expect(count).toBe(1);

  // Never two picks in one slot; never before the slot, nor after the next one began.
  const bySlot = new Map<number, Set<string>>();
  for (const post of posts) {
    if (post.slot === null) continue;
    bySlot.set(post.slot, (bySlot.get(post.slot) ?? new Set()).add(post.itemId));
    expect(nextSlot(settings, post.slot - 1)).toBe(post.slot);
    expect(post.decidedAt).toBeGreaterThanOrEqual(post.slot);
    expect(post.decidedAt).toBeLessThan(nextSlot(settings, post.slot)!);
    expect(post.at).toBeGreaterThanOrEqual(post.decidedAt);
  }
  for (const items of bySlot.values()) expect(items.size).toBe(1);

  // Each claim took the head of the queue as its app saw it.
  for (const claim of world.claims) expect(claim.itemId).toBe(claim.expectedHead);

  // Once connected, the queue drains in its order, one pick per slot, and nothing is left.
  const drainedOrder = [...new Set(drained.filter((p) => p.slot !== null).map((p) => p.itemId))];
  const orderIds = order.map((p) => p.itemId);
  expect(drainedOrder).toEqual(orderIds.filter((id) => drainedOrder.includes(id)));
  expect(readQueue(world.apps[0]!.doc!).picks).toEqual([]);
  for (const pick of order) {
    for (const target of pick.pending) expect(perTarget.get(`${pick.itemId}/${target}`)).toBe(1);
  }
  const posted = new Set(posts.map((p) => p.itemId));
  for (const id of run.queued) if (!run.removed.has(id)) expect(posted.has(id)).toBe(true);
}

function replay(
  apps: number,
  withHub: boolean,
  settings: ScheduleSettings,
  cmds: Cmd[],
  setUp: ReadonlyArray<readonly PublishTarget[]> = [],
): QueueWorld {
  const { base, ids } = collection(settings);
  const world = new QueueWorld(apps, base, START, withHub, setUp);
  const run: Run = { world, ids, queued: new Set(), removed: new Set() };
  for (let i = 0; i < apps; i++) world.start(i);
  for (const cmd of cmds) step(world, cmd, run);
  checkRun(settings, run);
  return world;
}

/** App 0 can publish everywhere (so the queue drains); the others may lack a target or both. */
const setUpArb = (apps: number) =>
  fc.array(fc.subarray<PublishTarget>(['bluesky', 'site']), {
    minLength: apps - 1,
    maxLength: apps - 1,
  });

function runProperty(apps: number, withHub: boolean) {
  return fc.property(
    scheduleArb,
    fc.array(cmdArb(apps), { minLength: 10, maxLength: 80, size: 'max' }),
    setUpArb(apps),
    (settings, cmds, others) => {
      replay(apps, withHub, settings, cmds, [['bluesky', 'site'], ...others]);
    },
  );
}

const sundayMidnight: ScheduleSettings = {
  days: ['sun'],
  times: ['00:00'],
  timeZone: 'UTC',
  targets: { bluesky: 'queue', site: 'queue' },
};

describe('the posting queue, run by several maintainers’ apps', () => {
  it('publishes every queued pick exactly once, in order, one per slot, never early', () => {
    fc.assert(runProperty(3, true), { numRuns: 100 });
  });

  it('does the same for one curator without a hub', () => {
    fc.assert(runProperty(1, false), { numRuns: 40 });
  });

  it('posts a pick to a target added while it was on its way, once, and not the first target again', () => {
    const saturdayMidnight: ScheduleSettings = { ...sundayMidnight, days: ['sat'] };
    const addSite: Cmd = {
      t: 'edit',
      app: 0,
      edit: { t: 'enqueue', item: 0, targets: ['site'], place: { before: 0 } },
    };
    replay(1, false, saturdayMidnight, [
      {
        t: 'edit',
        app: 0,
        edit: { t: 'enqueue', item: 0, targets: ['bluesky'], place: { at: 'start' } },
      },
      { t: 'wake' },
      addSite,
      addSite,
      { t: 'start', app: 0 },
      { t: 'send', app: 0, fails: 'before' },
      { t: 'start', app: 0 },
      { t: 'online', app: 0, up: false },
      { t: 'wait', ms: 0 },
    ]);
  });

  it('posts a pick queued by an app that stopped before its change reached the hub, once it runs again', () => {
    replay(3, true, sundayMidnight, [
      {
        t: 'edit',
        app: 1,
        edit: { t: 'enqueue', item: 0, targets: ['site'], place: { at: 'start' } },
      },
      { t: 'stop', app: 1 },
      { t: 'toHub', app: 0, count: 1 },
    ]);
  });

  it('gives a slot claimed for two different picks to one of them, and the other the next slot', () => {
    const world = replay(2, true, sundayMidnight, [
      {
        t: 'edit',
        app: 0,
        edit: { t: 'enqueue', item: 0, targets: ['bluesky'], place: { at: 'end' } },
      },
      {
        t: 'edit',
        app: 1,
        edit: { t: 'enqueue', item: 1, targets: ['bluesky'], place: { at: 'end' } },
      },
      { t: 'wake' },
      { t: 'toHub', app: 1, count: 2 },
      { t: 'toHub', app: 0, count: 2 },
      { t: 'toApp', app: 0, count: 4 },
      { t: 'toApp', app: 1, count: 4 },
      { t: 'send', app: 0, fails: 'after' },
      { t: 'send', app: 1, fails: 'no' },
    ]);
    const first = world.claims.filter((claim) => claim.slot === world.claims[0]!.slot);
    expect(first.map((claim) => claim.app)).toEqual([0, 1]);
    expect(new Set(first.map((claim) => claim.itemId)).size).toBe(2);
  });
});
