// The middle pane: a virtualised grid of rows, so a collection of tens of thousands of links
// scrolls as smoothly as one of ten. Keyboard focus stays on the grid and points at the current
// row through aria-activedescendant.
import {
  memo,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type MouseEvent,
  type RefObject,
} from 'react';
import type { ItemRow } from '../../data/types';
import { ItemListRow, rowHeight } from './ItemListRow';
import { layoutAfter } from './row-positions';
import { scrollToShow, visibleRows } from './row-window';
import { useSelection } from './selection';
import './list.css';

interface ItemListProps {
  /** The id of the element that names the list. */
  labelledBy: string;
  rows: ItemRow[];
  /** While searching, the words to highlight. */
  terms: readonly string[] | null;
  onOpen: (id: string) => void;
  onShowTag: (tag: string) => void;
}

export function rowDomId(id: string): string {
  return `row-${id}`;
}

/**
 * Rows rendered beyond each edge of the viewport, so a scroll shows no gap before the list renders
 * again. Every row brought into view is laid out afresh, so a scroll of a screen a frame costs in
 * proportion to these too: four a side took 10 ms of layout and style a frame, two take 5.
 */
const OVERSCAN = 2;

interface Viewport {
  top: number;
  height: number;
}

/**
 * The rows' offsets and the current row's place, carried over from the list's last render, and
 * the viewport, kept current as the list scrolls and resizes. A scroll renders the list only when
 * it brings other rows into view.
 */
function useRowWindow(
  scrollRef: RefObject<HTMLDivElement | null>,
  rows: ItemRow[],
  current: string | null,
) {
  // The layout of the last render, kept as state so the next one starts from it (React's way of
  // storing information from previous renders); a change renders the list again at once.
  const [shown, setShown] = useState(() => layoutAfter(null, rows, current, rowHeight));
  let layout = shown;
  if (shown.rows !== rows || shown.current !== current) {
    layout = layoutAfter(shown, rows, current, rowHeight);
    setShown(layout);
  }
  const { offsets } = layout;
  const offsetsRef = useRef(offsets);
  useLayoutEffect(() => {
    offsetsRef.current = offsets;
  }, [offsets]);
  const [viewport, setViewport] = useState<Viewport>({ top: 0, height: 0 });
  // The viewport as of its last scroll or resize: reading the element's scrollTop after a render
  // would make the browser lay the page out there and then, rather than once for the frame.
  const viewportRef = useRef<Viewport>({ top: 0, height: 0 });
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const update = () => {
      const next = { top: element.scrollTop, height: element.clientHeight };
      viewportRef.current = next;
      setViewport((was) => {
        if (was.height !== next.height) return next;
        const a = visibleRows(offsetsRef.current, was.top, was.height, OVERSCAN);
        const b = visibleRows(offsetsRef.current, next.top, next.height, OVERSCAN);
        return a.start === b.start && a.end === b.end ? was : next;
      });
    };
    update();
    element.addEventListener('scroll', update, { passive: true });
    const resizes = new ResizeObserver(update);
    resizes.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      resizes.disconnect();
    };
  }, [scrollRef]);
  // The viewport's top can be stale within the rows in view; where it matters (scrolling to a
  // row) the last scroll's own position is used.
  const range = visibleRows(offsets, viewport.top, viewport.height, OVERSCAN);
  return { offsets, range, currentIndex: layout.currentIndex, viewportRef };
}

// Memoised: typing in the search box renders the window, but not the list until results change.
export const ItemList = memo(function ItemList({
  labelledBy,
  rows,
  terms,
  onOpen,
  onShowTag,
}: ItemListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { current, selected, store } = useSelection();
  const { offsets, range, currentIndex, viewportRef } = useRowWindow(scrollRef, rows, current);

  useEffect(() => {
    const element = scrollRef.current;
    if (currentIndex < 0 || !element) return;
    // A row already in full view (a link just saved at the top, a click) needs no scrolling.
    const { top, height } = viewportRef.current;
    const to = scrollToShow(offsets, currentIndex, top, height);
    if (to === null) return;
    element.scrollTop = to;
    // As the browser clamped it; that read costs a layout only when the list scrolls.
    viewportRef.current = { top: element.scrollTop, height };
  }, [currentIndex, offsets, viewportRef]);

  const onRowClick = (event: MouseEvent, id: string) => {
    if (event.shiftKey)
      store.extendTo(
        id,
        rows.map((row) => row.id),
      );
    else if (event.metaKey || event.ctrlKey) store.toggleWithCurrent(id);
    else store.focus(id);
  };

  return (
    <div
      ref={scrollRef}
      className="item-list"
      role="grid"
      aria-labelledby={labelledBy}
      aria-multiselectable="true"
      aria-rowcount={rows.length}
      aria-activedescendant={currentIndex >= 0 ? rowDomId(current ?? '') : undefined}
      tabIndex={0}
    >
      <div className="item-list__canvas" style={{ height: offsets[rows.length] }}>
        {rows.slice(range.start, range.end).map((row, i) => {
          const index = range.start + i;
          return (
            <ItemListRow
              // Search results replace each other at every keystroke: rows keyed by position
              // update their text in place instead of being torn down and built again.
              key={terms ? index : row.id}
              domId={rowDomId(row.id)}
              row={row}
              index={index}
              top={offsets[index]!}
              isCurrent={row.id === current}
              isSelected={selected.has(row.id)}
              terms={terms ?? undefined}
              onClick={(event) => onRowClick(event, row.id)}
              onDoubleClick={() => onOpen(row.id)}
              onToggle={() => store.toggle(row.id)}
              onShowTag={onShowTag}
            />
          );
        })}
      </div>
    </div>
  );
});
