// Omnivore's export ZIP: `metadata_<from>_to_<to>.json` files (arrays of saved items with `url`,
// `title`, `description`, `labels`, `state` Active/Archived, `readingProgress`, `savedAt` ISO,
// `slug`) and `highlights/<slug>.md`, where each highlight is a `> quote` block followed by its
// `#label` line and its note, and a note on the whole article is a paragraph of its own.
import type { Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { toString } from 'mdast-util-to-string';
import { z } from 'zod';
import { DraftCollector } from './collect';
import type { ImportRun } from './result';

const ItemSchema = z.object({
  slug: z.string().nullish(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  state: z.string().nullish(),
  readingProgress: z.number().nullish(),
  thumbnail: z.string().nullish(),
  labels: z.array(z.string()).nullish(),
  savedAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
});

export interface OmnivoreExport {
  /** [file name, text] of each metadata_*.json, in name order. */
  metadata: ReadonlyArray<readonly [string, string]>;
  /** highlights/<slug>.md by slug. */
  highlights: ReadonlyMap<string, string>;
}

const LABELS_ONLY = /^(#[^\s#]+\s*)+$/;

/** Highlights and the article note from one highlights/<slug>.md. */
export function omnivoreHighlights(markdown: string): {
  highlights: Array<{ quote: string; note: string }>;
  note: string;
} {
  const tree: Root = fromMarkdown(markdown);
  const highlights: Array<{ quote: string; note: string }> = [];
  const articleNotes: string[] = [];
  const paragraphs = (node: RootContent) =>
    'children' in node && node.type === 'blockquote'
      ? node.children.map((child) => toString(child)).join('\n\n')
      : toString(node);
  for (const node of tree.children) {
    if (node.type === 'blockquote') {
      highlights.push({ quote: paragraphs(node).trim(), note: '' });
      continue;
    }
    const text = toString(node).trim();
    if (!text || LABELS_ONLY.test(text)) continue;
    const last = highlights[highlights.length - 1];
    if (last) last.note = last.note ? `${last.note}\n\n${text}` : text;
    else articleNotes.push(text);
  }
  return { highlights, note: articleNotes.join('\n\n') };
}

export async function parseOmnivore(
  files: OmnivoreExport,
  run: ImportRun,
): Promise<DraftCollector> {
  const out = new DraftCollector();
  for (const [fi, [name, text]] of files.metadata.entries()) {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (error) {
      out.problem(
        name,
        `it is not valid JSON (${error instanceof Error ? error.message : 'malformed'})`,
      );
      continue;
    }
    if (!Array.isArray(items)) {
      out.problem(name, 'it does not hold a list of saved items');
      continue;
    }
    for (const [i, raw] of items.entries()) {
      const where = `${name}, item ${i + 1}`;
      const parsed = ItemSchema.safeParse(raw);
      if (!parsed.success) {
        out.problem(
          where,
          `it is not an item Curio can read (${parsed.error.issues[0]?.message ?? 'malformed'})`,
        );
        continue;
      }
      const item = parsed.data;
      const marked = item.slug ? files.highlights.get(item.slug) : undefined;
      const { highlights, note } = marked
        ? omnivoreHighlights(marked)
        : { highlights: [], note: '' };
      const read = item.state === 'Archived' || (item.readingProgress ?? 0) >= 100;
      out.add(where, {
        url: item.url,
        title: item.title,
        description: item.description,
        tags: item.labels ?? [],
        addedAt: item.savedAt,
        read,
        readAt: read ? item.updatedAt : undefined,
        image: item.thumbnail,
        note,
        highlights,
      });
    }
    await run.checkpoint(fi + 1, files.metadata.length);
  }
  return out;
}
