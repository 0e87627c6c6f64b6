// One link in the Publish dialog: its blurb, and what goes out to each chosen target drawn the way
// it will look (or why it will not go out again).
import {
  MAX_POST_GRAPHEMES,
  buildPickPost,
  type BlueskyPostDraft,
  type PickedLink,
} from '../../../shared/publish';
import type { ItemRow } from '../../../shared/model';
import { HighlightBlurbs } from '../highlights/HighlightBlurbs';
import { displayTitle } from '../library/format';
import { BlueskyPostPreview, SiteEntryPreview } from './Previews';

interface PublishItemProps {
  item: ItemRow;
  /** The pick with the words now in its blurb and headline fields. */
  pick: PickedLink;
  onBlurb: (text: string) => void;
  onHeadline: (text: string) => void;
  targets: { bluesky: boolean; site: boolean };
  langs: readonly string[];
  handle: string;
  /** "reply 2 of 3" when the picks go out as a thread. */
  replyNote?: string;
  /** When the dialog opened: the date a new site entry gets. */
  openedAt: number;
}

export function PublishItem(props: PublishItemProps) {
  const { item, pick, targets } = props;
  const draft = buildPickPost(pick, props.langs);
  const title = displayTitle(item);
  return (
    <li className="publish-item" aria-label={title}>
      <div className="publish-item__head">
        <strong className="publish-item__title">{title}</strong>
        <span className="publish-item__host">{item.host}</span>
      </div>
      <div className="publish__field">
        <label htmlFor={`blurb-${item.id}`}>Blurb</label>
        <textarea
          id={`blurb-${item.id}`}
          rows={2}
          value={pick.blurb}
          placeholder="What makes this worth reading? (empty: the title is posted)"
          onChange={(e) => props.onBlurb(e.target.value)}
        />
        <GraphemeCount count={draft.graphemes} />
        <HighlightBlurbs itemId={item.id} onPick={props.onBlurb} />
      </div>
      {targets.site && (
        <div className="publish__field">
          <label htmlFor={`headline-${item.id}`}>Headline on the site</label>
          <input
            id={`headline-${item.id}`}
            type="text"
            value={pick.headline ?? ''}
            maxLength={500}
            placeholder={title}
            onChange={(e) => props.onHeadline(e.target.value)}
          />
        </div>
      )}
      <PublishItemPreviews {...props} draft={draft} title={title} />
    </li>
  );
}

/** What goes out to each chosen target, drawn the way it will look, or why it will not go out. */
function PublishItemPreviews(props: PublishItemProps & { draft: BlueskyPostDraft; title: string }) {
  const { item, pick, targets, draft, title } = props;
  const onBluesky = item.publications.bluesky?.state;
  const onSite = item.publications.site?.state;
  return (
    <div className="publish-item__previews">
      {targets.bluesky &&
        (onBluesky === 'published' || onBluesky === 'publishing' || onBluesky === 'removed' ? (
          <p className="publish-item__skip">
            {onBluesky === 'published'
              ? 'Already on Bluesky — it will not be posted again. To change the post, use Delete and post again in its details.'
              : onBluesky === 'removed'
                ? 'Removed from Bluesky — it will not be posted again unless you choose Post to Bluesky again in its details.'
                : 'Being posted to Bluesky already.'}
          </p>
        ) : (
          <BlueskyPostPreview
            draft={draft}
            handle={props.handle}
            label={`Bluesky post for ${title}`}
            replyNote={props.replyNote}
          />
        ))}
      {targets.site && onSite === 'removed' && (
        <p className="publish-item__skip">
          Removed from the site — it will not be published again.
        </p>
      )}
      {targets.site && onSite === 'publishing' && (
        <p className="publish-item__skip">Being published to the site already.</p>
      )}
      {targets.site && onSite === 'published' && (
        <p className="publish-item__skip">
          Already on the site. Change its words here and press Update site.
        </p>
      )}
      {targets.site && onSite !== 'removed' && onSite !== 'publishing' && (
        <SiteEntryPreview
          item={item}
          blurb={pick.blurb}
          headline={pick.headline ?? ''}
          date={props.openedAt}
          label={`Site entry for ${title}`}
        />
      )}
    </div>
  );
}

export function GraphemeCount({ count }: { count: number }) {
  const over = count > MAX_POST_GRAPHEMES;
  return (
    <span className={over ? 'publish__count publish__count--over' : 'publish__count'}>
      {count} / {MAX_POST_GRAPHEMES}
    </span>
  );
}
