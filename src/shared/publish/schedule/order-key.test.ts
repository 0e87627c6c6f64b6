import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORDER_KEY_PATTERN, orderKeyBetween, replicaTag } from './order-key';

/** Puts a new key at `index` of a sorted list, the way a queue edit does. */
function insertAt(keys: string[], index: number, replica: number): string {
  const i = Math.min(index, keys.length);
  const key = orderKeyBetween(keys[i - 1] ?? null, keys[i] ?? null, replica);
  keys.splice(i, 0, key);
  return key;
}

const sorted = (keys: readonly string[]) => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('order keys', () => {
  it('sort exactly as they were placed, whatever the sequence of inserts and replicas', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(60), fc.constantFrom(0, 1, 7, 2 ** 32 - 1, 123_456_789)), {
          maxLength: 200,
        }),
        (inserts) => {
          const keys: string[] = [];
          for (const [index, replica] of inserts) insertAt(keys, index, replica);
          expect(sorted(keys)).toEqual(keys);
          expect(new Set(keys).size).toBe(keys.length);
          for (const key of keys) expect(key).toMatch(ORDER_KEY_PATTERN);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('made by two replicas for the same gap differ, sit in the gap, and leave room between them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(40), { maxLength: 40 }),
        fc.nat(40),
        fc.uniqueArray(fc.nat(2 ** 32 - 1), { minLength: 2, maxLength: 2 }),
        (setup, gap, [a, b]) => {
          const keys: string[] = [];
          for (const index of setup) insertAt(keys, index, 5);
          const i = Math.min(gap, keys.length);
          const [lo, hi] = [keys[i - 1] ?? null, keys[i] ?? null];
          const fromA = orderKeyBetween(lo, hi, a!);
          const fromB = orderKeyBetween(lo, hi, b!);
          expect(fromA).not.toBe(fromB);
          const [first, second] = sorted([fromA, fromB]) as [string, string];
          if (lo !== null) expect(lo < first).toBe(true);
          if (hi !== null) expect(second < hi).toBe(true);
          const between = orderKeyBetween(first, second, 9);
          expect(first < between && between < second).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stay short when picks are added to the end or the start every day for decades', () => {
    const end: string[] = [];
    const start: string[] = [];
    for (let day = 0; day < 20_000; day++) {
      insertAt(end, end.length, day);
      insertAt(start, 0, day);
    }
    expect(sorted(end)).toEqual(end);
    expect(sorted(start)).toEqual(start);
    expect(Math.max(...end.map((k) => k.length))).toBeLessThanOrEqual(4 + 6);
    expect(Math.max(...start.map((k) => k.length))).toBeLessThanOrEqual(4 + 6);
  });

  it('grow by about a character per five inserts into one and the same gap', () => {
    const keys = [orderKeyBetween(null, null, 1)];
    keys.push(orderKeyBetween(keys[0]!, null, 1));
    for (let i = 0; i < 100; i++) insertAt(keys, 1, 1);
    expect(sorted(keys)).toEqual(keys);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(2 + 100 / 5 + 6);
  });

  it('tag each replica with six digits that never end a key in "0"', () => {
    expect(replicaTag(0)).toBe('111111');
    expect(replicaTag(2 ** 32 - 1)).toMatch(/^[1-9A-Za-z]{6}$/);
    expect(replicaTag(1)).not.toBe(replicaTag(2));
  });

  it('still give a key when a forged document holds two equal keys', () => {
    const key = orderKeyBetween('a5abcdef', 'a5abcdef', 3);
    expect(key > 'a5abcdef').toBe(true);
    expect(key).toMatch(ORDER_KEY_PATTERN);
  });
});
