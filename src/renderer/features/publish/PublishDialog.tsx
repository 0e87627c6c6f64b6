// The Publish dialog: exactly what goes out, per target and per item, with the curator's blurb
// and site headline, and every entry the site gains, changes or loses, checked before anything is
// written. "Publish now" hands the jobs to the outbox and closes; the outbox does the rest and
// reports through toasts and badges. "Add to queue" puts the picks at the end of the posting
// queue, to go out one per slot (targets set to publish at once still go now). For picks already on the site, "Update site" sends the changed words
// there alone (a Bluesky post cannot be edited).
import { useId, useMemo, useState, useSyncExternalStore } from 'react';
import { getPublicationHeadline } from '../../../shared/collection';
import {
  buildBlueskyPost,
  keptBlurbs,
  onSite,
  pickFor,
  publishProblems,
  splitPublished,
  startingBlurb,
  type PublishRequest,
} from '../../../shared/publish';
import { PUBLISH_TARGETS, type ItemRow } from '../../../shared/model';
import { useLocalLibraryHandle } from '../../data/hooks';
import type { PublishPlan } from '../../data/outbox';
import { addToQueue, queuedMessage } from '../queue/addToQueue';
import { Dialog, DialogActions } from '../shell/Dialog';
import { GraphemeCount, PublishItem } from './PublishItem';
import { useOutbox } from './PublishProvider';
import { SiteChanges } from './SiteChanges';
import { usePublishSettings } from './usePublishSettings';
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

type Targets = { bluesky: boolean; site: boolean };

/** The rows for these ids as they are now (another device may publish one meanwhile). */
function useItems(ids: readonly string[]): { items: ItemRow[]; version: number } {
  const { store } = useLocalLibraryHandle();
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  const items = useMemo(
    () => ids.map((id) => store.get(id)).filter((row): row is ItemRow => row !== undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version stands for the store's contents.
    [ids, store, version],
  );
  return { items, version };
}

/** What the curator has chosen so far, as a request, and everything that would stop it. */
function usePublishChoices(ids: readonly string[]) {
  const library = useLocalLibraryHandle();
  const view = usePublishSettings();
  const { items, version } = useItems(ids);
  const [targets, setTargets] = useState<Targets | null>(null);
  // The words kept from an earlier press (a failed attempt, another device) come back here.
  const [blurbs, setBlurbs] = useState<Record<string, string>>(() => {
    const kept = keptBlurbs(library.doc);
    return Object.fromEntries(items.map((item) => [item.id, startingBlurb(item, kept)]));
  });
  const [headlines, setHeadlines] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      items.map((item) => [item.id, getPublicationHeadline(library.doc, item.id) ?? '']),
    ),
  );
  const [thread, setThread] = useState(false);
  const [intro, setIntro] = useState('');
  // Until the curator chooses, every target that is set up is on.
  const chosen: Targets = targets ?? {
    bluesky: view.settings.bluesky !== null,
    site: view.settings.site !== null,
  };
  const request: PublishRequest = {
    items,
    bluesky: chosen.bluesky,
    site: chosen.site,
    blurbs,
    headlines,
    threadIntro: chosen.bluesky && thread ? intro : null,
  };
  const bluesky = splitPublished(items, 'bluesky');
  const site = splitPublished(items, 'site');
  const kept = keptBlurbs(library.doc);
  const problems = view.loaded ? publishProblems(request, view.settings, kept) : [];
  const introProblem =
    request.threadIntro !== null && !intro.trim() ? 'Thread intro: write the first post' : null;
  return {
    view,
    items,
    version,
    chosen,
    setTargets,
    blurbs,
    setBlurbs,
    headlines,
    setHeadlines,
    onSite: chosen.site ? items.filter(onSite) : [],
    thread: { on: thread, set: setThread, intro, setIntro },
    request,
    bluesky,
    site,
    kept,
    nothingToDo:
      (!chosen.bluesky || bluesky.todo.length === 0) && (!chosen.site || site.todo.length === 0),
    messages: [
      ...problems.map((p) => `${p.title}: ${p.problems.join('; ')}`),
      ...(introProblem ? [introProblem] : []),
    ],
  };
}

