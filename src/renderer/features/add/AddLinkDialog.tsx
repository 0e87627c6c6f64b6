// Add link: one or more URLs (one per line), optional title, description and tags. Saving never
// waits for the network; the page's title is fetched alongside and only fills empty fields.
import { useMemo, useState, type FormEvent } from 'react';
import { useLibrary } from '../../data/hooks';
import type { ItemRow } from '../../data/types';
import { parseTagList, type ItemDraft } from '../../../shared/model';
import { Dialog, FormActions, DialogError } from '../shell/Dialog';
import { displayTitle } from '../library/format';
import { parseLinkLines } from './linkLines';
import { saveLinks, type AddOutcome } from './saveLinks';
import { useUnfurl } from './unfurl';
import './add.css';

export type { AddOutcome } from './saveLinks';

/** What the window says after a save, beyond showing the link; null when the list says enough. */
export function addedMessage({ saved, existing }: AddOutcome): string | null {
  const n = saved.length;
  const known = existing.length;
  if (known && !n)
    return known === 1
      ? 'Already in your library — showing it'
      : `All ${known} links were already in your library`;
  if (known) return `Saved ${n} ${n === 1 ? 'link' : 'links'}; ${known} already in your library`;
  return n > 1 ? `Saved ${n} links` : null;
}

/** A pasted list may repeat many saved links; naming a few says enough. */
const SHOWN_DUPLICATES = 5;

interface AddLinkDialogProps {
  initialUrls?: string;
  /** Filled in by quick capture: the page's title, and the words selected on it. */
  initialTitle?: string;
  initialNote?: string;
  onClose: () => void;
  onDone: (outcome: AddOutcome) => void;
}

