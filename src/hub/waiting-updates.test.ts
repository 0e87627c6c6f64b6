import fc from 'fast-check';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { WaitingUpdates } from './waiting-updates';

type Peer = 'a' | 'b';

/** Two writers' updates; b sometimes sees a's changes before the room does. */
function writeUpdates(script: { by: Peer; key: string; peek: boolean }[]) {
  const docs = { a: new Y.Doc(), b: new Y.Doc() };
  const sent: Record<Peer, Uint8Array[]> = { a: [], b: [] };
  for (const { by, key, peek } of script) {
    const doc = docs[by];
    if (peek && by === 'b') Y.applyUpdate(docs.b, Y.encodeStateAsUpdate(docs.a));
    const before = Y.encodeStateVector(doc);
    doc.getArray('list').insert(0, [`${by}:${key}`]);
    if (key.length > 2) doc.getArray('list').delete(doc.getArray('list').length - 1);
    sent[by].push(Y.encodeStateAsUpdate(doc, before));
  }
  const whole = new Y.Doc();
  for (const update of [...sent.a, ...sent.b]) Y.applyUpdate(whole, update);
  return { sent, whole };
}

it('ends where in-order delivery would, never leaving anything waiting in the document', () => {
  const script = fc.array(
    fc.record({
      by: fc.constantFrom<Peer>('a', 'b'),
      key: fc.string({ maxLength: 4 }),
      peek: fc.boolean(),
    }),
    { minLength: 1, maxLength: 25 },
  );
  fc.assert(
    fc.property(script, fc.infiniteStream(fc.nat()), (steps, picks) => {
      const { sent, whole } = writeUpdates(steps);
      const room = new Y.Doc();
      let held = 0;
      const waiting = new WaitingUpdates<Peer>(room, Infinity, (delta) => (held += delta));
      // Each writer's updates arrive in a random order, the two writers interleaved at random.
      const queues = { a: [...sent.a], b: [...sent.b] };
      const pick = picks[Symbol.iterator]();
      while (queues.a.length + queues.b.length > 0) {
        const peer: Peer =
          queues.a.length && (!queues.b.length || pick.next().value % 2) ? 'a' : 'b';
        const [update] = queues[peer].splice(pick.next().value % queues[peer].length, 1);
        expect(waiting.apply(peer, update!)).toEqual([]);
        expect(room.store.pendingStructs).toBeNull();
        expect(room.store.pendingDs).toBeNull();
      }
      expect(room.getArray('list').toJSON()).toEqual(whole.getArray('list').toJSON());
      expect(Y.encodeStateVector(room)).toEqual(Y.encodeStateVector(whole));
      expect(held).toBe(0);
    }),
    { numRuns: 200 },
  );
});

it('names the connection that holds more than the limit, and forgets it on request', () => {
  const room = new Y.Doc();
  let held = 0;
  const waiting = new WaitingUpdates<Peer>(room, 1000, (delta) => (held += delta));
  const writer = new Y.Doc();
  writer.getMap('m').set('first', 1); // never sent: everything after builds on it
  const overLimit: Peer[][] = [];
  for (let i = 0; i < 5; i++) {
    const before = Y.encodeStateVector(writer);
    writer.getMap('m').set(`k${i}`, 'x'.repeat(300));
    overLimit.push(waiting.apply('a', Y.encodeStateAsUpdate(writer, before)));
  }
  expect(overLimit.slice(0, 3)).toEqual([[], [], []]);
  expect(overLimit[3]).toEqual(['a']);
  expect(room.getMap('m').size).toBe(0);
  waiting.drop('a');
  expect(held).toBe(0);
});
