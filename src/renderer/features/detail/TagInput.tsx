// Tags as chips: type and press Enter or comma to add, Backspace on an empty field or × to remove.
// Suggestions come from the tags already in the collection.
import { useId, useState, type KeyboardEvent } from 'react';
import { useCounts } from '../../data/hooks';
import { parseTagList } from '../../../shared/model';

export const TAG_INPUT_ID = 'detail-tag-input';

interface TagInputProps {
  tags: string[];
  /** Shows the tags without a way to change them. */
  readOnly?: boolean;
  onChange: (tags: string[]) => void;
}

export function TagInput({ tags, readOnly = false, onChange }: TagInputProps) {
  const [draft, setDraft] = useState('');
  const listId = useId();
  const { tags: known } = useCounts();

  const commit = () => {
    const added = parseTagList(draft).filter((tag) => !tags.includes(tag));
    if (added.length) onChange([...tags, ...added]);
    setDraft('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Backspace' && draft === '' && tags.length > 0) {
      onChange(tags.slice(0, -1));
    } else if (event.key === 'Escape') {
      setDraft('');
      event.currentTarget.blur();
    }
  };

  return (
    <div className="tag-input">
      {tags.map((tag) => (
        <span key={tag} className="chip tag-input__chip">
          {tag}
          {!readOnly && (
            <button
              type="button"
              className="tag-input__remove"
              aria-label={`Remove tag ${tag}`}
              onClick={() => onChange(tags.filter((t) => t !== tag))}
            >
              ×
            </button>
          )}
        </span>
      ))}
      {readOnly && tags.length === 0 && <span className="tag-input__none">No tags</span>}
      <input
        hidden={readOnly}
        disabled={readOnly}
        id={TAG_INPUT_ID}
        className="tag-input__field"
        aria-label="Add tag"
        placeholder={tags.length ? 'Add tag' : 'Add tags (press t)'}
        list={listId}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={commit}
      />
      <datalist id={listId}>
        {known
          .filter(({ tag }) => !tags.includes(tag))
          .map(({ tag }) => (
            <option key={tag} value={tag} />
          ))}
      </datalist>
    </div>
  );
}