export function AddLinkDialog({
  initialUrls = '',
  initialTitle = '',
  initialNote = '',
  onClose,
  onDone,
}: AddLinkDialogProps) {
  const form = useAddLinkForm({ initialUrls, initialTitle, initialNote, onDone });
  const { parsed, errors, submit } = form;
  const several = parsed.links.length > 1;

  return (
    <Dialog title="Add link" onClose={onClose} wide>
      <form className="add-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="add-url">URL</label>
          <textarea
            id="add-url"
            rows={Math.min(6, Math.max(2, form.urls.split('\n').length))}
            value={form.urls}
            autoFocus
            placeholder="https://…  (one link per line)"
            aria-invalid={errors.length > 0}
            aria-describedby="add-url-hint"
            onChange={(event) => form.changeUrls(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
            }}
          />
          <span id="add-url-hint" className="field__hint">
            {several
              ? `${parsed.links.length} links. Title and description apply to single links.`
              : 'Paste several links, one per line, to save them all.'}
          </span>
        </div>

        {form.existing.length > 0 && (
          <AlreadySaved
            rows={form.existing}
            onShow={(id) => onDone({ saved: [], existing: [id] })}
          />
        )}

        <LinkFields form={form} several={several} withNote={initialNote !== ''} />

        <UnfurlNote status={form.unfurl.status} />
        <DialogError>{errors.join('\n')}</DialogError>

        <FormActions submit="Save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

type AddLinkForm = ReturnType<typeof useAddLinkForm>;

/** The form's fields, the links they parse to, the saved ones among them, and saving. */
function useAddLinkForm({
  initialUrls,
  initialTitle,
  initialNote,
  onDone,
}: Required<Omit<AddLinkDialogProps, 'onClose'>>) {
  const library = useLibrary();
  const [urls, setUrls] = useState(initialUrls);
  // null until the curator types: until then the fields show what the page says about itself.
  const [typedTitle, setTitle] = useState<string | null>(initialTitle || null);
  const [note, setNote] = useState(initialNote);
  const [typedDescription, setDescription] = useState<string | null>(null);
  const [tags, setTags] = useState('');
  const [errors, setErrors] = useState<string[]>([]);

  const parsed = useMemo(() => parseLinkLines(urls), [urls]);
  const single =
    parsed.links.length === 1 && parsed.errors.length === 0 ? parsed.links[0]!.url : null;
  // Recomputed when the field changes, not on every keystroke in the other fields.
  const existing = useMemo(
    () => parsed.links.map((link) => library.findByUrl(link.url)).filter((row) => row !== null),
    [library, parsed],
  );
  const unfurl = useUnfurl(single && existing.length === 0 ? single : null);
  const fetched = unfurl.status === 'done' ? unfurl.result : null;
  const title = typedTitle ?? fetched?.title ?? '';
  const description = typedDescription ?? fetched?.description ?? '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (parsed.errors.length) return setErrors(parsed.errors);
    if (parsed.links.length === 0) return setErrors(['Enter a link to save, one per line.']);
    const tagList = parseTagList(tags);
    const oneLink = parsed.links.length === 1;
    const drafts: ItemDraft[] = parsed.links.map(({ url }) => ({
      url,
      title: oneLink ? title.trim() : '',
      description: oneLink ? description.trim() : '',
      // The page's preview image becomes the link card's thumbnail when the link is published.
      image: oneLink ? (fetched?.image ?? null) : null,
      tags: tagList,
      ...(oneLink && note.trim() ? { note: note.trim() } : {}),
    }));
    const outcome = saveLinks(library, drafts);
    onDone(outcome);
  };

  const changeUrls = (next: string) => {
    setUrls(next);
    setErrors([]);
  };
  const fields = { urls, changeUrls, title, setTitle, description, setDescription };
  return { ...fields, tags, setTags, note, setNote, errors, parsed, existing, unfurl, submit };
}

/** The links typed that are saved already, each a button that shows it instead. */
function AlreadySaved({ rows, onShow }: { rows: ItemRow[]; onShow: (id: string) => void }) {
  return (
    <div className="add-form__existing" role="status">
      {rows.slice(0, SHOWN_DUPLICATES).map((row) => (
        <p key={row.id}>
          Already in your library
          {row.status === 'trash' ? ' (in Trash — saving restores it)' : ''}:{' '}
          <button type="button" className="add-form__show" onClick={() => onShow(row.id)}>
            {displayTitle(row)}
          </button>
        </p>
      ))}
      {rows.length > SHOWN_DUPLICATES && (
        <p>…and {rows.length - SHOWN_DUPLICATES} more links already saved.</p>
      )}
    </div>
  );
}

/** Title, description, tags and (from quick capture) the note; only tags apply to several links. */
function LinkFields({
  form,
  several,
  withNote,
}: {
  form: AddLinkForm;
  several: boolean;
  withNote: boolean;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor="add-title">Title</label>
        <input
          id="add-title"
          value={form.title}
          placeholder={several ? 'Fetched from each page' : 'Fetched from the page when online'}
          disabled={several}
          onChange={(event) => form.setTitle(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="add-description">Description</label>
        <textarea
          id="add-description"
          rows={2}
          value={form.description}
          disabled={several}
          onChange={(event) => form.setDescription(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="add-tags">Tags</label>
        <input
          id="add-tags"
          value={form.tags}
          placeholder="distributed-systems, consensus"
          onChange={(event) => form.setTags(event.target.value)}
        />
      </div>

      {withNote && (
        <div className="field">
          <label htmlFor="add-note">Note</label>
          <textarea
            id="add-note"
            rows={3}
            value={form.note}
            disabled={several}
            onChange={(event) => form.setNote(event.target.value)}
          />
        </div>
      )}
    </>
  );
}

function UnfurlNote({ status }: { status: ReturnType<typeof useUnfurl>['status'] }) {
  if (status === 'loading') return <p className="dialog__note">Fetching the page’s title…</p>;
  if (status === 'failed')
    return (
      <p className="dialog__note">Couldn’t fetch the page (offline?). You can still save it now.</p>
    );
  return null;
}
