// The rows the middle pane shows: a sidebar view, or while searching, the matching live links in
// the order the index ranks them, with the words to highlight.
import { useMemo } from 'react';
import { useRows } from '../../data/hooks';
import type { ItemRow, LibraryView } from '../../data/types';
import { useSearch } from '../search/useSearch';

export interface VisibleRows {
  rows: ItemRow[] | undefined;
  highlights: ReadonlyMap<string, string[]> | null;
  searching: boolean;
}

export function useVisibleRows(view: LibraryView, query: string): VisibleRows {
  const viewRows = useRows(view);
  const allRows = useRows('all');
  const hits = useSearch(query, allRows);
  const searching = query.trim() !== '';
  return useMemo(() => {
    if (!searching) return { rows: viewRows, highlights: null, searching };
    if (!hits) return { rows: undefined, highlights: null, searching };
    const byId = new Map((allRows ?? []).map((row) => [row.id, row]));
    const rows = hits
      .map((hit) => byId.get(hit.id))
      .filter((row): row is ItemRow => row !== undefined);
    return { rows, highlights: new Map(hits.map((hit) => [hit.id, hit.terms])), searching };
  }, [searching, hits, viewRows, allRows]);
}
