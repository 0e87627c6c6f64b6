// The plain text of a sanitised article (for search and for counting) and its word count.

const BLOCKS = new Set([
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'CAPTION',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TR',
  'UL',
]);

/**
 * Text with one blank line between blocks, one space for runs of whitespace, and `<pre>` kept
 * as written; table cells are separated by a tab.
 */
export function articleText(root: Element): string {
  const blocks: string[] = [];
  let line = '';
  const flush = () => {
    const trimmed = line.replace(/[ \t]+\n/g, '\n').trim();
    if (trimmed) blocks.push(trimmed);
    line = '';
  };
  const walk = (node: Node, preformatted: boolean) => {
    if (node.nodeType === 3) {
      const value = node.nodeValue ?? '';
      line += preformatted ? value : value.replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== 1) return;
    const element = node as Element;
    const tag = element.tagName;
    if (tag === 'BR') {
      line += '\n';
      return;
    }
    if (tag === 'TD' || tag === 'TH') line += line ? '\t' : '';
    const block = BLOCKS.has(tag);
    if (block) flush();
    const pre = preformatted || tag === 'PRE';
    for (const child of Array.from(element.childNodes)) walk(child, pre);
    if (block) flush();
  };
  walk(root, false);
  flush();
  return blocks.join('\n\n');
}

const segmenters = new Map<string, Intl.Segmenter>();

/** Words as Unicode segments them, so text without spaces (Japanese, Thai) counts too. */
export function countWords(text: string, lang?: string | null): number {
  const key = lang ?? '';
  let segmenter = segmenters.get(key);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(lang ?? undefined, { granularity: 'word' });
    segmenters.set(key, segmenter);
  }
  let words = 0;
  for (const segment of segmenter.segment(text)) if (segment.isWordLike) words += 1;
  return words;
}

/** Average silent reading speed for non-fiction in English (Brysbaert, 2019). */
const WORDS_PER_MINUTE = 238;

export function readingMinutes(wordCount: number): number {
  return wordCount === 0 ? 0 : Math.max(1, Math.round(wordCount / WORDS_PER_MINUTE));
}
