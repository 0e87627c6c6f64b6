// In the Publish dialog: the link's highlights, offered as the pick's blurb (the quote in
// quotation marks, as a link blog quotes what it links to).
import { useHighlights } from '../../data/snapshots-hooks';
import { quoteLine } from './HighlightsSection';
import './highlights.css';

export function quoteBlurb(exact: string): string {
  return `“${quoteLine(exact)}”`;
}

export function HighlightBlurbs({
  itemId,
  onPick,
}: {
  itemId: string;
  onPick: (blurb: string) => void;
}) {
  const highlights = useHighlights(itemId);
  if (!highlights.length) return null;
  return (
    <div className="highlight-blurbs" role="group" aria-label="Quote a highlight">
      <span className="highlight-blurbs__label">Quote a highlight:</span>
      {highlights.map((h) => (
        <button
          key={h.id}
          type="button"
          className="button button--quiet highlight-blurbs__pick"
          title="Use this highlight as the blurb"
          onClick={() => onPick(quoteBlurb(h.quote.exact))}
        >
          {quoteBlurb(h.quote.exact)}
        </button>
      ))}
    </div>
  );
}
