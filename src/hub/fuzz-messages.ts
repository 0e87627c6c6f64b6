// Hostile y-websocket messages for the hub's fuzz tests: random bytes, valid messages cut short,
// varints that never end, length prefixes far beyond the message, valid updates with a byte
// flipped, updates that build on changes never sent, sync requests for made-up states, and
// presence nested deep, large, or speaking for a client id another member holds. Built from
// scratch documents that share nothing with the room under test.
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep1FromVector,
  encodeSyncStep2,
  encodeUpdate,
} from './protocol';

function bytes(write: (e: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const concat = (...parts: ArrayLike<number>[]) =>
  Uint8Array.from(parts.flatMap((part) => Array.from(part)));

function scratchMessages(): { messages: Uint8Array[]; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getMap('scratch').set('title', 'a title long enough to be worth cutting');
  doc.getText('scratch-note').insert(0, 'some note text');
  doc.getText('scratch-note').delete(2, 4);
  doc.getArray('scratch-list').insert(0, [1, 'two', { three: 3 }, new Uint8Array([4])]);
  const awareness = new Awareness(doc);
  awareness.setLocalState({ user: { member: 'fuzz', open: 'item' } });
  const awarenessUpdate = encodeAwarenessUpdate(awareness, [doc.clientID]);
  awareness.destroy();
  const whole = Y.encodeStateAsUpdate(doc);
  const messages = [
    encodeSyncStep1(doc),
    encodeSyncStep2(whole),
    ...updates.map(encodeUpdate),
    encodeAwareness(awarenessUpdate),
  ];
  return { messages, updates: [...updates, whole] };
}

/**
 * Updates in Yjs's V2 encoding, which the protocol never carries: whole, and cut short. Some
 * such bytes make Yjs's V2 functions (mergeUpdatesV2) loop forever, so the hub must read every
 * update as V1 only and refuse these as malformed.
 */
export function v2Updates(): Uint8Array[] {
  const doc = new Y.Doc();
  doc.getMap('scratch').set('k', 'v');
  const v2 = Y.encodeStateAsUpdateV2(doc);
  const cuts = [27, 16, 8].map((n) => v2.subarray(0, Math.min(n, v2.length - 1)));
  return [v2, ...cuts].flatMap((update) => [encodeUpdate(update), encodeSyncStep2(update)]);
}

/** Updates from a writer whose first change is never sent: each builds on a missing one. */
function earlyUpdates(): Uint8Array[] {
  const writer = new Y.Doc();
  writer.getMap('scratch').set('withheld', true);
  return Array.from({ length: 4 }, (_, i) => {
    const before = Y.encodeStateVector(writer);
    writer.getText('scratch-early').insert(0, `early ${i} `.repeat(10 * i + 1));
    return encodeUpdate(Y.encodeStateAsUpdate(writer, before));
  });
}

/** An awareness message for one client whose state is `text`, byte for byte. */
export function presenceText(clientId: number, clock: number, text: string): Uint8Array {
  return encodeAwareness(
    bytes((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, text);
    }),
  );
}

/**
 * Presence meant to hurt: nested deep, larger than a state may be, or for `takenClientId` (a
 * client id another member's connection holds) under any member name.
 */
export function hostilePresence(takenClientId: number): fc.Arbitrary<Uint8Array> {
  const clientId = fc.integer({ min: 1, max: 2 ** 32 - 1 });
  return fc.oneof(
    fc
      .tuple(clientId, fc.integer({ min: 17, max: 20_000 }))
      .map(([id, depth]) => presenceText(id, 1, '['.repeat(depth) + ']'.repeat(depth))),
    fc
      .tuple(clientId, fc.integer({ min: 8 * 1024, max: 60 * 1024 }))
      .map(([id, size]) =>
        presenceText(id, 1, JSON.stringify({ user: { id: 'ann' }, pad: 'x'.repeat(size) })),
      ),
    fc
      .tuple(fc.nat(), fc.constantFrom('ann', 'bob', 'mallory'), fc.boolean())
      .map(([clock, member, leaves]) =>
        presenceText(
          takenClientId,
          clock,
          leaves ? 'null' : JSON.stringify({ user: { id: member, name: 'Bob' } }),
        ),
      ),
  );
}

/** Sync requests for states nobody has: each distinct one would cost the room an encoding. */
function madeUpSyncRequest(): fc.Arbitrary<Uint8Array> {
  return fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }).map((clocks) =>
    encodeSyncStep1FromVector(
      bytes((e) => {
        encoding.writeVarUint(e, clocks.length);
        for (const [client, clock] of clocks) {
          encoding.writeVarUint(e, client);
          encoding.writeVarUint(e, clock);
        }
      }),
    ),
  );
}

const PREFIXES = [[], [0], [0, 0], [0, 1], [0, 2], [1], [0, 2, 12], [1, 9, 1]];

export function hostileMessage(takenClientId = 1): fc.Arbitrary<Uint8Array> {
  const { messages, updates } = scratchMessages();
  const prefix = fc.constantFrom(...PREFIXES);
  const framedUpdate = (inner: Uint8Array) =>
    bytes((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, inner);
    });
  const hugeNumber = fc.integer({ min: 2 ** 20, max: Number.MAX_SAFE_INTEGER });
  return fc.oneof(
    hostilePresence(takenClientId),
    madeUpSyncRequest(),
    fc.constantFrom(...earlyUpdates()),
    fc.uint8Array({ maxLength: 96 }),
    fc.uint8Array({ maxLength: 64 }).map((b) => concat([0], b)),
    fc.uint8Array({ maxLength: 64 }).map(framedUpdate),
    fc.tuple(fc.constantFrom(...messages), fc.nat()).map(([m, n]) => m.subarray(0, n % m.length)),
    fc
      .tuple(prefix, fc.integer({ min: 1, max: 12 }))
      .map(([p, n]) => concat(p, new Array<number>(n).fill(0xff))),
    fc.tuple(prefix, hugeNumber, fc.uint8Array({ maxLength: 8 })).map(([p, n, tail]) =>
      concat(
        p,
        bytes((e) => encoding.writeVarUint(e, n)),
        tail,
      ),
    ),
    fc.tuple(hugeNumber, fc.uint8Array({ maxLength: 16 })).map(([n, tail]) =>
      framedUpdate(
        concat(
          bytes((e) => encoding.writeVarUint(e, n)),
          tail,
        ),
      ),
    ),
    fc
      .tuple(fc.constantFrom(...updates), fc.nat(), fc.integer({ min: 1, max: 255 }))
      .map(([update, at, xor]) => {
        const flipped = update.slice();
        const i = at % flipped.length;
        flipped[i] = (flipped[i] as number) ^ xor;
        return framedUpdate(flipped);
      }),
  );
}
