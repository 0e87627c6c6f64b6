// The middle pane: search and Add link on top, the view's title, bulk actions, then the list or
// an empty state that says what to do next.
import type { Ref } from 'react';
import { useReadOnlyReason } from '../../data/hooks';
import type { ItemRow, LibraryView } from '../../data/types';
import { RestoreOffer } from '../import-export/RestoreOffer';
import { ReplySortToggle } from '../conversation/reply-sort';
import { SearchBox } from '../search/SearchBox';
import { PresenceAvatars } from '../sync/PresenceAvatars';
import { ItemList } from './ItemList';
import { SelectionBar } from './SelectionBar';
import { emptyMessage, viewTitle } from './views';
import './library.css';

interface LibraryPaneProps {
  view: LibraryView;
  rows: ItemRow[] | undefined;
  /** While searching, the words to highlight (null before the first answer). */
  terms: readonly string[] | null;
  query: string;
  /** The list shows search results for `query`. */
  searching: boolean;
  /** The results are for an earlier keystroke; the latest one's are on their way. */
  pending: boolean;
  /** While searching, how many links match in all. */
  total: number;
  searchRef: Ref<HTMLInputElement>;
  onQuery: (query: string) => void;
  onLeaveSearch: () => void;
  onAdd: () => void;
  onOpen: (id: string) => void;
  /** A tag chip on a row was clicked: show that tag's links. */
  onShowTag: (tag: string) => void;
  onTag: (ids: string[]) => void;
  onTrash: (ids: string[]) => void;
  onPublish: (ids: string[]) => void;
  onEmptyTrash: () => void;
}

// The list is named by the pane's title, so a new title (starting a search) does not render it.
const TITLE_ID = 'library-pane-title';

export function LibraryPane({
  view,
  rows,
  terms,
  query,
  searching,
  pending,
  total,
  searchRef,
  onQuery,
  onLeaveSearch,
  onAdd,
  onOpen,
  onShowTag,
  onTag,
  onTrash,
  onPublish,
  onEmptyTrash,
}: LibraryPaneProps) {
  const readOnly = useReadOnlyReason();

  return (
    <main className="library-pane">
      <div className="library-pane__toolbar">
        <SearchBox ref={searchRef} value={query} onChange={onQuery} onExit={onLeaveSearch} />
        <PresenceAvatars />
        <button
          type="button"
          className="button button--primary"
          onClick={onAdd}
          disabled={readOnly !== null}
          title={readOnly ?? 'Add link (a)'}
        >
          <span aria-hidden="true">+</span> Add link
        </button>
      </div>

      {readOnly && (
        <p className="library-pane__read-only" role="note">
          {readOnly}
        </p>
      )}

      <PaneHeader
        view={view}
        rows={rows}
        terms={terms}
        searching={searching}
        total={total}
        onEmptyTrash={onEmptyTrash}
      />

      <SelectionBar view={view} onTag={onTag} onTrash={onTrash} onPublish={onPublish} />

      {rows === undefined ? (
        <p className="library-pane__empty" role="status">
          Opening your library…
        </p>
      ) : rows.length === 0 ? (
        <EmptyList view={view} query={query} searching={searching} pending={pending} />
      ) : (
        <ItemList
          labelledBy={TITLE_ID}
          rows={rows}
          terms={terms}
          onOpen={onOpen}
          onShowTag={onShowTag}
        />
      )}
    </main>
  );
}

/** The view's title and count, the order of replies, and Empty Trash in Trash. */
function PaneHeader({
  view,
  rows,
  terms,
  searching,
  total,
  onEmptyTrash,
}: Pick<LibraryPaneProps, 'view' | 'rows' | 'terms' | 'searching' | 'total' | 'onEmptyTrash'>) {
  const readOnly = useReadOnlyReason();
  const title = searching ? 'Search results' : viewTitle(view);
  const count = rows?.length ?? 0;
  return (
    <div className="library-pane__header">
      <h1 id={TITLE_ID} className="library-pane__title">
        {title}
      </h1>
      <span className="library-pane__count">
        {countLabel(rows, searching && terms === null, searching, total)}
      </span>
      <ReplySortToggle view={view} searching={searching} />
      {view === 'trash' && !searching && count > 0 && (
        <button
          type="button"
          className="button button--danger library-pane__empty-trash"
          onClick={onEmptyTrash}
          disabled={readOnly !== null}
        >
          Empty Trash
        </button>
      )}
    </div>
  );
}

/** What an empty list says: still searching, nothing matches, or what to do in this view. */
function EmptyList({
  view,
  query,
  searching,
  pending,
}: Pick<LibraryPaneProps, 'view' | 'query' | 'searching' | 'pending'>) {
  return (
    <div className="library-pane__empty" role="status">
      {searching && pending ? (
        <p>Searching…</p>
      ) : searching ? (
        <p>
          No links match “{query.trim()}”. Search looks in titles, links, descriptions, tags and
          notes.
        </p>
      ) : (
        <>
          <p>{emptyMessage(view)}</p>
          <RestoreOffer />
        </>
      )}
    </div>
  );
}

/** One formatter for every count: `toLocaleString` builds a new one on each call. */
const number = new Intl.NumberFormat();

function links(n: number): string {
  return n === 1 ? '1 link' : `${number.format(n)} links`;
}

/** The count beside the title; before the first answer to a search the rows are not results. */
function countLabel(
  rows: ItemRow[] | undefined,
  awaitingFirstAnswer: boolean,
  searching: boolean,
  total: number,
): string {
  if (!rows) return '';
  if (awaitingFirstAnswer) return 'Searching…';
  if (searching && total > rows.length) return `best ${rows.length} of ${links(total)}`;
  return links(rows.length);
}
