// The right pane: everything about the current link, its tags and its note.
import { memo, useEffect } from 'react';
import { useLibrary, useMembers, useReadOnlyReason, useRow } from '../../data/hooks';
import type { ItemRow } from '../../data/types';
import { isHttpUrl } from '../../../shared/model';
import { displayTitle, formatAdded } from '../library/format';
import { unreadableSummary } from '../library/UnreadableMark';
import { NoteEditor } from '../notes/NoteEditor';
import { DetailPublications } from '../publish/DetailPublications';
import { HighlightsSection } from '../highlights/HighlightsSection';
import { ReadArticle } from '../reader/ReadArticle';
import { ItemPresence } from '../sync/PresenceAvatars';
import { FetchDetails } from './FetchDetails';
import { ReadBy } from './ReadBy';
import { TagInput } from './TagInput';
import './detail.css';

interface DetailPaneProps {
  id: string | null;
  onEdit: (id: string) => void;
  onTrash: (ids: string[]) => void;
  onPublish: (ids: string[]) => void;
}

export const DETAIL_TITLE_ID = 'detail-title';

// Memoised: typing a search or saving a link elsewhere does not render the open item again.
export const DetailPane = memo(function DetailPane({
  id,
  onEdit,
  onTrash,
  onPublish,
}: DetailPaneProps) {
  const row = useRow(id);
  if (!row) {
    return (
      <section className="detail detail--empty" aria-label="Details">
        <p>Select a link to see its details and write a note.</p>
        <p className="detail__hint">
          <kbd>j</kbd> <kbd>k</kbd> move through the list · <kbd>?</kbd> shows every shortcut
        </p>
      </section>
    );
  }
  return (
    <ItemDetail key={row.id} row={row} onEdit={onEdit} onTrash={onTrash} onPublish={onPublish} />
  );
});

type ItemActions = Pick<DetailPaneProps, 'onEdit' | 'onTrash' | 'onPublish'>;

function ItemDetail({ row, onEdit, onTrash, onPublish }: ItemActions & { row: ItemRow }) {
  const library = useLibrary();
  const inTrash = row.status === 'trash';
  const readOnly = useReadOnlyReason();

  // Presence: collaborators see which link each member has open.
  useEffect(() => {
    library.setOpenItem(row.id);
    return () => library.setOpenItem(null);
  }, [library, row.id]);

  return (
    <section className="detail" aria-label="Details">
      <DetailHeader row={row} />

      {/* Disabled as a group where the collection cannot be changed; the list pane says why. */}
      <fieldset className="detail__actions" disabled={readOnly !== null}>
        <DetailActions row={row} onEdit={onEdit} onTrash={onTrash} onPublish={onPublish} />
      </fieldset>

      <ReadArticle id={row.id} />

      {!inTrash && !readOnly && <FetchDetails row={row} />}

      <DetailPublications row={row} onPublish={onPublish} />

      <ReadBy readBy={row.readBy} />

      {row.description && <p className="detail__description">{row.description}</p>}

      <TagInput
        tags={row.tags}
        readOnly={readOnly !== null}
        onChange={(tags) => library.setTags(row.id, tags)}
      />

      <HighlightsSection itemId={row.id} />

      <NoteEditor itemId={row.id} readOnly={readOnly !== null} />
    </section>
  );
}

/** Where the link points, its title, who added it when, and what kept it from being read. */
function DetailHeader({ row }: { row: ItemRow }) {
  const library = useLibrary();
  const members = useMembers();
  const addedBy = members.find((m) => m.id === row.addedBy);
  return (
    <header className="detail__header">
      {isHttpUrl(row.url) ? (
        <a
          className="detail__host"
          href={row.url}
          target="_blank"
          rel="noreferrer noopener"
          title={row.url}
        >
          {row.host} <span aria-hidden="true">↗</span>
        </a>
      ) : (
        <span className="detail__host">{row.host}</span>
      )}
      <h2 id={DETAIL_TITLE_ID} className="detail__title" tabIndex={-1}>
        {displayTitle(row)}
      </h2>
      <p className="detail__meta">
        Added {formatAdded(row.addedAt)}
        {addedBy && addedBy.id !== library.me.id ? ` by ${addedBy.name}` : ''}
        {row.status === 'trash' ? ' · in Trash' : ''}
        <ItemPresence itemId={row.id} />
      </p>
      {row.unreadable?.length ? (
        <p className="detail__unreadable">{unreadableSummary(row.unreadable)}</p>
      ) : null}
    </header>
  );
}

/** Restore for a link in Trash; otherwise read state, Edit, Publish and Move to Trash. */
function DetailActions({ row, onEdit, onTrash, onPublish }: ItemActions & { row: ItemRow }) {
  const library = useLibrary();
  if (row.status === 'trash') {
    return (
      <button type="button" className="button" onClick={() => library.restore([row.id])}>
        Restore
      </button>
    );
  }
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => (row.readAt ? library.markUnread([row.id]) : library.markRead([row.id]))}
      >
        {row.readAt ? 'Mark as unread' : 'Mark as read'}
      </button>
      <button type="button" className="button" onClick={() => onEdit(row.id)}>
        Edit
      </button>
      <button
        type="button"
        className="button"
        title="Publish to Bluesky and the site (p)"
        onClick={() => onPublish([row.id])}
      >
        Publish
      </button>
      <button type="button" className="button button--danger" onClick={() => onTrash([row.id])}>
        Move to Trash
      </button>
    </>
  );
}
