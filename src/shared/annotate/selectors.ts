// Where a highlight is, written the way the W3C Web Annotation model does: the quoted words with a
// little context on each side (TextQuoteSelector), and where they started in the text that was
// read (TextPositionSelector). The quote is what finds the highlight again on another device's copy
// of the article; the position only chooses between equal quotes.
import { z } from 'zod';

/** How much context is kept on each side of a quote: enough to tell repeated phrases apart. */
export const CONTEXT_LENGTH = 32;
/** A highlight is a passage, not a chapter: longer selections are refused. */
export const MAX_QUOTE_LENGTH = 5000;

export const TextQuoteSelectorSchema = z.object({
  type: z.literal('TextQuoteSelector'),
  exact: z.string().min(1).max(MAX_QUOTE_LENGTH),
  prefix: z.string().max(CONTEXT_LENGTH),
  suffix: z.string().max(CONTEXT_LENGTH),
});
export type TextQuoteSelector = z.infer<typeof TextQuoteSelectorSchema>;

export const TextPositionSelectorSchema = z
  .object({
    type: z.literal('TextPositionSelector'),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
  })
  .refine((p) => p.end > p.start, 'a position selector ends after it starts');
export type TextPositionSelector = z.infer<typeof TextPositionSelectorSchema>;

/** A range of the text: `text.slice(start, end)`. */
export interface TextRange {
  start: number;
  end: number;
}

/** The selectors for `text.slice(start, end)`, or null when that is empty or too long to keep. */
export function describeRange(
  text: string,
  { start, end }: TextRange,
): { quote: TextQuoteSelector; position: TextPositionSelector } | null {
  if (!(start >= 0 && end > start && end <= text.length)) return null;
  if (end - start > MAX_QUOTE_LENGTH) return null;
  return {
    quote: {
      type: 'TextQuoteSelector',
      exact: text.slice(start, end),
      prefix: text.slice(Math.max(0, start - CONTEXT_LENGTH), start),
      suffix: text.slice(end, end + CONTEXT_LENGTH),
    },
    position: { type: 'TextPositionSelector', start, end },
  };
}
