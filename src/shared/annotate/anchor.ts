// Finding a quote again in a text that may have changed since it was highlighted (another device's
// snapshot, or the same page fetched again). Every place the exact words occur is a candidate; the
// one whose surroundings best match the remembered prefix and suffix wins, and between equally
// good ones the one nearest the remembered position. A quote that no longer occurs is orphaned:
// the highlight is kept and listed, it just is not drawn.
import type { TextPositionSelector, TextQuoteSelector, TextRange } from './selectors';

/** Every index at which `exact` starts in `text` (overlapping occurrences included). */
function occurrences(text: string, exact: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) found.push(at);
  return found;
}

/** How many characters at the end of `before` agree with the end of `prefix`. */
function sharedEnd(before: string, prefix: string): number {
  let n = 0;
  while (
    n < prefix.length &&
    n < before.length &&
    before[before.length - 1 - n] === prefix[prefix.length - 1 - n]
  )
    n++;
  return n;
}

/** How many characters at the start of `after` agree with the start of `suffix`. */
function sharedStart(after: string, suffix: string): number {
  let n = 0;
  while (n < suffix.length && n < after.length && after[n] === suffix[n]) n++;
  return n;
}

/**
 * Where the quote is in `text`, or null when it is not there (orphaned). `position` is only a
 * hint: it decides between occurrences whose context matches equally well.
 */
export function anchorQuote(
  text: string,
  quote: Pick<TextQuoteSelector, 'exact' | 'prefix' | 'suffix'>,
  position?: Pick<TextPositionSelector, 'start'> | null,
): TextRange | null {
  if (!quote.exact) return null;
  const candidates = occurrences(text, quote.exact);
  if (candidates.length === 0) return null;
  let best = candidates[0]!;
  let bestContext = -1;
  let bestDistance = Infinity;
  for (const start of candidates) {
    const end = start + quote.exact.length;
    const context =
      sharedEnd(text.slice(Math.max(0, start - quote.prefix.length), start), quote.prefix) +
      sharedStart(text.slice(end, end + quote.suffix.length), quote.suffix);
    const distance = position ? Math.abs(start - position.start) : 0;
    if (context > bestContext || (context === bestContext && distance < bestDistance)) {
      best = start;
      bestContext = context;
      bestDistance = distance;
    }
  }
  return { start: best, end: best + quote.exact.length };
}
