// The Publish dialog: exactly what goes out, per target and per item, with the curator's blurb,
// checked before anything is written. Pressing Publish queues the jobs and closes; the outbox does
// the rest and reports through toasts and badges.
import { useId, useMemo, useState, useSyncExternalStore } from 'react';
import {
  MAX_POST_GRAPHEMES,
  buildBlueskyPost,
  buildPickPost,
  keptBlurbs,
  pickFor,
  publishProblems,
  splitPublished,
  startingBlurb,
  type PublishRequest,
} from '../../../shared/publish';
import type { ItemRow } from '../../../shared/model';
import { useLocalLibraryHandle } from '../../data/hooks';
import type { PublishPlan } from '../../data/outbox';
import { Dialog, DialogActions } from '../shell/Dialog';
import { displayTitle } from '../library/format';
import { BlueskyPostPreview, SiteEntryPreview } from './Previews';
import { useOutbox } from './PublishProvider';
import { SiteChanges } from './SiteChanges';
import { usePublishSettings } from './usePublishSettings';
import { useSitePreview } from './useSitePreview';
import './publish.css';

interface PublishDialogProps {
  ids: readonly string[];
  onClose: () => void;
  onQueued: (plan: PublishPlan) => void;
  onOpenSettings: () => void;
}

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

export function PublishDialog({ ids, onClose, onQueued, onOpenSettings }: PublishDialogProps) {
  const outbox = useOutbox();
  const library = useLocalLibraryHandle();
  const view = usePublishSettings();
  const { items, version } = useItems(ids);
  const [targets, setTargets] = useState<{ bluesky: boolean; site: boolean } | null>(null);
  // The words kept from an earlier press (a failed attempt, another device) come back here.
  const [blurbs, setBlurbs] = useState<Record<string, string>>(() => {
    const kept = keptBlurbs(library.doc);
    return Object.fromEntries(items.map((item) => [item.id, startingBlurb(item, kept)]));
  });
  const [thread, setThread] = useState(false);
  const [intro, setIntro] = useState('');
  const [busy, setBusy] = useState(false);
  const [openedAt] = useState(() => Date.now());
  const [sendProblems, setSendProblems] = useState<string[] | null>(null);
  const introId = useId();

  // Until the curator chooses, every target that is set up is on.
  const chosen = targets ?? {
    bluesky: view.settings.bluesky !== null,
    site: view.settings.site !== null,
  };
  const request: PublishRequest = {
    items,
    bluesky: chosen.bluesky,
    site: chosen.site,
    blurbs,
    threadIntro: chosen.bluesky && thread ? intro : null,
  };
  const bluesky = splitPublished(items, 'bluesky');
  const site = splitPublished(items, 'site');
  const nothingToDo =
    (!chosen.bluesky || bluesky.todo.length === 0) && (!chosen.site || site.todo.length === 0);
  const problems = view.loaded
    ? publishProblems(request, view.settings, keptBlurbs(library.doc))
    : [];
  const siteAdding = chosen.site && site.todo.length ? site.todo.map((item) => item.id) : null;
  const sitePreview = useSitePreview(outbox, view.settings.site, siteAdding, blurbs, version);
  const introProblem =
    request.threadIntro !== null && !intro.trim() ? 'Thread intro: write the first post' : null;
  const messages = [
    ...problems.map((p) => `${p.title}: ${p.problems.join('; ')}`),
    ...(introProblem ? [introProblem] : []),
  ];
  const handle = view.bluesky?.identifier ?? 'you';

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

  const setTarget = (target: 'bluesky' | 'site', on: boolean) => {
    setSendProblems(null);
    setTargets({ ...chosen, [target]: on });
  };

  const introDraft = buildBlueskyPost({ text: intro, card: null, langs: [] });

  return (
    <Dialog
      title={items.length === 1 ? 'Publish 1 link' : `Publish ${items.length} links`}
      onClose={onClose}
      wide
    >
      <fieldset className="publish__targets">
        <legend className="publish__legend">Publish to</legend>
        <label className="publish__target">
          <input
            type="checkbox"
            checked={chosen.bluesky}
            onChange={(e) => setTarget('bluesky', e.target.checked)}
          />
          Bluesky
          <span className="publish__target-note">
            {view.bluesky ? `as @${view.bluesky.identifier}` : 'not set up'}
          </span>
        </label>
        <label className="publish__target">
          <input
            type="checkbox"
            checked={chosen.site}
            onChange={(e) => setTarget('site', e.target.checked)}
          />
          Site
          <span className="publish__target-note">
            {view.settings.site ? view.settings.site.title : 'not set up'}
          </span>
        </label>
        <button type="button" className="button button--quiet" onClick={onOpenSettings}>
          Settings…
        </button>
      </fieldset>

      {chosen.bluesky && items.length > 1 && (
        <label className="publish__target">
          <input type="checkbox" checked={thread} onChange={(e) => setThread(e.target.checked)} />
          Post as one thread
        </label>
      )}
      {chosen.bluesky && thread && items.length > 1 && (
        <div className="publish__field">
          <label htmlFor={introId}>First post of the thread</label>
          <textarea
            id={introId}
            rows={2}
            value={intro}
            onChange={(e) => setIntro(e.target.value)}
            placeholder="This week’s picks…"
          />
          <GraphemeCount count={introDraft.graphemes} />
        </div>
      )}

      <ol className="publish__items">
        {items.map((item) => {
          const pick = pickFor(item, 'bluesky', blurbs, keptBlurbs(library.doc));
          const draft = buildPickPost(pick, view.bluesky?.langs ?? []);
          const title = displayTitle(item);
          const onBluesky = item.publications.bluesky?.state;
          const onSite = item.publications.site?.state;
          return (
            <li key={item.id} className="publish-item" aria-label={title}>
              <div className="publish-item__head">
                <strong className="publish-item__title">{title}</strong>
                <span className="publish-item__host">{item.host}</span>
              </div>
              <div className="publish__field">
                <label htmlFor={`blurb-${item.id}`}>Blurb</label>
                <textarea
                  id={`blurb-${item.id}`}
                  rows={2}
                  value={blurbs[item.id] ?? ''}
                  placeholder="What makes this worth reading? (empty: the title is posted)"
                  onChange={(e) => {
                    setSendProblems(null);
                    setBlurbs({ ...blurbs, [item.id]: e.target.value });
                  }}
                />
                <GraphemeCount count={draft.graphemes} />
              </div>
              <div className="publish-item__previews">
                {chosen.bluesky &&
                  (onBluesky === 'published' || onBluesky === 'publishing' ? (
                    <p className="publish-item__skip">
                      {onBluesky === 'published'
                        ? 'Already on Bluesky — it will not be posted again.'
                        : 'Being posted to Bluesky already.'}
                    </p>
                  ) : (
                    <BlueskyPostPreview
                      draft={draft}
                      handle={handle}
                      label={`Bluesky post for ${title}`}
                      replyNote={
                        request.threadIntro !== null
                          ? `reply ${bluesky.todo.findIndex((t) => t.id === item.id) + 1} of ${bluesky.todo.length}`
                          : undefined
                      }
                    />
                  ))}
                {chosen.site &&
                  (onSite === 'published' || onSite === 'publishing' ? (
                    <p className="publish-item__skip">
                      {onSite === 'published'
                        ? 'Already on the site.'
                        : 'Being published to the site already.'}
                    </p>
                  ) : (
                    <SiteEntryPreview
                      item={item}
                      blurb={pick.blurb}
                      date={openedAt}
                      label={`Site entry for ${title}`}
                    />
                  ))}
              </div>
            </li>
          );
        })}
      </ol>

      <SiteChanges preview={sitePreview} />

      {(sendProblems ?? messages).length > 0 && (
        <ul className="dialog__error publish__problems" role="alert">
          {(sendProblems ?? messages).map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      {nothingToDo && messages.length === 0 && (
        <p className="dialog__note">Nothing to publish: every link is already where you chose.</p>
      )}

      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={
            !outbox ||
            busy ||
            nothingToDo ||
            messages.length > 0 ||
            sitePreview.state === 'checking'
          }
          onClick={() => void publish()}
        >
          Publish
        </button>
      </DialogActions>
    </Dialog>
  );
}

function GraphemeCount({ count }: { count: number }) {
  const over = count > MAX_POST_GRAPHEMES;
  return (
    <span className={over ? 'publish__count publish__count--over' : 'publish__count'}>
      {count} / {MAX_POST_GRAPHEMES}
    </span>
  );
}
