// The detail pane's "Highlights": each highlight's words, its note, who made it and when. Clicking
// one opens the reader at it; a highlight whose words this device's copy no longer has is still
// listed, and says so.
import { useMemo } from 'react';
import { anchorQuote } from '../../../shared/annotate';
import type { Highlight } from '../../../shared/collection';
import { useLocalLibraryHandle, useMembers, useReadOnlyReason } from '../../data/hooks';
import { useHasArticle, useHighlights } from '../../data/snapshots-hooks';
import { formatAdded } from '../library/format';
import { useReader } from '../reader/ReaderContext';
import { useAnchorText } from '../reader/useStoredArticle';
import './highlights.css';

/** The quote as one line: the words of a highlight across paragraphs run together otherwise. */
export function quoteLine(exact: string): string {
  return exact.replace(/\s+/g, ' ').trim();
}

export function HighlightsSection({ itemId }: { itemId: string }) {
  const highlights = useHighlights(itemId);
  const text = useAnchorText(itemId, highlights.length > 0);
  const hasArticle = useHasArticle(itemId);
  const orphaned = useMemo(() => {
    if (text === null) return new Set<string>();
    return new Set(
      highlights.filter((h) => anchorQuote(text, h.quote, h.position) === null).map((h) => h.id),
    );
  }, [highlights, text]);
  if (!highlights.length) return null;
  return (
    <section className="highlights" aria-label="Highlights">
      <h3 className="highlights__title">Highlights</h3>
      <ul className="highlights__list">
        {highlights.map((h) => (
          <HighlightEntry
            key={h.id}
            highlight={h}
            orphaned={orphaned.has(h.id)}
            canOpen={hasArticle}
          />
        ))}
      </ul>
    </section>
  );
}

function HighlightEntry({
  highlight,
  orphaned,
  canOpen,
}: {
  highlight: Highlight;
  orphaned: boolean;
  canOpen: boolean;
}) {
  const library = useLocalLibraryHandle();
  const members = useMembers();
  const reader = useReader();
  const readOnly = useReadOnlyReason() !== null;
  const quote = quoteLine(highlight.quote.exact);
  const by = members.find((m) => m.id === highlight.by)?.name ?? 'A former member';
  const label = `${quote}${highlight.note ? ` — note: ${highlight.note}` : ''} (${by}, ${formatAdded(highlight.at)})`;
  const show = () => reader.showHighlight(highlight.itemId, highlight.id);
  return (
    <li className="highlight" aria-label={label}>
      <button
        type="button"
        className="highlight__quote"
        disabled={!canOpen || orphaned}
        title={canOpen && !orphaned ? 'Show it in the article' : undefined}
        onClick={show}
      >
        <q>{quote}</q>
      </button>
      {highlight.note && <p className="highlight__note">{highlight.note}</p>}
      <p className="highlight__meta">
        {by} · {formatAdded(highlight.at)}
        {orphaned && ' · not found in this copy of the article'}
        {!readOnly && (
          <button
            type="button"
            className="button button--quiet highlight__delete"
            aria-label={`Delete highlight “${quote.slice(0, 40)}”`}
            onClick={() => library.deleteHighlight(highlight.itemId, highlight.id)}
          >
            Delete
          </button>
        )}
      </p>
    </li>
  );
}