export function PublishDialog({
  ids,
  onClose,
  onQueued,
  onAddedToQueue,
  onOpenSettings,
}: PublishDialogProps) {
  const outbox = useOutbox();
  const library = useLocalLibraryHandle();
  const form = usePublishChoices(ids);
  const { view, items, chosen, request, bluesky, site, messages } = form;
  const [busy, setBusy] = useState(false);
  const [openedAt] = useState(() => Date.now());
  const [sendProblems, setSendProblems] = useState<string[] | null>(null);
  const siteAdding = chosen.site && site.todo.length ? site.todo.map((item) => item.id) : null;
  const sitePreview = useSitePreview(
    outbox,
    view.settings.site,
    siteAdding,
    form.blurbs,
    form.version,
  );
  const shownProblems = sendProblems ?? messages;

  const updateSite = async () => {
    if (!outbox) return;
    setBusy(true);
    try {
      const queued = await outbox.updateSite(form.onSite, {
        blurbs: form.blurbs,
        headlines: form.headlines,
      });
      onQueued({ queued, skipped: [], problems: [] });
    } finally {
      setBusy(false);
    }
  };

  const publish = async () => {
    if (!outbox) return;
    setBusy(true);
    try {
      const plan = await outbox.publish(request);
      if (plan.problems.length) {
        setSendProblems(plan.problems.map((p) => `${p.title}: ${p.problems.join('; ')}`));
        return;
      }
      onQueued(plan);
    } finally {
      setBusy(false);
    }
  };

  const queue = async () => {
    if (!outbox) return;
    setBusy(true);
    try {
      const result = addToQueue(
        library.doc,
        {
          items,
          targets: PUBLISH_TARGETS.filter((target) => chosen[target]),
          blurbs: form.blurbs,
          headlines: form.headlines,
        },
        { memberId: library.me.id },
      );
      let publishing = 0;
      if (result.immediate.length) {
        const plan = await outbox.publish({
          ...request,
          bluesky: result.immediate.includes('bluesky'),
          site: result.immediate.includes('site'),
        });
        if (plan.problems.length) {
          setSendProblems(plan.problems.map((p) => `${p.title}: ${p.problems.join('; ')}`));
          return;
        }
        publishing = plan.queued.length;
      }
      onAddedToQueue(queuedMessage(result, publishing));
    } finally {
      setBusy(false);
    }
  };
  const blocked =
    !outbox || busy || form.nothingToDo || messages.length > 0 || sitePreview.state === 'checking';

  return (
    <Dialog
      title={items.length === 1 ? 'Publish 1 link' : `Publish ${items.length} links`}
      onClose={onClose}
      wide
    >
      <PublishTargets
        chosen={chosen}
        onChange={(target, on) => {
          setSendProblems(null);
          form.setTargets({ ...chosen, [target]: on });
        }}
        blueskyNote={view.bluesky ? `as @${view.bluesky.identifier}` : 'not set up'}
        siteNote={view.settings.site ? view.settings.site.title : 'not set up'}
        onOpenSettings={onOpenSettings}
      />
      {chosen.bluesky && items.length > 1 && <ThreadIntro {...form.thread} />}

      <ol className="publish__items">
        {items.map((item) => (
          <PublishItem
            key={item.id}
            item={item}
            pick={{
              ...pickFor(item, 'bluesky', form.blurbs, form.kept),
              headline: form.headlines[item.id] ?? '',
            }}
            onBlurb={(text) => {
              setSendProblems(null);
              form.setBlurbs({ ...form.blurbs, [item.id]: text });
            }}
            onHeadline={(text) => form.setHeadlines({ ...form.headlines, [item.id]: text })}
            targets={chosen}
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

      <SiteChanges preview={sitePreview} />

      {shownProblems.length > 0 && (
        <ul className="dialog__error publish__problems" role="alert">
          {shownProblems.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      {form.nothingToDo && messages.length === 0 && (
        <p className="dialog__note">
          Nothing to publish: every link is already where you chose
          {form.onSite.length ? ', and Update site sends changed words to the site' : ''}.
        </p>
      )}

      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        {form.onSite.length > 0 && (
          <button
            type="button"
            className="button"
            title="Rebuild the site with these words; nothing is posted to Bluesky"
            disabled={!outbox || busy}
            onClick={() => void updateSite()}
          >
            Update site
          </button>
        )}
        <button
          type="button"
          className="button"
          title={
            request.threadIntro !== null
              ? 'A thread goes out at once: untick “Post as one thread” to queue these picks'
              : 'Post at the next free slots of the publishing schedule, one pick per slot'
          }
          disabled={blocked || request.threadIntro !== null}
          onClick={() => void queue()}
        >
          Add to queue
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={blocked}
          onClick={() => void publish()}
        >
          Publish now
        </button>
      </DialogActions>
    </Dialog>
  );
}

function PublishTargets(props: {
  chosen: Targets;
  onChange: (target: keyof Targets, on: boolean) => void;
  blueskyNote: string;
  siteNote: string;
  onOpenSettings: () => void;
}) {
  const target = (name: keyof Targets, label: string, note: string) => (
    <label className="publish__target">
      <input
        type="checkbox"
        checked={props.chosen[name]}
        onChange={(e) => props.onChange(name, e.target.checked)}
      />
      {label}
      <span className="publish__target-note">{note}</span>
    </label>
  );
  return (
    <fieldset className="publish__targets">
      <legend className="publish__legend">Publish to</legend>
      {target('bluesky', 'Bluesky', props.blueskyNote)}
      {target('site', 'Site', props.siteNote)}
      <button type="button" className="button button--quiet" onClick={props.onOpenSettings}>
        Settings…
      </button>
    </fieldset>
  );
}

/** "Post as one thread", and the thread's first post once it is ticked. */
function ThreadIntro(props: {
  on: boolean;
  set: (on: boolean) => void;
  intro: string;
  setIntro: (text: string) => void;
}) {
  const id = useId();
  const draft = buildBlueskyPost({ text: props.intro, card: null, langs: [] });
  return (
    <>
      <label className="publish__target">
        <input type="checkbox" checked={props.on} onChange={(e) => props.set(e.target.checked)} />
        Post as one thread
      </label>
      {props.on && (
        <div className="publish__field">
          <label htmlFor={id}>First post of the thread</label>
          <textarea
            id={id}
            rows={2}
            value={props.intro}
            onChange={(e) => props.setIntro(e.target.value)}
            placeholder="This week’s picks…"
          />
          <GraphemeCount count={draft.graphemes} />
        </div>
      )}
    </>
  );
}
