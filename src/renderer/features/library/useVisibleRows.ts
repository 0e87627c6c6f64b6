// The rows the middle pane shows: a sidebar view, or while searching, the matching live links in
// the order the index ranks them, with the words to highlight.
import { useMemo } from 'react';
import { useRowLookup, useRows } from '../../data/hooks';
import type { ItemRow, LibraryView } from '../../data/types';
import { useSearch } from '../search/useSearch';

export interface VisibleRows {
  rows: ItemRow[] | undefined;
  highlights: ReadonlyMap<string, string[]> | null;
  /** The list shows search results (or, before the first answer, the view it searches from). */
  searching: boolean;
  /** Waiting for the answer to the latest keystroke. */
  pending: boolean;
  /** While searching, how many links match in all (`rows` are the best of them). */
  total: number;
}

export function useVisibleRows(view: LibraryView, query: string): VisibleRows {
  const viewRows = useRows(view);
  const allRows = useRows('all');
  const lookup = useRowLookup();
  const { active, hits, total, pending } = useSearch(query, allRows);
  const shown = useMemo(() => {
    // Until the first answer the view stays on screen: no flash of an empty list.
    if (!active || !hits) return { rows: viewRows, highlights: null };
    const rows: ItemRow[] = [];
    const highlights = new Map<string, string[]>();
    for (const hit of hits) {
      const row = lookup(hit.id);
      // A link trashed or deleted since the index answered is left out.
      if (!row || row.status === 'trash') continue;
      rows.push(row);
      highlights.set(hit.id, hit.terms);
    }
    return { rows, highlights };
  }, [active, hits, viewRows, lookup]);
  const found = shown.highlights ? Math.max(total, shown.highlights.size) : 0;
  return { ...shown, searching: active, pending, total: found };
}
