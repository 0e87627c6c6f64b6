// Edit a saved link's URL, title, description and tags (shortcut: e). A new URL moves the link,
// with everything on it, unless another saved link already has that URL.
import { useState, type FormEvent } from 'react';
import { useLibrary, useRow } from '../../data/hooks';
import { cleanUrl, parseTagList } from '../../../shared/model';
import { useSelection } from '../library/selection';
import { Dialog, FormActions, DialogError } from '../shell/Dialog';
import './add.css';

export function EditLinkDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const library = useLibrary();
  const { store: selection } = useSelection();
  const row = useRow(id);
  const [url, setUrl] = useState(row?.url ?? '');
  const [title, setTitle] = useState(row?.title ?? '');
  const [description, setDescription] = useState(row?.description ?? '');
  const [tags, setTags] = useState(row?.tags.join(', ') ?? '');
  const [error, setError] = useState<string | null>(null);

  if (!row) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    let target = id;
    try {
      if (cleanUrl(url) !== row.url) target = library.changeUrl(id, url);
    } catch (problem) {
      // “Already saved as …”, not a link, or the collection is read-only: all say what to do.
      if (problem instanceof Error) return setError(problem.message);
      throw problem;
    }
    library.updateItem(target, { title: title.trim(), description: description.trim() });
    library.setTags(target, parseTagList(tags));
    // The link has a new id when its URL changed: keep it the one on screen.
    if (target !== id) selection.focus(target);
    onClose();
  };

  return (
    <Dialog title="Edit link" onClose={onClose} wide>
      <form className="add-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="edit-url">URL</label>
          <input
            id="edit-url"
            value={url}
            aria-invalid={error !== null}
            onChange={(e) => {
              setUrl(e.target.value);
              setError(null);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="edit-title">Title</label>
          <input
            id="edit-title"
            value={title}
            autoFocus
            placeholder={row.url}
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
        <DialogError>{error}</DialogError>
        <FormActions submit="Save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
