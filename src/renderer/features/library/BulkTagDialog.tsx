// Adds tags to every selected link at once.
import { useState, type FormEvent } from 'react';
import { useLibrary } from '../../data/hooks';
import { parseTagList } from '../../../shared/model';
import { Dialog, FormActions } from '../shell/Dialog';

export function BulkTagDialog({ ids, onClose }: { ids: string[]; onClose: () => void }) {
  const library = useLibrary();
  const [tags, setTags] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const list = parseTagList(tags);
    if (list.length) library.addTags(ids, list);
    onClose();
  };
  return (
    <Dialog title={`Tag ${ids.length === 1 ? '1 link' : `${ids.length} links`}`} onClose={onClose}>
      <form className="add-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="bulk-tags">Tags</label>
          <input
            id="bulk-tags"
            value={tags}
            autoFocus
            onChange={(event) => setTags(event.target.value)}
          />
          <span className="field__hint">Separate tags with commas. Existing tags are kept.</span>
        </div>
        <FormActions submit="Add tags" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
