// Shown while several links are selected: what bulk actions apply to them.
import { useLibrary, useReadOnlyReason } from '../../data/hooks';
import type { LibraryView } from '../../data/types';
import { useSelection } from './selection';

interface SelectionBarProps {
  view: LibraryView;
  onTag: (ids: string[]) => void;
  onTrash: (ids: string[]) => void;
  onPublish: (ids: string[]) => void;
}

export function SelectionBar({ view, onTag, onTrash, onPublish }: SelectionBarProps) {
  const library = useLibrary();
  const { selected, store } = useSelection();
  const readOnly = useReadOnlyReason();
  if (selected.size === 0) return null;
  const ids = [...selected];
  return (
    <div className="selection-bar" role="toolbar" aria-label="Selected links">
      <span className="selection-bar__count">{selected.size} selected</span>
      {/* A read-only collection keeps the selection (to read, to open) but none of the edits. */}
      <fieldset className="selection-bar__actions" disabled={readOnly !== null}>
        {view === 'trash' ? (
          <button type="button" className="button" onClick={() => library.restore(ids)}>
            Restore
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={() => library.markRead(ids)}>
              Mark read
            </button>
            <button type="button" className="button" onClick={() => library.markUnread(ids)}>
              Mark unread
            </button>
            <button type="button" className="button" onClick={() => onTag(ids)}>
              Tag
            </button>
            <button
              type="button"
              className="button"
              title="Publish to Bluesky and the site (p)"
              onClick={() => onPublish(ids)}
            >
              Publish
            </button>
            <button type="button" className="button button--danger" onClick={() => onTrash(ids)}>
              Move to Trash
            </button>
          </>
        )}
      </fieldset>
      <button
        type="button"
        className="button button--quiet icon-button"
        aria-label="Clear selection"
        title="Clear selection (Esc)"
        onClick={() => store.clearSelected()}
      >
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
