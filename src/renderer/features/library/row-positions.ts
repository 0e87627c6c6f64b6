// Where the list's rows are after a change, worked out from where they were. A change to the
// library (a link saved, read, tagged) replaces a few rows and keeps every other row object in
// its order: the store records which stretch of each list it edited (other lists, search results
// for one, are compared by identity, which reads no row), and the rows' tops and the current
// row's place are carried over around that stretch, so only the changed rows are read. Reading
// every row again, for its height and for the current row, cost each Save ~14 ms at 100,000 rows.
import { recordedChange, type RowsChange } from '../../data/rows';
import { rowOffsets } from './row-window';

export type { RowsChange };

/**
 * The stretch of `before` that changed to make `after`: as the store recorded it when it edited
 * one into the other, else between the longest common start and the longest common end.
 */
export function changedStretch<T>(before: readonly T[], after: readonly T[]): RowsChange {
  if (before === after)
    return { start: after.length, beforeEnd: after.length, afterEnd: after.length };
  const recorded = recordedChange(before, after);
  if (recorded) return recorded;
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before[start] === after[start]) start++;
  let kept = 0;
  const last = { before: before.length - 1, after: after.length - 1 };
  while (kept < shorter - start && before[last.before - kept] === after[last.after - kept]) kept++;
  return { start, beforeEnd: before.length - kept, afterEnd: after.length - kept };
}

/**
 * The rows' tops after `change` (as `rowOffsets` would work them out for the new list), from
 * their tops before it: only the changed rows' heights are asked for.
 */
export function offsetsAfter(
  before: Float64Array,
  change: RowsChange,
  count: number,
  heightOf: (index: number) => number,
): Float64Array {
  const offsets = new Float64Array(count + 1);
  offsets.set(before.subarray(0, change.start + 1));
  let top = before[change.start]!;
  for (let i = change.start; i < change.afterEnd; i++) {
    offsets[i] = top;
    top += heightOf(i);
  }
  // Every row after the stretch moves by the same amount: plain numbers, no row is read.
  const shift = top - before[change.beforeEnd]!;
  for (let i = change.afterEnd, j = change.beforeEnd; i <= count; i++, j++)
    offsets[i] = before[j]! + shift;
  return offsets;
}

/**
 * Where a row that stood at `index` before the change (-1: not in the list) stands after it, -1
 * when it is no longer in the list. Only the changed stretch is searched, and only when the row
 * stood there or was not in the list.
 */
export function indexAfter(
  after: readonly { id: string }[],
  change: RowsChange,
  id: string,
  index: number,
): number {
  if (index >= 0 && index < change.start) return index;
  if (index >= change.beforeEnd) return index + change.afterEnd - change.beforeEnd;
  for (let i = change.start; i < change.afterEnd; i++) if (after[i]!.id === id) return i;
  return -1;
}

/** The current row's place in a list. */
export interface RowPlace<Row extends { id: string }> {
  rows: readonly Row[];
  current: string | null;
  /** Where `current` is in `rows`; -1 when it is not there. */
  currentIndex: number;
}

/**
 * Where `current` is in `rows`, carried over from its place in the list before (`change` is how
 * that list became `rows`): the same as `findIndex`, for the cost of the change.
 */
export function placeAfter<Row extends { id: string }>(
  before: RowPlace<Row> | null,
  rows: readonly Row[],
  current: string | null,
  change = before && changedStretch(before.rows, rows),
): number {
  if (current === null) return -1;
  if (before && change && before.current === current)
    return indexAfter(rows, change, current, before.currentIndex);
  return rows.findIndex((row) => row.id === current);
}

/** The rows' tops and the current row's place in one list. */
export interface RowLayout<Row extends { id: string }> extends RowPlace<Row> {
  offsets: Float64Array;
}

/**
 * The layout of `rows` with `current`, carried over from the layout before when there is one: the
 * same as working it out afresh (`rowOffsets` and `findIndex`), for the cost of the change.
 */
export function layoutAfter<Row extends { id: string }>(
  before: RowLayout<Row> | null,
  rows: readonly Row[],
  current: string | null,
  heightOf: (row: Row) => number,
): RowLayout<Row> {
  const height = (i: number) => heightOf(rows[i]!);
  if (!before) {
    const offsets = rowOffsets(rows.length, height);
    return { rows, offsets, current, currentIndex: placeAfter(null, rows, current) };
  }
  const change = changedStretch(before.rows, rows);
  const offsets = offsetsAfter(before.offsets, change, rows.length, height);
  return { rows, offsets, current, currentIndex: placeAfter(before, rows, current, change) };
}
