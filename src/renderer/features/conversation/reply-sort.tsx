// "Most replies first": the Published view can list picks by how many replies their Bluesky posts
// have, as last read on this device; ties (and picks never read) keep newest first. A choice of
// this window, like the view itself.
import { useMemo, useSyncExternalStore } from 'react';
import { ObservableV2 } from 'lib0/observable';
import type { ItemRow, LibraryView } from '../../data/types';
import { useConversationStore } from './useConversation';
import './conversation.css';

const choice = new (class extends ObservableV2<{ change: () => void }> {
  private chosen = false;
  set(chosen: boolean) {
    this.chosen = chosen;
    this.emit('change', []);
  }
  subscribe = (listener: () => void) => {
    this.on('change', listener);
    return () => this.off('change', listener);
  };
  get = () => this.chosen;
})();

const applies = (view: LibraryView, searching: boolean) => view === 'published' && !searching;

/** The rows as the list shows them: by replies when that is chosen for the Published view. */
export function useReplySort(
  view: LibraryView,
  searching: boolean,
  rows: ItemRow[] | undefined,
): ItemRow[] | undefined {
  const store = useConversationStore();
  const on = useSyncExternalStore(choice.subscribe, choice.get);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  return useMemo(() => {
    if (!rows || !on || !applies(view, searching)) return rows;
    return [...rows].sort(
      (a, b) =>
        store.replies(b.id) - store.replies(a.id) ||
        b.addedAt - a.addedAt ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version stands for the stored counts.
  }, [rows, on, view, searching, store, version]);
}

export function ReplySortToggle({ view, searching }: { view: LibraryView; searching: boolean }) {
  const on = useSyncExternalStore(choice.subscribe, choice.get);
  if (!applies(view, searching)) return null;
  return (
    <button
      type="button"
      className="button button--quiet reply-sort"
      aria-pressed={on}
      title="List the picks whose Bluesky posts have the most replies first"
      onClick={() => choice.set(!on)}
    >
      Most replies first
    </button>
  );
}
