// Rename or delete a tag across the whole collection (from the sidebar's ⋯ or right-click).
import { useState, type FormEvent } from 'react';
import { useLibrary } from '../../data/hooks';
import { normalizeTag } from '../../../shared/model';
import { Dialog, DialogActions } from '../shell/Dialog';

interface TagDialogProps {
  tag: string;
  count: number;
  onClose: () => void;
  /** Called with the new name after a rename, or null after a delete. */
  onChanged: (renamedTo: string | null) => void;
}

export function TagDialog({ tag, count, onClose, onChanged }: TagDialogProps) {
  const library = useLibrary();
  const [name, setName] = useState(tag);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const normalized = normalizeTag(name);
  const links = count === 1 ? '1 link' : `${count} links`;

  const rename = (event: FormEvent) => {
    event.preventDefault();
    if (!normalized || normalized === tag) return onClose();
    library.renameTag(tag, normalized);
    onChanged(normalized);
    onClose();
  };

  return (
    <Dialog title={`Edit tag #${tag}`} onClose={onClose}>
      <form className="add-form" onSubmit={rename}>
        <div className="field">
          <label htmlFor="tag-name">Name</label>
          <input
            id="tag-name"
            value={name}
            autoFocus
            onChange={(event) => setName(event.target.value)}
          />
          <span className="field__hint">
            {normalized && normalized !== name.trim() ? `Will be saved as “${normalized}”. ` : ''}
            Renaming changes it on {links}; if the name exists, the tags merge.
          </span>
        </div>
        {confirmingDelete ? (
          <p className="dialog__error" role="alert">
            Remove #{tag} from {links}? The links stay in your library.
          </p>
        ) : null}
        <DialogActions>
          {confirmingDelete ? (
            <button
              type="button"
              className="button button--danger"
              onClick={() => {
                library.deleteTag(tag);
                onChanged(null);
                onClose();
              }}
            >
              Delete tag
            </button>
          ) : (
            <button
              type="button"
              className="button button--danger"
              onClick={() => setConfirmingDelete(true)}
            >
              Delete tag…
            </button>
          )}
          <span className="dialog__spacer" />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={!normalized}>
            Rename
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
