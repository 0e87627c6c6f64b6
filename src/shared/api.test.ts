import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesReplacer, bytesReviver, jsonWithBytesInPieces } from './api';

const encode = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const decode = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
const MARKER = '7d1c3f0e-5b8a-4c2e-9f61-0a9e2b4c6d80:';

describe('a request body in pieces', () => {
  it('joins to the JSON of the whole, bytes and all', () => {
    const value = fc.object({
      values: [fc.jsonValue(), fc.uint8Array({ maxLength: 40 })],
      maxDepth: 3,
    });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), (args) => {
        const whole = JSON.stringify(args, bytesReplacer(encode));
        expect([...jsonWithBytesInPieces(args, encode, MARKER)].join('')).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('encodes each byte array only when its piece is taken', () => {
    let encoded = 0;
    const counting = (bytes: Uint8Array) => (encoded++, encode(bytes));
    const pieces = jsonWithBytesInPieces(
      [{ updates: [new Uint8Array([1]), new Uint8Array([2, 3])] }],
      counting,
      MARKER,
    );
    expect(pieces.next().value).toBe('[{"updates":[');
    expect(encoded).toBe(0);
    const body = ['[{"updates":[', ...pieces].join('');
    expect(encoded).toBe(2);
    expect(JSON.parse(body, bytesReviver(decode))).toEqual([
      { updates: [new Uint8Array([1]), new Uint8Array([2, 3])] },
    ]);
  });
});
