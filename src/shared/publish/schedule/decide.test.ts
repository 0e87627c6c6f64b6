import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addItem, moveToTrash, recordPublication, type Actor } from '../../collection';
import {
  claimSlot,
  enqueue,
  nextQueueAction,
  postNow,
  readQueue,
  settleQueued,
} from '../../collection/queue';
import {
  pauseQueue,
  readSchedule,
  resumeQueue,
  setSchedule,
} from '../../collection/queue-schedule';
import { claimOutcome, decideDue, type Coordination } from './decide';
import { queueTimeline } from './timeline';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 4 May 2026, 00:00 UTC. */
const MONDAY = Date.UTC(2026, 4, 4);
const at = (day: number, hour: number, minute = 0) =>
  MONDAY + day * DAY + hour * HOUR + minute * 60_000;
const alone: Coordination = { kind: 'alone' };

function setup(clientID = 1) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const who = (now: number, memberId = 'ana'): Actor => ({ memberId, now: () => now });
  const ids = ['a', 'b', 'c', 'd'].map(
    (name) => addItem(doc, { url: `https://example.com/${name}`, title: name }, who(0)).id,
  );
  setSchedule(
    doc,
    {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      times: ['11:00'],
      timeZone: 'UTC',
      targets: { bluesky: 'queue', site: 'queue' },
    },
    who(at(0, 8)),
  );
  /** What the outbox does with a "post": mark the targets published. */
  const publish = (itemId: string, now: number) => {
    recordPublication(
      doc,
      itemId,
      { target: 'bluesky', key: '3lb2c4d5e6f7g', by: 'ana', at: now, state: 'published' },
      who(now),
    );
    settleQueued(doc, itemId, { state: 'published' }, who(now));
  };
  return { doc, ids, who, publish };
}

