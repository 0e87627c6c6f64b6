import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { addItem, moveToTrash, purgeItems, recordPublication } from './mutations';
import type { Actor } from './write';
import {
  QUEUE_ROOT,
  claimSlot,
  enqueue,
  moveQueued,
  postNow,
  readQueue,
  removeFromQueue,
  settleQueued,
  CLAIM_RETENTION_MS,
  type QueuePlace,
} from './queue';
import { QueueError, readSchedule, setSchedule, pauseQueue, resumeQueue } from './queue-schedule';

const URLS = Array.from({ length: 8 }, (_, i) => `https://example.com/post/${i}`);
const T0 = Date.UTC(2026, 4, 4, 9);
const actor = (memberId = 'ana', now = T0): Actor => ({ memberId, now: () => now });

function collection(clientID = 1): { doc: Y.Doc; ids: string[] } {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const ids = URLS.map((url) => addItem(doc, { url, title: url }, actor()).id);
  return { doc, ids };
}

const order = (doc: Y.Doc) => readQueue(doc).picks.map((p) => p.itemId);

type Op =
  | { t: 'enqueue'; item: number; place: PlaceSpec }
  | { t: 'move'; item: number; place: PlaceSpec }
  | { t: 'remove'; item: number };
type PlaceSpec = { at: 'start' | 'end' } | { before: number } | { after: number };

const itemArb = fc.nat(URLS.length - 1);
const placeArb: fc.Arbitrary<PlaceSpec> = fc.oneof(
  fc.record({ at: fc.constantFrom('start' as const, 'end' as const) }),
  fc.record({ before: itemArb }),
  fc.record({ after: itemArb }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('enqueue' as const), item: itemArb, place: placeArb }),
  fc.record({ t: fc.constant('move' as const), item: itemArb, place: placeArb }),
  fc.record({ t: fc.constant('remove' as const), item: itemArb }),
);

function placeOf(spec: PlaceSpec, ids: string[]): QueuePlace {
  if ('before' in spec) return { before: ids[spec.before]! };
  if ('after' in spec) return { after: ids[spec.after]! };
  return spec;
}

function apply(doc: Y.Doc, ids: string[], op: Op, who: Actor): void {
  const id = ids[op.item]!;
  if (op.t === 'enqueue') enqueue(doc, id, ['bluesky'], who, placeOf(op.place, ids));
  else if (op.t === 'move') moveQueued(doc, id, placeOf(op.place, ids), who);
  else removeFromQueue(doc, [id], who);
}

/** The obvious meaning of each edit on one replica: a plain array. */
function applyToModel(model: string[], ids: string[], op: Op): void {
  const id = ids[op.item]!;
  const at = model.indexOf(id);
  if (op.t === 'remove') {
    if (at >= 0) model.splice(at, 1);
    return;
  }
  if (op.t === 'enqueue' ? at >= 0 : at < 0) return;
  const place = op.place;
  const anchor = 'before' in place ? ids[place.before] : 'after' in place ? ids[place.after] : null;
  if (op.t === 'move' && anchor === id) return;
  if (at >= 0) model.splice(at, 1);
  let index = anchor ? model.indexOf(anchor) : -1;
  if (index < 0) index = 'at' in place && place.at === 'start' ? 0 : model.length;
  else if ('after' in place) index++;
  model.splice(index, 0, id);
}

