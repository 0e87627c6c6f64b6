// The sidebar: the fixed views, the publishing views and every tag with its count. Each entry's accessible name is
// just its label ("Unread"); the count is its description, so names stay stable as counts change.
import { memo, useId } from 'react';
import { useCounts, useReadOnlyReason } from '../../data/hooks';
import type { LibraryView } from '../../data/types';
import { useQueueLength } from '../queue/useQueue';
import './sidebar.css';

const FIXED_VIEWS = [
  { view: 'unread', label: 'Unread' },
  { view: 'all', label: 'All' },
  { view: 'read', label: 'Read' },
  { view: 'trash', label: 'Trash' },
] as const;

const PUBLISHING_VIEWS = [
  { view: 'published', label: 'Published' },
  { view: 'unpublished', label: 'Not yet published' },
] as const;

interface SidebarProps {
  view: LibraryView;
  onChangeView: (view: LibraryView) => void;
  /** The Queue view is on screen instead of the list. */
  queueOpen: boolean;
  onOpenQueue: () => void;
  onEditTag: (tag: string) => void;
}

export const Sidebar = memo(function Sidebar({
  view: shownView,
  onChangeView,
  onEditTag,
  queueOpen,
  onOpenQueue,
}: SidebarProps) {
  const counts = useCounts();
  const queued = useQueueLength();
  const view = queueOpen ? null : shownView;
  // Renaming or deleting a tag changes the collection: not offered where it cannot be changed.
  const editable = useReadOnlyReason() === null;
  return (
    <nav className="sidebar__nav" aria-label="Library">
      <ul className="sidebar__list">
        {FIXED_VIEWS.map((entry) => (
          <SidebarEntry
            key={entry.view}
            label={entry.label}
            count={counts[entry.view]}
            active={view === entry.view}
            onSelect={() => onChangeView(entry.view)}
          />
        ))}
      </ul>
      <h2 className="sidebar__heading">Publishing</h2>
      <ul className="sidebar__list">
        {PUBLISHING_VIEWS.map((entry) => (
          <SidebarEntry
            key={entry.view}
            label={entry.label}
            count={counts.partial ? null : counts[entry.view]}
            active={view === entry.view}
            onSelect={() => onChangeView(entry.view)}
          />
        ))}
        <SidebarEntry label="Queue" count={queued} active={queueOpen} onSelect={onOpenQueue} />
      </ul>
      <h2 className="sidebar__heading">Tags</h2>
      {counts.partial ? null : counts.tags.length === 0 ? (
        <p className="sidebar__empty">Tags you add to links appear here.</p>
      ) : (
        <ul className="sidebar__list">
          {counts.tags.map(({ tag, count }) => (
            <SidebarEntry
              key={tag}
              label={tag}
              prefix="#"
              count={count}
              active={view === `tag:${tag}`}
              onSelect={() => onChangeView(`tag:${tag}`)}
              onEdit={editable ? () => onEditTag(tag) : undefined}
            />
          ))}
        </ul>
      )}
    </nav>
  );
});

interface EntryProps {
  label: string;
  /** null while it is still being counted. */
  count: number | null;
  active: boolean;
  onSelect: () => void;
  prefix?: string;
  onEdit?: () => void;
}

function SidebarEntry({ label, count, active, onSelect, prefix, onEdit }: EntryProps) {
  const countId = useId();
  return (
    <li
      className={active ? 'sidebar__entry sidebar__entry--active' : 'sidebar__entry'}
      onContextMenu={
        onEdit
          ? (event) => {
              event.preventDefault();
              onEdit();
            }
          : undefined
      }
    >
      <button
        type="button"
        className="sidebar__link"
        aria-label={label}
        aria-describedby={countId}
        aria-current={active ? 'page' : undefined}
        onClick={onSelect}
      >
        <span className="sidebar__label">
          {prefix && <span className="sidebar__prefix">{prefix}</span>}
          {label}
        </span>
        <span className="sidebar__count" id={countId}>
          {count}
        </span>
      </button>
      {onEdit && (
        <button
          type="button"
          className="sidebar__edit"
          aria-label={`Edit tag ${label}`}
          title="Rename or delete tag"
          onClick={onEdit}
        >
          <span aria-hidden="true">⋯</span>
        </button>
      )}
    </li>
  );
}
