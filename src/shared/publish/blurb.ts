// A note's first paragraph as plain text: what a pick says by default on the site and on Bluesky.
// Notes are Markdown, and a blurb goes out as plain text, so it is read with a Markdown parser
// (mdast): headings, lists, quotes and code are not blurbs; links keep their words; emphasis,
// code marks, HTML and images leave nothing behind.
import type { Nodes, Paragraph, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { toString } from 'mdast-util-to-string';
import { MAX_POST_BYTES, MAX_POST_GRAPHEMES, truncateText } from './text';

/**
 * How much of a note is parsed, in growing steps. micromark takes quadratic time on some inputs
 * (deep nesting, long runs of emphasis: 100 KB of `*a` takes minutes), a note may hold 200,000
 * characters written by any co-maintainer, and a blurb needs only the first paragraph.
 */
const PARSE_STEPS = [500, 2000];
/** A link reference definition, which may sit anywhere in the note, even past the parsed part. */
const DEFINITION = /^ {0,3}\[(?:[^\]\\\n]|\\.){1,200}\]:[ \t]*\S[^\n]{0,1000}$/gm;
const MAX_DEFINITIONS_LENGTH = 4000;

/**
 * The note up to its last blank line within `size` characters: every top-level paragraph in it is
 * complete. Without such a line the cut falls mid-block and the last paragraph may go on past it.
 */
function prefixOf(note: string, size: number): { text: string; whole: boolean; complete: boolean } {
  if (note.length <= size) return { text: note, whole: true, complete: true };
  const head = note.slice(0, size);
  let blank = -1;
  for (const match of head.matchAll(/\n[ \t]*\n/g)) blank = match.index;
  return blank > 0
    ? { text: head.slice(0, blank), whole: false, complete: true }
    : { text: head, whole: false, complete: false };
}

function definitionsIn(note: string): string {
  let out = '';
  for (const [line] of note.matchAll(DEFINITION)) {
    if (out.length + line.length > MAX_DEFINITIONS_LENGTH) break;
    out += `${line}\n`;
  }
  return out;
}

/** Line breaks inside a paragraph read as spaces; images are decoration, not words. */
function plainText(paragraph: Paragraph): string {
  const words = (node: Nodes): string => {
    if (node.type === 'break') return ' ';
    if (node.type === 'image' || node.type === 'imageReference' || node.type === 'html') return '';
    if ('children' in node) return node.children.map((child) => words(child)).join('');
    return toString(node);
  };
  return words(paragraph).replace(/\s+/g, ' ').trim();
}

function firstParagraph(tree: Root): Paragraph | null {
  for (const node of tree.children) if (node.type === 'paragraph' && plainText(node)) return node;
  return null;
}

/** The plain text of the note's first paragraph that has any words; '' when there is none. */
export function firstParagraphText(note: string): string {
  const definitions = definitionsIn(note);
  for (const [step, size] of PARSE_STEPS.entries()) {
    const prefix = prefixOf(note, size);
    const found = firstParagraph(
      fromMarkdown(definitions ? `${prefix.text}\n\n${definitions}` : prefix.text),
    );
    const cutShort = !prefix.complete && (found?.position?.end.offset ?? 0) >= prefix.text.length;
    if (found && (!cutShort || step === PARSE_STEPS.length - 1)) return plainText(found);
    if (prefix.whole) return '';
  }
  return '';
}

/** A blurb fits one Bluesky post, so the default can always be posted as it is. */
export function boundedBlurb(text: string): string {
  return truncateText(text, { graphemes: MAX_POST_GRAPHEMES, bytes: MAX_POST_BYTES });
}