describe('the queue on one replica', () => {
  it('orders picks exactly as a plain list given the same edits', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const { doc, ids } = collection();
        const model: string[] = [];
        for (const op of ops) {
          apply(doc, ids, op, actor());
          applyToModel(model, ids, op);
          expect(order(doc)).toEqual(model);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a link in Trash or gone, and targets already published', () => {
    const { doc, ids } = collection();
    moveToTrash(doc, [ids[0]!], actor());
    expect(() => enqueue(doc, ids[0]!, ['bluesky'], actor())).toThrow(/in Trash: restore it/);
    purgeItems(doc, [ids[1]!], actor());
    expect(() => enqueue(doc, ids[1]!, ['bluesky'], actor())).toThrow(QueueError);
    recordPublication(
      doc,
      ids[2]!,
      { target: 'bluesky', key: '3lb2c4d5e6f7g', by: 'ana', at: T0, state: 'published' },
      actor(),
    );
    expect(() => enqueue(doc, ids[2]!, ['bluesky'], actor())).toThrow(/already published/);
    enqueue(doc, ids[2]!, ['bluesky', 'site'], actor());
    expect(readQueue(doc).picks[0]).toMatchObject({ targets: ['site'], pending: ['site'] });
    expect(() => enqueue(doc, ids[3]!, [], actor())).toThrow(/Bluesky, the site, or both/);
  });

  it('a link deleted for good leaves the queue with nothing behind', () => {
    const { doc, ids } = collection();
    enqueue(doc, ids[0]!, ['bluesky'], actor());
    enqueue(doc, ids[1]!, ['site'], actor());
    purgeItems(doc, [ids[0]!], actor());
    expect(order(doc)).toEqual([ids[1]]);
    const left = [...doc.getMap(QUEUE_ROOT.queue).keys()];
    expect(left.filter((key) => key.startsWith(`${ids[0]}/`))).toEqual([]);
  });

  it('adding a queued pick again keeps its place and adds the targets', () => {
    const { doc, ids } = collection();
    enqueue(doc, ids[0]!, ['bluesky'], actor());
    enqueue(doc, ids[1]!, ['bluesky'], actor());
    enqueue(doc, ids[0]!, ['site'], actor(), { at: 'end' });
    expect(order(doc)).toEqual([ids[0], ids[1]]);
    expect(readQueue(doc).picks[0]!.targets).toEqual(['bluesky', 'site']);
  });

  it('a pick leaves the queue once every target is published, and waits marked when it failed', () => {
    const { doc, ids } = collection();
    const id = ids[0]!;
    enqueue(doc, id, ['bluesky', 'site'], actor());
    postNow(doc, id, actor());
    settleQueued(doc, id, { state: 'failed', error: 'the PDS answered 502' }, actor('ana', T0 + 5));
    expect(readQueue(doc).picks[0]).toMatchObject({
      postNowAt: null,
      failed: { at: T0 + 5, error: 'the PDS answered 502' },
    });
    postNow(doc, id, actor());
    expect(readQueue(doc).picks[0]!.failed).toBeNull();
    const published = (target: 'bluesky' | 'site') =>
      recordPublication(
        doc,
        id,
        {
          target,
          key: target === 'site' ? 'post-0' : '3lb2c4d5e6f7g',
          by: 'ana',
          at: T0,
          state: 'published',
        },
        actor(),
      );
    published('bluesky');
    settleQueued(doc, id, { state: 'published' }, actor());
    expect(doc.getMap(QUEUE_ROOT.queue).has(`${id}/pos`)).toBe(true);
    expect(readQueue(doc).picks[0]!.pending).toEqual(['site']);
    published('site');
    expect(readQueue(doc).picks).toEqual([]);
    settleQueued(doc, id, { state: 'published' }, actor());
    expect([...doc.getMap(QUEUE_ROOT.queue).keys()]).toEqual([]);
  });

  it('drops claims older than a month when it writes a new one', () => {
    const { doc, ids } = collection();
    const old = T0 - CLAIM_RETENTION_MS - 1;
    claimSlot(doc, { slot: old, itemId: ids[0]!, targets: ['bluesky'] }, actor('ana', old));
    claimSlot(doc, { slot: T0 - 1000, itemId: ids[1]!, targets: ['bluesky'] }, actor('ana', T0));
    expect(readQueue(doc).claims.map((c) => c.slot)).toEqual([T0 - 1000]);
    expect(readQueue(doc).claims[0]).toMatchObject({ replica: 1, by: 'ana', itemId: ids[1] });
  });
});

