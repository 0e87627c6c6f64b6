// The library's full-text index: title, URL, description, tags and note, with prefix and typo
// tolerance. Pure, so the same code runs in the renderer's search worker, in Node tests and in
// benchmarks.
import type { ItemRow } from '../model';
import type { Options } from 'minisearch';
import { RankedMiniSearch } from './ranked';

export interface SearchDoc {
  id: string;
  title: string;
  tags: string;
  /** URL, host, description and note: one field, since scoring cost grows with the field count. */
  text: string;
}

/**
 * What a search answers: the best matches, the words to highlight in them and how many match in
 * all. Small on purpose: it crosses from the search worker to the window at every keystroke.
 */
export interface SearchAnswer {
  /** Ids of the best matches, best first. */
  ids: string[];
  /**
   * The words the query matched (prefixes and typos expanded). Any of them found in a matching
   * row is a word that matched that row, so one list highlights them all.
   */
  terms: string[];
  /** How many documents match in all. */
  total: number;
}

export function toSearchDoc(row: ItemRow): SearchDoc {
  return {
    id: row.id,
    title: row.title,
    tags: row.tags.join(' '),
    text: `${row.host} ${row.url}\n${row.description}\n${row.note}`,
  };
}

const FIELDS = ['title', 'tags', 'text'] as const;

/**
 * Words too common to say anything about a link. Matching them means scoring nearly every item,
 * which is what makes a search slow; dropping them is what every full-text engine does.
 */
const STOP_WORDS = new Set(
  'a an and are as at be but by for from has have he her his i if in into is it its not of on or our she so that the their them then there these they this to was we were what when which who will with you your'.split(
    ' ',
  ),
);

/** Below this many characters a query would match nearly everything: no search is run. */
export const MIN_QUERY_LENGTH = 2;

/**
 * The word being typed matches longer words from this many characters; shorter, it matches only
 * itself. Two-letter prefixes expand to a large part of the vocabulary.
 */
export const PREFIX_MIN_LENGTH = 3;

/**
 * How the library is indexed and searched. `ranked.test.ts` holds `RankedMiniSearch.rank` to
 * MiniSearch's own `search` under exactly these options.
 */
export const SEARCH_INDEX_OPTIONS: Options<SearchDoc> = {
  fields: [...FIELDS],
  storeFields: [],
  processTerm: (term) => {
    const lower = term.toLowerCase();
    return STOP_WORDS.has(lower) ? null : lower;
  },
  autoVacuum: { minDirtCount: 200, minDirtFactor: 0.1, batchSize: 2000, batchWait: 20 },
  searchOptions: {
    boost: { title: 3, tags: 2 },
    // Only the word being typed is a prefix; the words before it are complete.
    prefix: (term, i, terms) => i === terms.length - 1 && term.length >= PREFIX_MIN_LENGTH,
    // Typos only for words long enough that a one-letter slip is unlikely to be another word.
    fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
    combineWith: 'AND',
  },
};

export class SearchIndex {
  private readonly mini = new RankedMiniSearch<SearchDoc>(SEARCH_INDEX_OPTIONS);
  private readonly docs = new Map<string, SearchDoc>();

  get size(): number {
    return this.docs.size;
  }

  /** Adds or replaces documents; unchanged documents are skipped. */
  upsert(docs: readonly SearchDoc[]): void {
    const fresh: SearchDoc[] = [];
    for (const doc of docs) {
      const current = this.docs.get(doc.id);
      if (current && FIELDS.every((f) => current[f] === doc[f])) continue;
      if (current) this.mini.discard(doc.id);
      this.docs.set(doc.id, doc);
      fresh.push(doc);
    }
    if (fresh.length) this.mini.addAll(fresh);
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      if (!this.docs.has(id)) continue;
      this.mini.discard(id);
      this.docs.delete(id);
    }
  }

  /**
   * Answers a few queries like the ones typing makes (a short prefix, a whole word with typo
   * tolerance) so that the first real keystroke finds the ranking code already optimised.
   */
  warm(): void {
    let word = '';
    for (const doc of this.docs.values()) {
      word = doc.title.split(/\s+/).find((w) => w.length >= 6) ?? '';
      if (word) break;
    }
    if (!word) return;
    for (let round = 0; round < 3; round++)
      for (const q of [word.slice(0, 3), word.slice(0, 4), word]) this.query(q, 50);
  }

  query(text: string, limit = 500): SearchAnswer {
    const q = text.trim();
    if (q.length < MIN_QUERY_LENGTH) return { ids: [], terms: [], total: 0 };
    const { hits, total, terms } = this.mini.rank(q, limit);
    return { ids: hits.map((hit) => hit.id), terms, total };
  }
}
