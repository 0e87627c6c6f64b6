// The middle pane: a virtualised grid of rows, so a collection of tens of thousands of links
// scrolls as smoothly as one of ten. Keyboard focus stays on the grid and points at the current
// row through aria-activedescendant.
import { memo, useCallback, useEffect, useRef, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ItemRow } from '../../data/types';
import { ItemListRow, rowHeight } from './ItemListRow';
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
  // Stable until the rows change: the virtualizer lays out every row again when these do.
  const estimateSize = useCallback(
    (index: number) => (rows[index] ? rowHeight(rows[index]) : 0),
    [rows],
  );
  const getItemKey = useCallback((index: number) => rows[index]?.id ?? index, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: 4,
    getItemKey,
  });

  const currentIndex = current ? rows.findIndex((row) => row.id === current) : -1;
  useEffect(() => {
    if (currentIndex < 0) return;
    // Scrolling reads and writes layout; a row already in full view (a link just saved at the
    // top, a click) needs none of it.
    const item = virtualizer.getVirtualItems().find((v) => v.index === currentIndex);
    const top = virtualizer.scrollOffset ?? 0;
    const bottom = top + (virtualizer.scrollRect?.height ?? 0);
    if (item && item.start >= top && item.end <= bottom) return;
    virtualizer.scrollToIndex(currentIndex, { align: 'auto' });
  }, [currentIndex, virtualizer]);

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
      <div className="item-list__canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((virtualRow) => {
          const row = rows[virtualRow.index];
          if (!row) return null;
          return (
            <ItemListRow
              // Search results replace each other at every keystroke: rows keyed by position
              // update their text in place instead of being torn down and built again.
              key={terms ? virtualRow.index : row.id}
              domId={rowDomId(row.id)}
              row={row}
              index={virtualRow.index}
              top={virtualRow.start}
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
