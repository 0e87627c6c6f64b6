// The rows the middle pane shows: a sidebar view, or while searching, the matching live links in
// the order the index ranks them, with the words to highlight.
import { useMemo } from 'react';
import { useRowLookup, useRows } from '../../data/hooks';
import type { ItemRow, LibraryView } from '../../data/types';
import { useArticleSearch } from '../search/articleMatches';
import { useSearch } from '../search/useSearch';

export interface VisibleRows {
  rows: ItemRow[] | undefined;
  /** While searching, the words to highlight in the rows (null before the first answer). */
  terms: readonly string[] | null;
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
  const { active, answer, pending } = useSearch(query, allRows);
  const articles = useArticleSearch(query, allRows);
  const rows = useMemo(() => {
    // Until the first answer the view stays on screen: no flash of an empty list.
    if (!active || !answer) return viewRows;
    const found: ItemRow[] = [];
    for (const id of answer.ids) {
      const row = lookup(id);
      // A link trashed or deleted since the index answered is left out.
      if (row && row.status !== 'trash') found.push(row);
    }
    // Links whose article or highlights hold the words, and nothing else does, come after.
    const shown = new Set(answer.ids);
    for (const hit of articles?.hits ?? []) {
      const row = shown.has(hit.id) ? undefined : lookup(hit.id);
      if (row && row.status !== 'trash') found.push(row);
    }
    return found;
  }, [active, answer, articles, viewRows, lookup]);
  const results = active && answer !== undefined;
  return {
    rows,
    terms: results ? answer.terms : null,
    searching: active,
    pending,
    total: results ? Math.max(answer.total, rows?.length ?? 0) : 0,
  };
}
