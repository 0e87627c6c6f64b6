// The Publish dialog: exactly what goes out, per target and per item, with the curator's blurb
// and site headline, and every entry the site gains, changes or loses, checked before anything is
// written. "Publish now" hands the jobs to the outbox and closes; the outbox does the rest and
// reports through toasts and badges. "Add to queue" puts the picks at the end of the posting
// queue, to go out one per slot (targets set to publish at once still go now). For picks already
// on the site, "Update site" sends the changed words there alone (a Bluesky post cannot be edited).
import { useState } from 'react';
import { pickFor } from '../../../shared/publish';
import type { PublishPlan } from '../../data/outbox';
import { Dialog, DialogActions } from '../shell/Dialog';
import { PublishItem } from './PublishItem';
import { useOutbox } from './PublishProvider';
import { PublishTargets, ThreadIntro } from './PublishTargets';
import { SiteChanges } from './SiteChanges';
import { usePublishChoices, type PublishChoices } from './usePublishChoices';
import { usePublishSend } from './usePublishSend';
import { useSitePreview } from './useSitePreview';
import './publish.css';

interface PublishDialogProps {
  ids: readonly string[];
  onClose: () => void;
  onQueued: (plan: PublishPlan) => void;
  /** After "Add to queue", with what to tell the curator. */
  onAddedToQueue: (message: string) => void;
  onOpenSettings: () => void;
}

export function PublishDialog({
  ids,
  onClose,
  onQueued,
  onAddedToQueue,
  onOpenSettings,
}: PublishDialogProps) {
  const outbox = useOutbox();
  const form = usePublishChoices(ids);
  const { view, items, chosen, site, messages } = form;
  const send = usePublishSend(outbox, form, { onQueued, onAddedToQueue });
  const [openedAt] = useState(() => Date.now());
  const siteAdding = chosen.site && site.todo.length ? site.todo.map((item) => item.id) : null;
  const sitePreview = useSitePreview(
    outbox,
    view.settings.site,
    siteAdding,
    form.blurbs,
    form.version,
  );
  const blocked =
    !outbox ||
    send.busy ||
    form.nothingToDo ||
    messages.length > 0 ||
    sitePreview.state === 'checking';

  return (
    <Dialog
      title={items.length === 1 ? 'Publish 1 link' : `Publish ${items.length} links`}
      onClose={onClose}
      wide
    >
      <PublishTargets
        chosen={chosen}
        onChange={(target, on) => {
          send.clearProblems();
          form.setTargets({ ...chosen, [target]: on });
        }}
        blueskyNote={view.bluesky ? `as @${view.bluesky.identifier}` : 'not set up'}
        siteNote={view.settings.site ? view.settings.site.title : 'not set up'}
        onOpenSettings={onOpenSettings}
      />
      {chosen.bluesky && items.length > 1 && <ThreadIntro {...form.thread} />}
      <PublishItems form={form} openedAt={openedAt} onBlurbTyped={send.clearProblems} />
      <SiteChanges preview={sitePreview} />
      <PublishNotes
        problems={send.problems ?? messages}
        nothingToDo={form.nothingToDo && messages.length === 0}
        onSite={form.onSite.length > 0}
      />
      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <PublishButtons
          updateSite={form.onSite.length > 0 ? send.updateSite : null}
          updateBlocked={!outbox || send.busy}
          thread={form.request.threadIntro !== null}
          blocked={blocked}
          queue={send.queue}
          publish={send.publish}
        />
      </DialogActions>
    </Dialog>
  );
}

/** Each pick with its blurb, headline and what goes out, in the order they were selected. */
function PublishItems({
  form,
  openedAt,
  onBlurbTyped,
}: {
  form: PublishChoices;
  openedAt: number;
  onBlurbTyped: () => void;
}) {
  const { view, request, bluesky } = form;
  return (
    <ol className="publish__items">
      {form.items.map((item) => (
        <PublishItem
          key={item.id}
          item={item}
          pick={{
            ...pickFor(item, 'bluesky', form.blurbs, form.kept),
            headline: form.headlines[item.id] ?? '',
          }}
          onBlurb={(text) => {
            onBlurbTyped();
            form.setBlurbs({ ...form.blurbs, [item.id]: text });
          }}
          onHeadline={(text) => form.setHeadlines({ ...form.headlines, [item.id]: text })}
          targets={form.chosen}
          langs={view.bluesky?.langs ?? []}
          handle={view.bluesky?.identifier ?? 'you'}
          replyNote={
            request.threadIntro !== null
              ? `reply ${bluesky.todo.findIndex((t) => t.id === item.id) + 1} of ${bluesky.todo.length}`
              : undefined
          }
          openedAt={openedAt}
        />
      ))}
    </ol>
  );
}

/** What stops the press, or why there is nothing to press. */
function PublishNotes(props: { problems: string[]; nothingToDo: boolean; onSite: boolean }) {
  return (
    <>
      {props.problems.length > 0 && (
        <ul className="dialog__error publish__problems" role="alert">
          {props.problems.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      {props.nothingToDo && (
        <p className="dialog__note">
          Nothing to publish: every link is already where you chose
          {props.onSite ? ', and Update site sends changed words to the site' : ''}.
        </p>
      )}
    </>
  );
}

/** "Update site" (when picks are already there), "Add to queue" and "Publish now". */
function PublishButtons(props: {
  /** Null when none of the picks is on the site. */
  updateSite: (() => Promise<void>) | null;
  updateBlocked: boolean;
  /** The picks go out as one thread, which cannot wait in the queue. */
  thread: boolean;
  blocked: boolean;
  queue: () => Promise<void>;
  publish: () => Promise<void>;
}) {
  const { updateSite } = props;
  return (
    <>
      {updateSite && (
        <button
          type="button"
          className="button"
          title="Rebuild the site with these words; nothing is posted to Bluesky"
          disabled={props.updateBlocked}
          onClick={() => void updateSite()}
        >
          Update site
        </button>
      )}
      <button
        type="button"
        className="button"
        title={
          props.thread
            ? 'A thread goes out at once: untick “Post as one thread” to queue these picks'
            : 'Post at the next free slots of the publishing schedule, one pick per slot'
        }
        disabled={props.blocked || props.thread}
        onClick={() => void props.queue()}
      >
        Add to queue
      </button>
      <button
        type="button"
        className="button button--primary"
        disabled={props.blocked}
        onClick={() => void props.publish()}
      >
        Publish now
      </button>
    </>
  );
}
