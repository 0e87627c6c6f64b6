import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonDepthScanner } from './json-depth';

/** Nesting depth of a parsed value: 0 for a scalar, 1 for `[]` or `{}`. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** The bytes of `text` cut at the given points, as a request body arrives in chunks. */
function chunks(text: string, cuts: number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    out.push(bytes.subarray(start, point));
    start = point;
  }
  return out;
}

describe('JsonDepthScanner', () => {
  it('measures the depth JSON.parse would build, however the bytes are split', () => {
    fc.assert(
      fc.property(
        // Strings full of brackets, quotes, backslashes and non-ASCII text are the hard part.
        fc.jsonValue({
          maxDepth: 6,
          stringUnit: fc.constantFrom('[', ']', '{', '"', '\\', 'é', '😀', 'a'),
        }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (value, cuts) => {
          const text = JSON.stringify(value);
          const scanner = new JsonDepthScanner();
          for (const chunk of chunks(text, cuts)) scanner.scan(chunk);
          expect(scanner.deepest).toBe(depthOf(JSON.parse(text)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads a body of five million brackets', () => {
    const scanner = new JsonDepthScanner();
    scanner.scan(Buffer.from('['.repeat(5_000_000) + ']'.repeat(5_000_000)));
    expect(scanner.deepest).toBe(5_000_000);
  });
});
