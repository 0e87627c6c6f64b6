// Which view and search the list shows, the rows in it, and how the open link and the keyboard
// follow a change of view.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useLibrary } from '../../data/hooks';
import type { LibraryView } from '../../data/types';
import type { ItemRow } from '../../../shared/model';
import { useReplySort } from '../conversation/reply-sort';
import { searchAhead } from '../search/useSearch';
import { placeAfter, type RowPlace } from './row-positions';
import { useSelection } from './selection';
import { useVisibleRows } from './useVisibleRows';

export const focusList = () => document.querySelector<HTMLElement>('[role="grid"]')?.focus();

const NO_ROWS: readonly ItemRow[] = [];

/**
 * The ids of `rows` in list order, listed the first time something asks (j/k, stepping past
 * trashed rows): at 100,000 rows, listing them at every change would cost each Save milliseconds.
 */
function lazyOrder(rows: readonly ItemRow[]): () => readonly string[] {
  let ids: string[] | null = null;
  return () => (ids ??= rows.map((row) => row.id));
}

/**
 * Where the current row stood (so j/k continue from there after it leaves the list), and the
 * selection kept to rows still in the list.
 */
function useSelectionFollowsRows(
  rows: readonly ItemRow[] | null | undefined,
  selection: ReturnType<typeof useSelection>,
) {
  const { store } = selection;
  const lastIndex = useRef(-1);
  const seen = useRef<RowPlace<ItemRow> | null>(null);
  useEffect(() => {
    const list = rows ?? NO_ROWS;
    const { current } = selection;
    const at = placeAfter(seen.current, list, current);
    seen.current = { rows: list, current, currentIndex: at };
    if (at >= 0) lastIndex.current = at;
  }, [rows, selection]);

  // Rows that leave the list (trashed, read in Unread, filtered) leave the selection too.
  useEffect(() => {
    if (rows) store.retain(rows);
  }, [rows, store]);

  return lastIndex;
}

export function useLibraryView() {
  const library = useLibrary();
  const selection = useSelection();
  const { store } = selection;
  const [view, setViewState] = useState<LibraryView>('unread');
  const [query, setQuery] = useState('');
  const shown = useVisibleRows(view, query);
  const visible = { ...shown, rows: useReplySort(view, shown.searching, shown.rows) };
  const { rows } = visible;
  const order = useMemo(() => lazyOrder(rows ?? NO_ROWS), [rows]);

  const lastIndex = useSelectionFollowsRows(rows, selection);

  // A new view keeps the open link when it is in that view too, and otherwise opens its first.
  const arriving = useRef(false);
  const focusOnCommit = useRef(false);
  const setView = useCallback(
    (next: LibraryView) => {
      setViewState(next);
      setQuery('');
      store.clearSelected();
      arriving.current = true;
      focusOnCommit.current = true;
      focusList();
    },
    [store],
  );
  // The keyboard follows the eye to the list, so Enter opens the link there (not the view button
  // again) and j/k move through it. It moves at once, and again in the commit that shows the view
  // (the list may have been hidden behind the queue until then), before the next key press.
  useLayoutEffect(() => {
    if (!focusOnCommit.current) return;
    focusOnCommit.current = false;
    focusList();
  });
  useEffect(() => {
    if (!arriving.current || !rows) return;
    arriving.current = false;
    if (!selection.current || !rows.some((row) => row.id === selection.current))
      store.focus(rows[0]?.id ?? null);
  }, [rows, selection, store]);

  const showTag = useCallback((tag: string) => setView(`tag:${tag}`), [setView]);

  const onQuery = useCallback(
    (next: string) => {
      searchAhead(library, next);
      setQuery(next);
    },
    [library],
  );

  /** Opens a link just saved (or found already saved), in a view that shows it. */
  const showSaved = useCallback(
    (id: string, wasSaved: boolean) => {
      if (wasSaved || (view !== 'unread' && view !== 'all')) setViewState('all');
      setQuery('');
      // The new row shows in this frame; opening it (a fresh note editor) waits for the next one.
      requestAnimationFrame(() => store.focus(id));
    },
    [view, store],
  );

  /** After these rows leave (Move to Trash), the cursor steps to the next one that stays. */
  const current = selection.current;
  const stepPast = useCallback(
    (ids: string[]) => {
      const listed = order();
      const at = current ? listed.indexOf(current) : -1;
      if (at < 0 || !ids.includes(current ?? '')) return store.clearSelected();
      const remaining = (id: string) => !ids.includes(id);
      store.focus(
        listed.slice(at + 1).find(remaining) ??
          listed.slice(0, at).reverse().find(remaining) ??
          null,
      );
    },
    [current, order, store],
  );

  return {
    ...visible,
    stepPast,
    view,
    setView,
    query,
    setQuery,
    onQuery,
    showTag,
    showSaved,
    order,
    lastIndex,
  };
}