describe('deciding what a running Curio posts', () => {
  it('posts the head of the queue when its slot comes, then sleeps until the next slot', () => {
    const { doc, ids, who, publish } = setup();
    enqueue(doc, ids[0]!, ['bluesky'], who(at(0, 9)));
    enqueue(doc, ids[1]!, ['bluesky'], who(at(0, 9)));
    expect(nextQueueAction(doc, alone, who(at(0, 10, 59)))).toEqual({
      kind: 'wait',
      until: at(0, 11),
      reason: 'next-slot',
    });
    expect(nextQueueAction(doc, alone, who(at(0, 11)))).toEqual({
      kind: 'post',
      itemId: ids[0],
      targets: ['bluesky'],
      slot: at(0, 11),
    });
    publish(ids[0]!, at(0, 11));
    expect(nextQueueAction(doc, alone, who(at(0, 11, 1)))).toMatchObject({
      kind: 'wait',
      until: at(1, 11),
    });
    expect(nextQueueAction(doc, alone, who(at(1, 11)))).toMatchObject({
      kind: 'post',
      itemId: ids[1],
    });
  });

  it('after missing three slots, posts one overdue pick and waits for the next slot: never a burst', () => {
    const { doc, ids, who, publish } = setup();
    for (const id of ids.slice(0, 3)) enqueue(doc, id, ['bluesky'], who(at(0, 9)));
    const state = readQueue(doc);
    const schedule = readSchedule(doc).schedule;
    expect(queueTimeline(state, schedule, at(3, 15)).map((p) => p.timing)).toEqual([
      { kind: 'overdue', slot: at(3, 11) },
      { kind: 'at', time: at(4, 11) },
      { kind: 'at', time: at(5, 11) },
    ]);
    expect(nextQueueAction(doc, alone, who(at(3, 15)))).toMatchObject({
      kind: 'post',
      itemId: ids[0],
      slot: at(3, 11),
    });
    publish(ids[0]!, at(3, 15));
    expect(nextQueueAction(doc, alone, who(at(3, 15, 1)))).toMatchObject({
      kind: 'wait',
      until: at(4, 11),
    });
  });

  it('owes no slot to a pick queued after it passed', () => {
    const { doc, ids, who } = setup();
    enqueue(doc, ids[0]!, ['bluesky'], who(at(0, 14)));
    expect(nextQueueAction(doc, alone, who(at(0, 14, 1)))).toMatchObject({
      kind: 'wait',
      until: at(1, 11),
    });
  });

  it('while paused posts nothing but "Post now", and resuming forfeits the slots it missed', () => {
    const { doc, ids, who, publish } = setup();
    enqueue(doc, ids[0]!, ['bluesky'], who(at(0, 9)));
    enqueue(doc, ids[1]!, ['bluesky'], who(at(0, 9)));
    pauseQueue(doc, who(at(0, 10)));
    expect(nextQueueAction(doc, alone, who(at(1, 12)))).toEqual({
      kind: 'wait',
      until: null,
      reason: 'paused',
    });
    postNow(doc, ids[1]!, who(at(1, 12)));
    expect(nextQueueAction(doc, alone, who(at(1, 12)))).toEqual({
      kind: 'post',
      itemId: ids[1],
      targets: ['bluesky'],
      slot: null,
    });
    publish(ids[1]!, at(1, 12));
    resumeQueue(doc, who(at(1, 13)));
    expect(nextQueueAction(doc, alone, who(at(1, 13)))).toMatchObject({
      kind: 'wait',
      until: at(2, 11),
    });
  });

  it('skips a pick that failed and a pick in Trash, and says why in the queue', () => {
    const { doc, ids, who, publish } = setup();
    for (const id of ids) enqueue(doc, id, ['bluesky'], who(at(0, 9)));
    settleQueued(doc, ids[0]!, { state: 'failed', error: 'login refused' }, who(at(0, 9)));
    moveToTrash(doc, [ids[1]!], who(at(0, 9)));
    postNow(doc, ids[3]!, who(at(0, 9)));
    expect(
      queueTimeline(readQueue(doc), readSchedule(doc).schedule, at(0, 10)).map((p) => p.timing),
    ).toEqual([
      { kind: 'failed', at: at(0, 9), error: 'login refused' },
      { kind: 'in-trash' },
      { kind: 'at', time: at(0, 11) },
      { kind: 'post-now' },
    ]);
    expect(nextQueueAction(doc, alone, who(at(0, 10)))).toMatchObject({
      kind: 'post',
      itemId: ids[3],
      slot: null,
    });
    publish(ids[3]!, at(0, 10));
    expect(
      decideDue(
        readQueue(doc),
        readSchedule(doc).schedule,
        { replica: 1, coordination: alone },
        at(0, 11),
      ),
    ).toMatchObject({
      kind: 'claim',
      itemId: ids[2],
    });
  });

  it('waits with a reason when there is nothing to do', () => {
    const { doc, ids, who } = setup();
    const runner = { replica: 1, coordination: alone };
    expect(decideDue(readQueue(doc), null, runner, at(0, 11))).toMatchObject({
      reason: 'unscheduled',
    });
    expect(nextQueueAction(doc, alone, who(at(0, 11)))).toMatchObject({ reason: 'empty' });
    enqueue(doc, ids[0]!, ['bluesky'], who(at(0, 12)));
    expect(queueTimeline(readQueue(doc), null, at(0, 12))[0]!.timing).toEqual({
      kind: 'unscheduled',
    });
  });
});