describe('the schedule in the document', () => {
  const settings = {
    days: ['fri', 'mon', 'mon'] as const,
    times: ['12:00', '11:00'],
    timeZone: 'Europe/Berlin',
    targets: { bluesky: 'queue', site: 'immediate' } as const,
  };

  it('is absent until saved, then read back in order, and counts slots from when it changed', () => {
    const { doc } = collection();
    expect(readSchedule(doc)).toEqual({ schedule: null, problems: [] });
    setSchedule(doc, { ...settings, days: [...settings.days] }, actor('ana', T0));
    expect(readSchedule(doc).schedule).toEqual({
      days: ['mon', 'fri'],
      times: ['11:00', '12:00'],
      timeZone: 'Europe/Berlin',
      targets: { bluesky: 'queue', site: 'immediate' },
      paused: false,
      activeFrom: T0,
    });
    setSchedule(
      doc,
      { ...settings, days: [...settings.days], targets: { bluesky: 'queue', site: 'queue' } },
      actor('ana', T0 + 1),
    );
    expect(readSchedule(doc).schedule!.activeFrom).toBe(T0);
    setSchedule(doc, { ...settings, days: ['sun'] }, actor('ana', T0 + 2));
    expect(readSchedule(doc).schedule!.activeFrom).toBe(T0 + 2);
    pauseQueue(doc, actor('ana', T0 + 3));
    expect(readSchedule(doc).schedule).toMatchObject({ paused: true, activeFrom: T0 + 2 });
    resumeQueue(doc, actor('ana', T0 + 4));
    expect(readSchedule(doc).schedule).toMatchObject({ paused: false, activeFrom: T0 + 4 });
  });

  it('refuses settings that make no sense, naming the problem', () => {
    const { doc } = collection();
    expect(() => setSchedule(doc, { ...settings, days: [], times: ['11:00'] }, actor())).toThrow(
      /at least one day/,
    );
    expect(() =>
      setSchedule(doc, { ...settings, days: ['mon'], times: ['25:00'] }, actor()),
    ).toThrow(/HH:MM/);
    expect(() =>
      setSchedule(doc, { ...settings, days: ['mon'], timeZone: 'Mars/Olympus_Mons' }, actor()),
    ).toThrow(/"Mars\/Olympus_Mons" is not a time zone/);
  });

  it('reads a forged schedule safely: no slots from bad days or times, paused when unreadable', () => {
    const { doc } = collection();
    const map = doc.getMap(QUEUE_ROOT.schedule);
    map.set('timeZone', 'UTC');
    map.set('days', ['mon', 'someday']);
    map.set('times', '11:00');
    map.set('paused', 'no');
    map.set('mode/site', 'later');
    const { schedule, problems } = readSchedule(doc);
    expect(schedule).toMatchObject({
      days: [],
      times: [],
      paused: true,
      targets: { site: 'queue' },
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^days: /);
  });
});

describe('the queue across replicas', () => {
  function sync(a: Y.Doc, b: Y.Doc): void {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  }

  it('converges to one order, keeps every pick nobody removed, and never nests a shared type', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ replica: fc.nat(2), op: opArb }),
            fc.record({ sync: fc.tuple(fc.nat(2), fc.nat(2)) }),
          ),
          { maxLength: 60 },
        ),
        (steps) => {
          const base = collection(100);
          const replicas = [1, 2, 3].map((clientID) => {
            const doc = new Y.Doc();
            doc.clientID = clientID;
            Y.applyUpdate(doc, Y.encodeStateAsUpdate(base.doc));
            return doc;
          });
          const removedAnywhere = new Set<string>();
          const queuedAnywhere = new Set<string>();
          for (const step of steps) {
            if ('sync' in step) sync(replicas[step.sync[0]]!, replicas[step.sync[1]]!);
            else {
              const doc = replicas[step.replica]!;
              apply(doc, base.ids, step.op, actor(`m${step.replica}`));
              const id = base.ids[step.op.item]!;
              if (step.op.t === 'remove') removedAnywhere.add(id);
              if (step.op.t === 'enqueue') queuedAnywhere.add(id);
            }
          }
          for (const a of replicas) for (const b of replicas) sync(a, b);
          const orders = replicas.map(order);
          expect(orders[1]).toEqual(orders[0]);
          expect(orders[2]).toEqual(orders[0]);
          expect(new Set(orders[0]).size).toBe(orders[0]!.length);
          for (const id of queuedAnywhere) {
            if (!removedAnywhere.has(id)) expect(orders[0]).toContain(id);
          }
          for (const doc of replicas) {
            for (const root of Object.values(QUEUE_ROOT)) {
              for (const value of doc.getMap(root).values()) {
                expect(value).not.toBeInstanceOf(Y.AbstractType);
              }
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a move concurrent with publishing leaves no pick behind, and adding it again starts afresh', () => {
    const { doc: a, ids } = collection(1);
    const b = new Y.Doc();
    b.clientID = 2;
    enqueue(a, ids[0]!, ['bluesky'], actor());
    enqueue(a, ids[1]!, ['bluesky'], actor());
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const record = { target: 'bluesky', key: '3lb2c4d5e6f7g', by: 'ana', at: T0 } as const;
    recordPublication(a, ids[0]!, { ...record, state: 'published' }, actor());
    settleQueued(a, ids[0]!, { state: 'published' }, actor());
    moveQueued(b, ids[0]!, { at: 'end' }, actor('ben'));
    sync(a, b);
    expect(order(a)).toEqual([ids[1]]);
    enqueue(a, ids[0]!, ['site'], actor('ana', T0 + 7), { at: 'start' });
    expect(order(a)).toEqual([ids[0], ids[1]]);
    expect(readQueue(a).picks[0]).toMatchObject({ targets: ['site'], queuedAt: T0 + 7 });
  });

  it('a move concurrent with a removal brings the pick back whole', () => {
    const { doc: a, ids } = collection(1);
    const b = new Y.Doc();
    b.clientID = 2;
    enqueue(a, ids[0]!, ['bluesky', 'site'], actor());
    enqueue(a, ids[1]!, ['bluesky'], actor());
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    removeFromQueue(a, [ids[0]!], actor());
    moveQueued(b, ids[0]!, { at: 'end' }, actor('ben'));
    sync(a, b);
    expect(order(a)).toEqual([ids[1], ids[0]]);
    expect(readQueue(a).picks[1]).toMatchObject({ targets: ['bluesky', 'site'], queuedAt: T0 });
  });
});
