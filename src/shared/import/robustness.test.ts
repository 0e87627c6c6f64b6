import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureBytes, fixtureText } from '../../../tests/fixtures/import';
import { ImportedItemSchema } from './draft';
import { parseImport } from '.';

const omnivoreZip = zipSync({
  'metadata_0_to_20.json': strToU8(fixtureText('omnivore/metadata_0_to_20.json')),
  'highlights/the-network-is-reliable-18b3c4d5e6f.md': strToU8(
    fixtureText('omnivore/highlights/the-network-is-reliable-18b3c4d5e6f.md'),
  ),
});
const inputs: Array<[string, Uint8Array]> = [
  ...FIXTURES.map((name) => [name, fixtureBytes(name)] as [string, Uint8Array]),
  ['omnivore.zip', omnivoreZip],
];

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'swap'; a: number; b: number; length: number }
  | { kind: 'insert'; at: number; bytes: number[] };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('swap' as const),
    a: fc.nat(),
    b: fc.nat(),
    length: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(
      fc.constantFrom(0x3c, 0x3e, 0x22, 0x2c, 0x0a, 0x0d, 0x00, 0xff, 0xc3, 0x7b, 0x5b, 0x23),
      {
        maxLength: 40,
      },
    ),
  }),
);

/** Applies mutations; the result is never longer than the input plus 40 bytes a mutation. */
function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = input.slice();
  for (const m of mutations) {
    const n = Math.max(bytes.length, 1);
    if (m.kind === 'truncate') bytes = bytes.slice(0, m.at % n);
    else if (m.kind === 'flip' && bytes.length) bytes[m.at % n] = m.byte;
    else if (m.kind === 'swap' && bytes.length) {
      // Moves a slice elsewhere: reorders lines, rows and entries.
      const a = m.a % n;
      const piece = bytes.slice(a, a + m.length);
      const rest = new Uint8Array([...bytes.slice(0, a), ...bytes.slice(a + m.length)]);
      const b = m.b % Math.max(rest.length, 1);
      bytes = new Uint8Array([...rest.slice(0, b), ...piece, ...rest.slice(b)]);
    } else if (m.kind === 'insert') {
      const at = m.at % (bytes.length + 1);
      bytes = new Uint8Array([...bytes.slice(0, at), ...m.bytes, ...bytes.slice(at)]);
    }
  }
  return bytes;
}

describe('damaged exports', () => {
  it.each(inputs)(
    '%s: truncated, flipped, reordered or padded, it never throws and every item is valid',
    async (name, bytes) => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
          const result = await parseImport({ bytes: mutate(bytes, mutations), name });
          for (const item of result.items)
            expect(ImportedItemSchema.safeParse(item).success).toBe(true);
          expect(result.error !== undefined || result.format !== null).toBe(true);
        }),
        { numRuns: 40 },
      );
    },
  );
});
