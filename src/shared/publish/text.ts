// How long a text is for Bluesky, and how to cut one to fit. Counting is @atproto/api's, so Curio
// and the PDS always agree on a length: a post may have 300 graphemes and 3,000 UTF-8 bytes.
import { UnicodeString } from './atproto-rich-text';

export const MAX_POST_GRAPHEMES = 300;
export const MAX_POST_BYTES = 3000;

export interface TextLength {
  graphemes: number;
  /** UTF-8 bytes. */
  bytes: number;
}

export function textLength(text: string): TextLength {
  const unicode = new UnicodeString(text);
  return { graphemes: unicode.graphemeLength, bytes: unicode.length };
}

const ELLIPSIS = '…';
const ELLIPSIS_BYTES = 3;
const utf8 = new TextEncoder();

/** The text, or its first whole graphemes and "…" when it has more than `max` allows. */
export function truncateText(whole: string, max: TextLength): string {
  // Counting graphemes takes more than linear time in the length, and no more than `max.bytes`
  // UTF-16 units can fit (each is at least one UTF-8 byte): a longer text is cut before counting.
  const text = whole.length > max.bytes + 1 ? whole.slice(0, max.bytes + 1) : whole;
  const length = textLength(text);
  if (length.graphemes <= max.graphemes && length.bytes <= max.bytes) return text;
  let out = '';
  let graphemes = 0;
  let bytes = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
    text,
  )) {
    const size = utf8.encode(segment).length;
    if (graphemes + 2 > max.graphemes || bytes + size + ELLIPSIS_BYTES > max.bytes) break;
    out += segment;
    graphemes += 1;
    bytes += size;
  }
  return out.trimEnd() + ELLIPSIS;
}
