// What goes out, drawn the way it will look: a Bluesky post with its link card, and a site entry.
import type { BlueskyPostDraft } from '../../../shared/publish';
import type { ItemRow } from '../../data/types';

const siteDate = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});

export function BlueskyPostPreview({
  draft,
  handle,
  label,
  replyNote,
}: {
  draft: BlueskyPostDraft;
  handle: string;
  label: string;
  /** "Reply 1 of 3" when the picks go out as a thread. */
  replyNote?: string;
}) {
  const card = draft.card;
  return (
    <article className="post-preview" aria-label={label}>
      <p className="post-preview__author">
        @{handle}
        {replyNote && <span className="post-preview__reply"> · {replyNote}</span>}
      </p>
      <p className="post-preview__text">{draft.text}</p>
      {card && (
        <div className="post-preview__card">
          {card.imageUrl && (
            <img className="post-preview__thumb" src={card.imageUrl} alt="" loading="lazy" />
          )}
          <div className="post-preview__card-body">
            <span className="post-preview__host">{hostOf(card.uri)}</span>
            <strong className="post-preview__title">{card.title || 'No title'}</strong>
            {card.description && (
              <span className="post-preview__description">{card.description}</span>
            )}
          </div>
        </div>
      )}
    </article>
  );
}

export function SiteEntryPreview({
  item,
  blurb,
  headline,
  date,
  label,
}: {
  item: ItemRow;
  blurb: string;
  /** The curator's headline; empty: the page's title. */
  headline: string;
  /** When the entry goes onto the site (the site dates picks by that). */
  date: number;
  label: string;
}) {
  return (
    <article className="site-preview" aria-label={label}>
      <h4 className="site-preview__title">{headline.trim() || item.title || item.url}</h4>
      {blurb && <p className="site-preview__blurb">{blurb}</p>}
      <p className="site-preview__card">
        <span className="site-preview__host">{item.host}</span> {item.title || item.url}
      </p>
      <p className="site-preview__meta">
        {item.host} · {siteDate.format(item.publications.site?.at ?? date)}
        {item.tags.map((tag) => (
          <span key={tag}> #{tag}</span>
        ))}
      </p>
    </article>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.replace(/^www\./, '');
  } catch {
    return url;
  }
}
