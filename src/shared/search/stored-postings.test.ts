import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StoredTermData, VarintReader, VarintWriter, writeTermData } from './stored-postings';

describe('varints', () => {
  const numbers = fc.array(fc.oneof(fc.nat(200), fc.nat(), fc.integer({ min: 0, max: 2 ** 33 })));

  it('read back what was written, and step over it', () => {
    fc.assert(
      fc.property(numbers, fc.nat(40), (values, skipped) => {
        const writer = new VarintWriter();
        for (const value of values) writer.push(value);
        const bytes = writer.done();
        const read = new VarintReader(bytes);
        expect(values.map(() => read.next())).toEqual(values);
        expect(read.done).toBe(true);
        expect(read.next()).toBe(-1);
        const stepped = new VarintReader(bytes);
        expect(stepped.skip(skipped)).toBe(skipped <= values.length);
        if (skipped < values.length) expect(stepped.next()).toBe(values[skipped]);
      }),
    );
  });

  it('refuse a number cut off or longer than five bytes', () => {
    expect(new VarintReader(Uint8Array.of(0x80)).next()).toBe(-1);
    expect(new VarintReader(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01)).next()).toBe(-1);
  });
});

describe('a word’s stored postings', () => {
  /** Field id → document → frequency, written as `compactParts` writes one word. */
  const postings = fc
    .array(
      fc.tuple(
        fc.nat(3),
        fc.uniqueArray(fc.tuple(fc.nat(5000), fc.integer({ min: 1, max: 9 })), {
          selector: ([doc]) => doc,
          minLength: 1,
        }),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((fields) => new Map(fields.map(([id, docs]) => [id, new Map(docs)])));

  const write = (data: Map<number, Map<number, number>>): Uint8Array => {
    const writer = new VarintWriter();
    // Something before the word, as in a whole index.
    writer.push(300);
    writeTermData(writer, data);
    return writer.done();
  };

  it('are the maps they were written from, however they are first read', () => {
    const reads: ((m: Map<number, Map<number, number>>) => unknown)[] = [
      (m) => [...m],
      (m) => m.size,
      (m) => m.get(0),
      (m) => m.has(1),
      (m) => [...m.keys()],
      (m) => [...m.values()],
      (m) => [...m.entries()],
      (m) => {
        const seen: number[] = [];
        m.forEach((_, key) => seen.push(key));
        return seen;
      },
    ];
    fc.assert(
      fc.property(postings, fc.constantFrom(...reads), (data, first) => {
        const stored = new StoredTermData(write(data), 2);
        expect(first(stored)).toEqual(first(data));
        expect(stored.size).toBe(data.size);
        expect([...stored]).toEqual([...data]);
      }),
    );
  });

  it('change as a map does, the first change included', () => {
    const data = new Map([
      [
        1,
        new Map([
          [7, 2],
          [3, 1],
        ]),
      ],
    ]);
    const stored = new StoredTermData(write(data), 2);
    expect(stored.delete(1)).toBe(true);
    expect(stored.size).toBe(0);
    const again = new StoredTermData(write(data), 2);
    again.set(2, new Map([[9, 1]]));
    expect([...again.keys()]).toEqual([1, 2]);
    expect(again.get(1)).toEqual(
      new Map([
        [7, 2],
        [3, 1],
      ]),
    );
  });
});
