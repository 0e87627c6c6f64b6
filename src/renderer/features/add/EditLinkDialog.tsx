// Edit a saved link's title, description and tags (shortcut: e).
import { useState, type FormEvent } from 'react';
import { useLibrary, useRow } from '../../data/hooks';
import { parseTagList } from '../../../shared/model';
import { Dialog, DialogActions } from '../shell/Dialog';
import './add.css';

export function EditLinkDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const library = useLibrary();
  const row = useRow(id);
  // An untitled link's row carries its URL as title; editing starts from an empty field instead.
  const [title, setTitle] = useState(row && row.title !== row.url ? row.title : '');
  const [description, setDescription] = useState(row?.description ?? '');
  const [tags, setTags] = useState(row?.tags.join(', ') ?? '');

  if (!row) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    library.updateItem(id, { title: title.trim(), description: description.trim() });
    library.setTags(id, parseTagList(tags));
    onClose();
  };

  return (
    <Dialog title="Edit link" onClose={onClose} wide>
      <form className="add-form" onSubmit={submit}>
        <p className="dialog__note">{row.url}</p>
        <div className="field">
          <label htmlFor="edit-title">Title</label>
          <input
            id="edit-title"
            value={title}
            autoFocus
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="edit-description">Description</label>
          <textarea
            id="edit-description"
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="edit-tags">Tags</label>
          <input id="edit-tags" value={tags} onChange={(e) => setTags(e.target.value)} />
          <span className="field__hint">Separate tags with commas.</span>
        </div>
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary">
            Save
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
