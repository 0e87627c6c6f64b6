import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedStretch, layoutAfter, placeAfter, type RowLayout } from './row-positions';
import { rowOffsets } from './row-window';

interface Row {
  id: string;
  tagged: boolean;
}

const heightOf = (row: Row) => (row.tagged ? 90 : 66);

/** One change to a list, as the library makes them: rows come, go, are replaced, or a new list. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), tagged: fc.boolean() }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), tagged: fc.boolean() }),
  fc.record({ kind: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('same' as const) }),
  fc.record({ kind: fc.constant('fresh' as const), size: fc.nat({ max: 30 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

/** What the list's cursor does between two renders. */
const cursor = fc.oneof(
  fc.constant({ kind: 'keep' as const }),
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('row' as const), at: fc.nat() }),
  fc.constant({ kind: 'missing' as const }),
);

let next = 0;
const newRow = (tagged: boolean): Row => ({ id: `r${next++}`, tagged });

function applyEdit(rows: readonly Row[], e: Edit): readonly Row[] {
  if (e.kind === 'same') return rows;
  if (e.kind === 'fresh') return Array.from({ length: e.size }, (_, i) => newRow(i % 3 === 0));
  const out = [...rows];
  if (e.kind === 'insert') out.splice(e.at % (out.length + 1), 0, newRow(e.tagged));
  else if (!out.length) return out;
  else if (e.kind === 'remove') out.splice(e.at % out.length, 1);
  else if (e.kind === 'replace') {
    const at = e.at % out.length;
    // A row edited in place: a new object under the same id.
    out[at] = { id: out[at]!.id, tagged: e.tagged };
  } else {
    const [row] = out.splice(e.from % out.length, 1);
    out.splice(e.to % (out.length + 1), 0, { ...row! });
  }
  return out;
}

describe('the list carried over from its last render', () => {
  it('has the tops and the current row that working them out afresh gives', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 40 }),
        fc.array(fc.tuple(edit, cursor), { maxLength: 25 }),
        (size, steps) => {
          let rows: readonly Row[] = Array.from({ length: size }, (_, i) => newRow(i % 2 === 0));
          let current: string | null = rows[0]?.id ?? null;
          let layout: RowLayout<Row> = layoutAfter(null, rows, current, heightOf);
          for (const [change, move] of steps) {
            rows = applyEdit(rows, change);
            if (move.kind === 'none') current = null;
            else if (move.kind === 'missing') current = 'not-in-the-list';
            else if (move.kind === 'row' && rows.length) current = rows[move.at % rows.length]!.id;
            layout = layoutAfter(layout, rows, current, heightOf);
            expect([...layout.offsets]).toEqual([
              ...rowOffsets(rows.length, (i) => heightOf(rows[i]!)),
            ]);
            expect(layout.currentIndex).toBe(rows.findIndex((row) => row.id === current));
          }
        },
      ),
    );
  });

  it('finds the stretch between the rows kept at either end', () => {
    const [a, b, c, d] = [newRow(false), newRow(false), newRow(true), newRow(false)];
    // A link saved at the top: nothing kept before it, every other row after it.
    expect(changedStretch([a, b, c], [d, a, b, c])).toEqual({
      start: 0,
      beforeEnd: 0,
      afterEnd: 1,
    });
    // A link read in Unread leaves the middle.
    expect(changedStretch([a, b, c], [a, c])).toEqual({ start: 1, beforeEnd: 2, afterEnd: 1 });
    // The same list: nothing changed, and nothing is compared.
    const same = [a, b];
    expect(changedStretch(same, same)).toEqual({ start: 2, beforeEnd: 2, afterEnd: 2 });
  });

  it('looks for the current row only in the changed stretch when it was in the list', () => {
    const rows = Array.from({ length: 1000 }, () => newRow(false));
    const before = { rows, current: rows[500]!.id, currentIndex: 500 };
    const saved = [newRow(true), ...rows];
    const read: string[] = [];
    const watched = saved.map((row, i) => ({
      get id() {
        read.push(`${i}`);
        return row.id;
      },
    }));
    const change = changedStretch(rows, saved);
    expect(placeAfter(before, watched, rows[500]!.id, change)).toBe(501);
    expect(read).toEqual([]);
  });
});
