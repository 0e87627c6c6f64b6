// The top of the Publish dialog: where the picks go, and whether they go out as one thread.
import { useId } from 'react';
import { buildBlueskyPost } from '../../../shared/publish';
import { GraphemeCount } from './PublishItem';
import type { Targets } from './usePublishChoices';

export function PublishTargets(props: {
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
export function ThreadIntro(props: {
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
