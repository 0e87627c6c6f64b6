import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { v2Updates } from './fuzz-messages';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hostileMessage } from './fuzz-messages';
import {
  ProtocolError,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  readClientMessage,
} from './protocol';

describe('readClientMessage', () => {
  it('reads every message a y-websocket client sends', () => {
    const doc = new Y.Doc();
    doc.getMap('items').set('a', 1);
    const update = Y.encodeStateAsUpdate(doc);
    expect(readClientMessage(encodeSyncStep1(doc)).type).toBe('sync-step1');
    expect(readClientMessage(encodeSyncStep2(update))).toEqual({ type: 'sync-step2', update });
    expect(readClientMessage(encodeUpdate(update))).toEqual({ type: 'update', update });
    expect(readClientMessage(encodeQueryAwareness())).toEqual({ type: 'query-awareness' });
    const awareness = Uint8Array.from([1, 5, 1, 2, 0x7b, 0x7d]); // client 5, clock 1, "{}"
    expect(readClientMessage(encodeAwareness(awareness))).toEqual({
      type: 'awareness',
      entries: [{ clientId: 5, clock: 1, state: {} }],
    });
  });

  it('accepts any real Yjs update, however it was built', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), {
          maxLength: 10,
        }),
        (entries) => {
          const doc = new Y.Doc();
          for (const [key, value] of entries) doc.getMap('m').set(key, value);
          doc.getText('t').insert(0, entries.map(([k]) => k).join(''));
          const update = Y.encodeStateAsUpdate(doc);
          expect(readClientMessage(encodeUpdate(update))).toEqual({ type: 'update', update });
        },
      ),
    );
  });

  it('throws only ProtocolError on hostile bytes', () => {
    fc.assert(
      fc.property(hostileMessage(), (bytes) => {
        try {
          readClientMessage(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('names the problem', () => {
    expect(() => readClientMessage(new Uint8Array())).toThrow('empty message');
    expect(() => readClientMessage(Uint8Array.from([9]))).toThrow('unknown message type 9');
    expect(() => readClientMessage(Uint8Array.from([0, 2, 200, 1]))).toThrow(
      /truncated sync message/,
    );
    expect(() => readClientMessage(Uint8Array.from([0, 2, 2, 5, 5]))).toThrow(
      /the Yjs update does not decode/,
    );
    expect(() => readClientMessage(Uint8Array.from([3, 0]))).toThrow(/1 unexpected bytes/);
    expect(() => readClientMessage(Uint8Array.from([2, 0]))).toThrow(/auth messages/);
  });

  it('refuses presence that is too large, too deep or not an object, before parsing it', () => {
    const presence = (text: string) => encodeAwareness(rawEntry(text));
    expect(() => readClientMessage(presence('['.repeat(17) + ']'.repeat(17)))).toThrow(
      /nests deeper than 16 levels/,
    );
    expect(() => readClientMessage(presence(JSON.stringify({ name: 'x'.repeat(9000) })))).toThrow(
      /presence state of 9011 bytes is over 8192/,
    );
    expect(() => readClientMessage(presence('[1, 2]'))).toThrow(/JSON object or null/);
    expect(() => readClientMessage(presence('{"a":'))).toThrow(/does not decode/);
    const many = encodeAwarenessEntries(
      Array.from({ length: 9 }, (_, i) => ({
        clientId: i,
        clock: 1,
        state: { pad: 'x'.repeat(8000) },
      })),
    );
    expect(() => readClientMessage(encodeAwareness(many))).toThrow(/over 65536/);
    expect(readClientMessage(presence('{"user":{"id":"ann"},"itemId":null}'))).toEqual({
      type: 'awareness',
      entries: [{ clientId: 7, clock: 1, state: { user: { id: 'ann' }, itemId: null } }],
    });
  });
});

/** An awareness update for client 7 at clock 1 whose state is `text`, verbatim. */
function rawEntry(text: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, 7);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarString(encoder, text);
  return encoding.toUint8Array(encoder);
}

it('reads updates as V1 only: bytes in the V2 encoding are refused or read as V1', () => {
  for (const message of v2Updates()) {
    try {
      readClientMessage(message);
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
    }
  }
});

it('never hands client bytes to a Yjs V2 function', () => {
  // Some V2 bytes make mergeUpdatesV2 loop forever. The one V2 call reads what Yjs itself
  // encoded (the delete set it left waiting), never bytes as a client sent them; the fuzz
  // corpus makes V2 bytes to send.
  const here = fileURLToPath(new URL('.', import.meta.url));
  const calls = readdirSync(here, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .filter((file) => file !== 'fuzz-messages.ts')
    .flatMap((file) =>
      [...readFileSync(join(here, file), 'utf8').matchAll(/Y\.\w+V2\(/g)].map(
        (m) => `${file}: ${m[0]}`,
      ),
    );
  expect(calls).toEqual(['waiting-updates.ts: Y.decodeUpdateV2(']);
});
