// Corrections to a published pick, from its details: "Update site" (rebuild with the words and
// tags it has now), "Remove from site", "Remove from Bluesky" (after a confirmation that names the
// post) and "Delete and post again" (Bluesky posts cannot be edited). Each acts through the
// outbox, which writes the removal into the shared document before anything is sent.
import { useId, useState } from 'react';
import { getPublicationBlurb } from '../../../shared/collection';
import { isHttpUrl } from '../../../shared/model';
import {
  buildBlueskyPost,
  defaultPostText,
  hasBlueskyPost,
  onSite,
  pickOf,
} from '../../../shared/publish';
import { useLocalLibraryHandle, useReadOnlyReason } from '../../data/hooks';
import type { Outbox } from '../../data/outbox';
import type { ItemRow } from '../../data/types';
import { ConfirmDialog } from '../shell/ConfirmDialog';
import { Dialog, DialogActions } from '../shell/Dialog';
import { useToast } from '../shell/Toast';
import { problemLines } from './labels';
import { GraphemeCount } from './PublishItem';
import { useOutbox } from './PublishProvider';

type Asking = 'remove-site' | 'remove-bluesky' | 'post-again' | null;

/** The words of the pick's post as it went out: what the confirmations quote. */
function postText(row: ItemRow, kept: string | null): string {
  return defaultPostText(pickOf(row, kept ?? undefined));
}

export function CorrectionActions({ row }: { row: ItemRow }) {
  const outbox = useOutbox();
  const readOnly = useReadOnlyReason() !== null;
  const toast = useToast();
  const [asking, setAsking] = useState<Asking>(null);
  if (!outbox || readOnly || row.status === 'trash') return null;
  if (!onSite(row) && !row.publications.bluesky) return null;
  const done = (what: string) => toast({ text: what });
  return (
    <div className="corrections" role="group" aria-label="Corrections">
      <CorrectionButtons
        row={row}
        onUpdateSite={() =>
          void outbox.updateSite([row], {}).then(() => done('Updating the site…'))
        }
        onAsk={setAsking}
      />
      {asking !== null && (
        <CorrectionConfirm
          key={asking}
          asking={asking}
          row={row}
          outbox={outbox}
          done={done}
          onClose={() => setAsking(null)}
        />
      )}
    </div>
  );
}

/** One button per correction the pick's publications allow. */
function CorrectionButtons({
  row,
  onUpdateSite,
  onAsk,
}: {
  row: ItemRow;
  onUpdateSite: () => void;
  onAsk: (asking: Asking) => void;
}) {
  const post = row.publications.bluesky;
  return (
    <>
      {onSite(row) && (
        <>
          <button
            type="button"
            className="button button--quiet"
            title="Rebuild the site with this link's words and tags as they are now; nothing is posted to Bluesky"
            onClick={onUpdateSite}
          >
            Update site
          </button>
          <button
            type="button"
            className="button button--quiet"
            onClick={() => onAsk('remove-site')}
          >
            Remove from site
          </button>
        </>
      )}
      {hasBlueskyPost(post) && (
        <>
          <button
            type="button"
            className="button button--quiet"
            onClick={() => onAsk('remove-bluesky')}
          >
            Remove from Bluesky
          </button>
          <button
            type="button"
            className="button button--quiet"
            onClick={() => onAsk('post-again')}
          >
            Delete and post again
          </button>
        </>
      )}
      {post?.state === 'removed' && (
        <button type="button" className="button button--quiet" onClick={() => onAsk('post-again')}>
          Post to Bluesky again
        </button>
      )}
    </>
  );
}

/** The confirmation for the correction asked for, naming what will be taken away. */
function CorrectionConfirm({
  asking,
  row,
  outbox,
  done,
  onClose,
}: {
  asking: NonNullable<Asking>;
  row: ItemRow;
  outbox: Outbox;
  done: (what: string) => void;
  onClose: () => void;
}) {
  const library = useLocalLibraryHandle();
  const post = row.publications.bluesky;
  const onBluesky = hasBlueskyPost(post);
  const text = postText(row, getPublicationBlurb(library.doc, row.id, 'bluesky'));
  const where = post?.url && isHttpUrl(post.url) ? ` (${post.url})` : '';
  if (asking === 'remove-site')
    return (
      <ConfirmDialog
        title="Remove from site?"
        message={`“${row.title}” will be taken off the site: its entry, its page and its place in the feeds. No device publishes it there again by itself.`}
        confirmLabel="Remove from site"
        onConfirm={() =>
          void outbox.removeFromSite([row]).then(() => done('Removing from the site…'))
        }
        onClose={onClose}
      />
    );
  if (asking === 'remove-bluesky')
    return (
      <ConfirmDialog
        title="Remove from Bluesky?"
        message={`The post “${text}”${where} will be deleted from Bluesky, with its likes, reposts and replies. No device posts this link again unless you choose Delete and post again.`}
        confirmLabel="Remove from Bluesky"
        onConfirm={() =>
          void outbox.removeFromBluesky([row]).then(() => done('Removing the post from Bluesky…'))
        }
        onClose={onClose}
      />
    );
  return (
    <PostAgainDialog
      row={row}
      text={text}
      where={onBluesky ? where : null}
      onClose={onClose}
      onPost={async (words) => {
        const plan = await outbox.postAgain([row], { [row.id]: words });
        if (plan.problems.length) return problemLines(plan.problems);
        done(onBluesky ? 'Deleting the post and posting again…' : 'Posting again…');
        return [];
      }}
    />
  );
}

/** The new post's words, and what happens to the old one, before anything is sent. */
function PostAgainDialog(props: {
  row: ItemRow;
  text: string;
  /** Where the post to delete is; null when there is none left. */
  where: string | null;
  onClose: () => void;
  onPost: (words: string) => Promise<string[]>;
}) {
  const id = useId();
  const [words, setWords] = useState(props.text);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const draft = buildBlueskyPost({ text: words, card: null, langs: [] });
  const label = props.where === null ? 'Post to Bluesky again' : 'Delete and post again';
  return (
    <Dialog title={`${label}?`} onClose={props.onClose}>
      {props.where !== null && (
        <p>
          Bluesky posts cannot be edited. The post “{props.text}”{props.where} will be deleted, with
          its likes, reposts and replies, and a new post made with these words.
        </p>
      )}
      <div className="publish__field">
        <label htmlFor={id}>New post</label>
        <textarea id={id} rows={3} value={words} onChange={(e) => setWords(e.target.value)} />
        <GraphemeCount count={draft.graphemes} />
      </div>
      {problems.length > 0 && (
        <ul className="dialog__error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <DialogActions>
        <button type="button" className="button" onClick={props.onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--primary button--destructive"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void props.onPost(words).then((found) => {
              setBusy(false);
              if (found.length) setProblems(found);
              else props.onClose();
            });
          }}
        >
          {label}
        </button>
      </DialogActions>
    </Dialog>
  );
}