describe('two apps and one slot', () => {
  /** Two replicas of one collection, A and B, each with its own pick at the head. */
  function twoApps() {
    const a = setup(1);
    const b = new Y.Doc();
    b.clientID = 2;
    enqueue(a.doc, a.ids[0]!, ['bluesky'], a.who(at(0, 9)));
    enqueue(a.doc, a.ids[1]!, ['bluesky'], a.who(at(0, 9)));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    // Apart, A's curator reorders: the apps now disagree on the head.
    enqueue(a.doc, a.ids[2]!, ['bluesky'], a.who(at(0, 10)), { at: 'start' });
    return { ...a, a: a.doc, b };
  }
  const vector = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

  it('exactly one claim wins: the one the hub stored first; the other pick stays queued', () => {
    const { a, b, ids, who } = twoApps();
    const hub = new Y.Doc();
    const slot = at(0, 11);
    const before = { kind: 'hub' as const, confirmed: null };
    expect(nextQueueAction(a, before, who(slot))).toMatchObject({
      kind: 'confirming',
      itemId: ids[2],
      slot,
    });
    expect(nextQueueAction(b, before, who(slot, 'ben'))).toMatchObject({
      kind: 'confirming',
      itemId: ids[0],
      slot,
    });
    // The hub stores B's claim first, then A's; each confirmation is its vector at that moment.
    Y.applyUpdate(hub, Y.encodeStateAsUpdate(b));
    const confirmB = vector(hub);
    Y.applyUpdate(hub, Y.encodeStateAsUpdate(a));
    const confirmA = vector(hub);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(hub));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(hub));
    expect(
      nextQueueAction(b, { kind: 'hub', confirmed: confirmB }, who(slot, 'ben')),
    ).toMatchObject({
      kind: 'post',
      itemId: ids[0],
      slot,
    });
    expect(nextQueueAction(a, { kind: 'hub', confirmed: confirmA }, who(slot))).toMatchObject({
      kind: 'wait',
      until: at(1, 11),
    });
    // However late A evaluates, a later vector never turns its loss into a win.
    expect(
      nextQueueAction(a, { kind: 'hub', confirmed: vector(hub) }, who(slot + HOUR)),
    ).toMatchObject({ kind: 'wait' });
    const queue = readQueue(a);
    expect(queue.picks.map((p) => p.itemId)).toEqual([ids[2], ids[0], ids[1]]);
    const claimOfA = queue.claims.find((c) => c.replica === 1)!;
    expect(claimOutcome(claimOfA, queue, { kind: 'hub', confirmed: confirmA })).toBe('lost');
    // Until one of the two picks has gone out, the queue cannot tell which claim won.
    const timings = (doc: Y.Doc) =>
      queueTimeline(readQueue(doc), readSchedule(doc).schedule, slot + 1).map((p) => p.timing);
    expect(timings(a)).toEqual([
      { kind: 'posting', slot },
      { kind: 'posting', slot },
      { kind: 'at', time: at(1, 11) },
    ]);
    const record = { target: 'bluesky', key: '3lb2c4d5e6f7g', by: 'ben', at: slot } as const;
    recordPublication(b, ids[0]!, { ...record, state: 'publishing' }, who(slot, 'ben'));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(timings(a)).toEqual([
      { kind: 'at', time: at(1, 11) },
      { kind: 'at', time: at(2, 11) },
    ]);
  });

  it('decides nothing until its document holds what the confirmation covers', () => {
    const { a, b, ids, who } = twoApps();
    const hub = new Y.Doc();
    const slot = at(0, 11);
    nextQueueAction(b, { kind: 'hub', confirmed: null }, who(slot, 'ben'));
    nextQueueAction(a, { kind: 'hub', confirmed: null }, who(slot));
    Y.applyUpdate(hub, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(hub, Y.encodeStateAsUpdate(a));
    // A's confirmation covers B's claim, which has not reached A yet.
    expect(nextQueueAction(a, { kind: 'hub', confirmed: vector(hub) }, who(slot))).toMatchObject({
      kind: 'confirming',
      itemId: ids[2],
      until: at(1, 11),
    });
  });

  it('a claim won too late (its slot is over) is not posted: the next slot is claimed afresh', () => {
    const { a, ids, who } = twoApps();
    const slot = at(0, 11);
    nextQueueAction(a, { kind: 'hub', confirmed: null }, who(slot));
    expect(nextQueueAction(a, { kind: 'hub', confirmed: vector(a) }, who(at(1, 11)))).toMatchObject(
      {
        kind: 'confirming',
        slot: at(1, 11),
        itemId: ids[2],
      },
    );
  });

  it('alone, a claim is won at once; a slot someone already claimed is not claimed again', () => {
    const { a, ids, who } = twoApps();
    claimSlot(a, { slot: at(0, 11), itemId: ids[1]!, targets: ['bluesky'] }, who(at(0, 11)));
    const other = new Y.Doc();
    other.clientID = 3;
    Y.applyUpdate(other, Y.encodeStateAsUpdate(a));
    expect(nextQueueAction(other, alone, who(at(0, 12)))).toMatchObject({
      kind: 'wait',
      until: at(1, 11),
    });
    const timeline = queueTimeline(readQueue(other), readSchedule(other).schedule, at(0, 12));
    expect(timeline.map((p) => p.itemId)).toEqual([ids[2], ids[0], ids[1]]);
    expect(timeline.map((p) => p.timing)).toEqual([
      { kind: 'at', time: at(1, 11) },
      { kind: 'at', time: at(2, 11) },
      { kind: 'posting', slot: at(0, 11) },
    ]);
  });
});
