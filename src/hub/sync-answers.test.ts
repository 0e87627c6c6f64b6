import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { SYNC_STEP2, SYNC_UPDATE } from '../shared/sync';
import { SyncAnswers } from './sync-answers';

/** Applies answer messages (perhaps an update, then a step 2) to `doc`. */
function applyAnswer(doc: Y.Doc, messages: Uint8Array[]): void {
  expect(messages.length).toBeLessThanOrEqual(2);
  messages.forEach((message, i) => {
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder);
    const last = i === messages.length - 1;
    expect(decoding.readVarUint(decoder)).toBe(last ? SYNC_STEP2 : SYNC_UPDATE);
    Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
  });
}

function encodeVector(vector: Map<number, number>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, vector.size);
  for (const [client, clock] of vector) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
}

const step = fc.oneof(
  fc.record({ edit: fc.integer({ min: 0, max: 2 }), key: fc.string({ maxLength: 3 }) }),
  fc.record({ ask: fc.nat() }),
  fc.record({
    madeUp: fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 40 })), { maxLength: 4 }),
  }),
  fc.constant({ compact: true as const }),
);

it('answers every state as encoding the document afresh would', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const room = new Y.Doc();
      const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
      const answers = new SyncAnswers(room, () => {});
      const states: Uint8Array[] = [Y.encodeStateAsUpdate(room)];
      for (const s of steps) {
        if ('edit' in s) {
          const writer = writers[s.edit]!;
          Y.applyUpdate(writer, Y.encodeStateAsUpdate(room));
          const before = Y.encodeStateVector(room);
          if (s.key.length % 2) writer.getMap('m').delete(s.key.slice(1));
          writer.getMap('m').set(s.key, s.edit);
          const update = Y.encodeStateAsUpdate(writer, before);
          Y.applyUpdate(room, update);
          answers.stored(update);
          states.push(Y.encodeStateAsUpdate(room));
        } else if ('ask' in s) {
          // A client that holds some earlier state of the room asks for the rest.
          const client = new Y.Doc();
          Y.applyUpdate(client, states[s.ask % states.length]!);
          applyAnswer(client, answers.answer(Y.encodeStateVector(client)));
          expect(client.getMap('m').toJSON()).toEqual(room.getMap('m').toJSON());
          expect(Y.encodeStateVector(client)).toEqual(Y.encodeStateVector(room));
        } else if ('madeUp' in s) {
          // A state nobody has, naming the writers' clients or others: answered, never harmful.
          const ids = writers.map((w) => w.clientID);
          const vector = new Map(s.madeUp.map(([i, clock]) => [ids[i] ?? 7 + i, clock]));
          answers.answer(encodeVector(vector));
        } else {
          answers.keepWhole(Y.encodeStateAsUpdate(room));
        }
      }
    }),
  );
});

it('answers a flood of the same question from one encoding, before and after edits', () => {
  const room = new Y.Doc();
  room.getMap('m').set('k', 'v');
  let encodes = 0;
  const answers = new SyncAnswers(room, () => encodes++);
  const empty = Y.encodeStateVector(new Y.Doc());
  for (let i = 0; i < 20; i++) answers.answer(empty);
  expect(encodes).toBe(1);
  room.on('update', (update: Uint8Array) => answers.stored(update));
  room.getMap('m').set('k2', 'v2');
  const answer = answers.answer(empty);
  expect(encodes).toBe(1);
  expect(answer).toHaveLength(2); // the update stored since, and the kept answer
  // A state the room has never been asked about is encoded, once.
  answers.answer(Y.encodeStateVector(room));
  answers.answer(Y.encodeStateVector(room));
  expect(encodes).toBe(2);
});
