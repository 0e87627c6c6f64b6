// "Highlight with note": the selected words, and a note to keep with them.
import { useId, useState, type FormEvent } from 'react';
import { MAX_HIGHLIGHT_NOTE } from '../../../shared/collection';
import { Dialog, FormActions } from '../shell/Dialog';
import './highlights.css';

export function HighlightNoteDialog({
  quote,
  onSave,
  onClose,
}: {
  quote: string;
  onSave: (note: string) => void;
  onClose: () => void;
}) {
  const [note, setNote] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(note);
  };
  return (
    <Dialog title="Highlight with note" onClose={onClose}>
      <form onSubmit={submit}>
        <blockquote className="highlight-quote">{quote}</blockquote>
        <div className="field">
          <label htmlFor={id}>Note</label>
          <textarea
            id={id}
            rows={3}
            autoFocus
            value={note}
            maxLength={MAX_HIGHLIGHT_NOTE}
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
            }}
          />
        </div>
        <FormActions submit="Save highlight" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
