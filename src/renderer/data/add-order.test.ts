// Links saved together (a pasted list) read in the order they were given, top to bottom in the
// newest-first list, and each later save sits above the earlier ones, however coarse the clock:
// the list never sorts on a moment two rows of one paste share.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Member } from '../../shared/model';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { InlineSearch } from './search-client';

const me: Member = { id: 'ana', name: 'Ana', color: '#2563eb' };
const url = (n: number) => `https://example.com/paste/${n}`;

async function open(now: () => number) {
  return LocalLibrary.open({
    collectionId: 'c1',
    me,
    db: new CollectionDb('c1', new IDBFactory(), IDBKeyRange),
    search: new InlineSearch(),
    now,
  });
}

/** Saves each paste after the clock moved on by its step; returns the order the list should show. */
async function saveAll(pastes: number[][], steps: number[]) {
  let time = 1_700_000_000_000;
  const lib = await open(() => time);
  let expected: string[] = [];
  pastes.forEach((paste, i) => {
    time += steps[i % steps.length]!;
    const results = lib.addLinks(paste.map((n) => ({ url: url(n) })));
    const created = results.filter((r) => r.created).map((r) => r.id);
    expected = [...created, ...expected.filter((id) => !created.includes(id))];
  });
  const shown = lib.store.view('all').map((row) => row.id);
  await lib.close();
  return { shown, expected };
}

describe('the order of links saved together', () => {
  it('six pasted links read 1 to 6, top to bottom', async () => {
    const { shown, expected } = await saveAll([[1, 2, 3, 4, 5, 6]], [0]);
    expect(shown).toEqual(expected);
  });

  it('keeps every paste in its given order, later pastes above earlier ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uniqueArray(fc.nat(40), { minLength: 1, maxLength: 10 }), {
          minLength: 1,
          maxLength: 5,
        }),
        // Mostly a clock that has not moved since the last paste: the case that used to shuffle.
        fc.array(fc.oneof(fc.constant(0), fc.nat(3), fc.nat(100_000)), { minLength: 1 }),
        async (pastes, steps) => {
          const { shown, expected } = await saveAll(pastes, steps);
          expect(shown).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
