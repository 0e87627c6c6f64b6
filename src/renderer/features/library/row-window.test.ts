import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowOffsets, scrollToShow, visibleRows } from './row-window';

/** The rows that intersect [top, top + height), found by looking at every row. */
function intersecting(heights: number[], top: number, height: number) {
  const shown: number[] = [];
  let y = 0;
  heights.forEach((h, i) => {
    if (y + h > top && y < top + height) shown.push(i);
    y += h;
  });
  return shown;
}

const lists = fc
  .array(fc.constantFrom(66, 90), { minLength: 1, maxLength: 300 })
  .chain((heights) => {
    const total = heights.reduce((a, b) => a + b, 0);
    return fc.record({
      heights: fc.constant(heights),
      top: fc.integer({ min: 0, max: total - 1 }),
      height: fc.integer({ min: 1, max: 2000 }),
      overscan: fc.integer({ min: 0, max: 5 }),
    });
  });

describe('the rows in view', () => {
  it('are exactly the rows that intersect the viewport, widened by the overscan', () => {
    fc.assert(
      fc.property(lists, ({ heights, top, height, overscan }) => {
        const offsets = rowOffsets(heights.length, (i) => heights[i]!);
        const shown = intersecting(heights, top, height);
        const range = visibleRows(offsets, top, height, overscan);
        expect(range).toEqual({
          start: Math.max(0, shown[0]! - overscan),
          end: Math.min(heights.length, shown.at(-1)! + 1 + overscan),
        });
      }),
    );
  });

  it('places each row below the one before, and the canvas as tall as all rows', () => {
    const offsets = rowOffsets(3, (i) => [66, 90, 66][i]!);
    expect([...offsets]).toEqual([0, 66, 156, 222]);
    expect(
      visibleRows(
        rowOffsets(0, () => 66),
        0,
        500,
        4,
      ),
    ).toEqual({ start: 0, end: 0 });
  });

  it('scrolls as little as it takes to show a row in full, and not at all when it is', () => {
    fc.assert(
      fc.property(lists, fc.nat(), ({ heights, top, height }, pick) => {
        const offsets = rowOffsets(heights.length, (i) => heights[i]!);
        const index = pick % heights.length;
        const rowTop = offsets[index]!;
        const rowBottom = offsets[index + 1]!;
        const inFullView = (at: number) => rowTop >= at && rowBottom <= at + height;
        const to = scrollToShow(offsets, index, top, height);
        // A row taller than the viewport shows its top; any other is then in full view, and
        // no smaller move would have shown it.
        if (rowBottom - rowTop > height) {
          expect(to).toBe(rowTop === top ? null : rowTop);
        } else if (inFullView(top)) {
          expect(to).toBeNull();
        } else {
          expect(inFullView(to!)).toBe(true);
          const step = to! > top ? -1 : 1;
          expect(inFullView(to! + step)).toBe(false);
        }
      }),
    );
  });
});
