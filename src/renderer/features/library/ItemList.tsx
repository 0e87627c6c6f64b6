// The middle pane: a virtualised grid of rows, so a collection of tens of thousands of links
// scrolls as smoothly as one of ten. Keyboard focus stays on the grid and points at the current
// row through aria-activedescendant.
import { useEffect, useRef, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ItemRow } from '../../data/types';
import { ItemListRow, ROW_ESTIMATE } from './ItemListRow';
import { useSelection } from './selection';
import './list.css';

interface ItemListProps {
  label: string;
  rows: ItemRow[];
  /** Matched words per item id while searching. */
  highlights: ReadonlyMap<string, string[]> | null;
  onOpen: (id: string) => void;
}

export function rowDomId(id: string): string {
  return `row-${id}`;
}

export function ItemList({ label, rows, highlights, onOpen }: ItemListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { current, selected, store } = useSelection();
  // TanStack Virtual returns fresh functions each render; the React Compiler lint knows not to memoise them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
    getItemKey: (index) => rows[index]?.id ?? index,
  });

  const currentIndex = current ? rows.findIndex((row) => row.id === current) : -1;
  useEffect(() => {
    if (currentIndex >= 0) virtualizer.scrollToIndex(currentIndex, { align: 'auto' });
  }, [currentIndex, virtualizer]);

  const order = rows.map((row) => row.id);
  const onRowClick = (event: MouseEvent, id: string) => {
    if (event.shiftKey) store.extendTo(id, order);
    else if (event.metaKey || event.ctrlKey) store.toggleWithCurrent(id);
    else store.focus(id);
  };

  return (
    <div
      ref={scrollRef}
      className="item-list"
      role="grid"
      aria-label={label}
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
              key={row.id}
              domId={rowDomId(row.id)}
              row={row}
              index={virtualRow.index}
              top={virtualRow.start}
              isCurrent={row.id === current}
              isSelected={selected.has(row.id)}
              terms={highlights?.get(row.id)}
              onClick={(event) => onRowClick(event, row.id)}
              onDoubleClick={() => onOpen(row.id)}
              onToggle={() => store.toggle(row.id)}
              measureRef={virtualizer.measureElement}
            />
          );
        })}
      </div>
    </div>
  );
}
