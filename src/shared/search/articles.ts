// The second index: the text of the articles kept on this device and the words of their
// highlights. It is separate from the library's index (./index.ts) so that searching titles,
// tags and notes stays as fast as it is whatever the articles weigh; the window asks both and
// shows links found only here after the others, saying where the words matched.
import type { Options } from 'minisearch';
import { SEARCH_INDEX_OPTIONS, MIN_QUERY_LENGTH } from './index';
import { RankedMiniSearch } from './ranked';

export interface ArticleDoc {
  /** The item's id. */
  id: string;
  /** The article's plain text. */
  article: string;
  /** The highlights' quotes and notes, one per line. */
  highlights: string;
}

export interface ArticleHit {
  id: string;
  where: 'article' | 'highlight';
  /** A line of text around the first word that matched. */
  snippet: string;
}

export interface ArticleAnswer {
  hits: ArticleHit[];
  total: number;
  /** The words the query matched, to mark in the snippets. */
  terms: string[];
}

const FIELDS = ['article', 'highlights'] as const;
export const ARTICLE_PREFIX_MIN_LENGTH = 4;

export const ARTICLE_INDEX_OPTIONS: Options<ArticleDoc> = {
  fields: [...FIELDS],
  storeFields: [],
  processTerm: SEARCH_INDEX_OPTIONS.processTerm,
  searchOptions: {
    ...SEARCH_INDEX_OPTIONS.searchOptions,
    // Words a maintainer chose to highlight say more about a link than its article's body.
    boost: { highlights: 3 },
    // Article text has a far larger vocabulary than titles and notes: a three-letter prefix stands
    // for thousands of its words, so the word being typed is a prefix from four letters.
    prefix: (term, i, terms) => i === terms.length - 1 && term.length >= ARTICLE_PREFIX_MIN_LENGTH,
  },
};

/** How much text a snippet shows on each side of the matched word. */
const SNIPPET_BEFORE = 40;
const SNIPPET_AFTER = 100;

/**
 * Where the first word of `text` that is one of `terms` starts, or -1. One pass over the text,
 * however many words a prefix stood for.
 */
function firstMatch(text: string, terms: ReadonlySet<string>): { at: number; length: number } {
  const wordPattern = /[\p{L}\p{N}]+/gu;
  for (let m = wordPattern.exec(text); m; m = wordPattern.exec(text)) {
    if (terms.has(m[0].toLowerCase())) return { at: m.index, length: m[0].length };
  }
  return { at: -1, length: 0 };
}

/** A line of text around a match, cut at word boundaries, with … where it was cut. */
export function snippetAround(text: string, at: number, length: number): string {
  // A few words before the match are shown rather than cut: an ellipsis for them reads worse.
  let from = at - SNIPPET_BEFORE < 20 ? 0 : at - SNIPPET_BEFORE;
  let to = Math.min(text.length, at + length + SNIPPET_AFTER);
  if (from > 0) from = text.indexOf(' ', from) + 1 || from;
  if (to < text.length) to = text.lastIndexOf(' ', to) > at ? text.lastIndexOf(' ', to) : to;
  const middle = text.slice(from, to).replace(/\s+/g, ' ').trim();
  return `${from > 0 ? '…' : ''}${middle}${to < text.length ? '…' : ''}`;
}

export class ArticleIndex {
  private readonly mini = new RankedMiniSearch<ArticleDoc>(ARTICLE_INDEX_OPTIONS);
  private readonly docs = new Map<string, ArticleDoc>();

  get size(): number {
    return this.docs.size;
  }

  /** Adds or replaces articles; a field left undefined keeps what the index has. */
  upsert(docs: ReadonlyArray<Partial<ArticleDoc> & { id: string }>): void {
    const fresh: ArticleDoc[] = [];
    for (const doc of docs) {
      const current = this.docs.get(doc.id);
      const next: ArticleDoc = {
        id: doc.id,
        article: doc.article ?? current?.article ?? '',
        highlights: doc.highlights ?? current?.highlights ?? '',
      };
      if (current && FIELDS.every((f) => current[f] === next[f])) continue;
      if (current) this.mini.discard(doc.id);
      if (!next.article && !next.highlights) {
        this.docs.delete(doc.id);
        continue;
      }
      this.docs.set(doc.id, next);
      fresh.push(next);
    }
    if (fresh.length) this.mini.addAll(fresh);
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) if (this.docs.delete(id)) this.mini.discard(id);
  }

  query(text: string, limit = 100): ArticleAnswer {
    const q = text.trim();
    if (q.length < MIN_QUERY_LENGTH) return { hits: [], total: 0, terms: [] };
    const { hits, total, terms } = this.mini.rank(q, limit);
    const out: ArticleHit[] = [];
    const matched = new Set(terms);
    for (const { id } of hits) {
      const doc = this.docs.get(id);
      if (!doc) continue;
      const inHighlight = firstMatch(doc.highlights, matched);
      const where = inHighlight.at >= 0 ? 'highlight' : 'article';
      const source = where === 'highlight' ? doc.highlights : doc.article;
      const match = where === 'highlight' ? inHighlight : firstMatch(doc.article, matched);
      out.push({
        id,
        where,
        snippet: match.at >= 0 ? snippetAround(source, match.at, match.length) : '',
      });
    }
    return { hits: out, total, terms };
  }
}
