// The library's full-text index: title, URL, description, tags and note, with prefix and typo
// tolerance. Pure, so the same code runs in the renderer's search worker, in Node tests and in
// benchmarks.
import type { Options } from 'minisearch';
import { z } from 'zod';
import type { ItemRow } from '../model';
import { RankedMiniSearch, type CompactIndex } from './ranked';

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

/** Two 32-bit FNV-1a hashes of `text` as one 53-bit number. */
function fingerprint(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** What a document is indexed as, in one number: a changed document has another one. */
function signature(doc: SearchDoc): number {
  return fingerprint(`${doc.title}\u0000${doc.tags}\u0000${doc.text}`);
}

/**
 * Names how documents are turned into words. A stored index made another way is not read back:
 * the same documents would be found by other words.
 */
const INDEX_FORMAT = `curio-search/3 ${fingerprint(
  [String(SEARCH_INDEX_OPTIONS.processTerm), FIELDS.join(' '), [...STOP_WORDS].join(' ')].join(
    '\n',
  ),
)}`;

/** An index written down, to be read back instead of indexing every document again. */
export interface IndexSnapshot {
  format: string;
  /** MiniSearch's index, as numbers and words. */
  index: CompactIndex;
  /** Each document's signature, in the order of the index's `documentIds`. */
  signatures: Float64Array;
  /** A title word to warm the ranking code with. */
  sample: string;
}

/** An array of strings, checked in one loop: a large index has hundreds of thousands of words. */
const strings = z.custom<string[]>(
  (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
);

const CompactIndexSchema = z.object({
  documentCount: z.number().int().nonnegative(),
  nextId: z.number().int().nonnegative(),
  dirtCount: z.number().int().nonnegative(),
  fieldIds: z.record(z.string(), z.number().int().nonnegative()),
  averageFieldLength: z.array(z.number()),
  shortIds: z.instanceof(Uint32Array),
  documentIds: strings,
  fieldLengths: z.instanceof(Float64Array),
  terms: strings,
  postings: z.instanceof(Uint8Array),
});

const IndexSnapshotSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  index: CompactIndexSchema,
  signatures: z.instanceof(Float64Array),
  sample: z.string(),
});

export class SearchIndex {
  private readonly signatures = new Map<string, number>();
  private sample = '';

  constructor(private readonly mini = new RankedMiniSearch<SearchDoc>(SEARCH_INDEX_OPTIONS)) {}

  /**
   * The index `snapshot` wrote, or null when `stored` is not one this version can read (another
   * format, or damaged): the documents are then indexed afresh.
   */
  static restore(stored: unknown): SearchIndex | null {
    const parsed = IndexSnapshotSchema.safeParse(stored);
    if (!parsed.success) return null;
    const { index: compact, signatures, sample } = parsed.data;
    const ids = compact.documentIds;
    if (ids.length !== signatures.length) return null;
    let mini: RankedMiniSearch<SearchDoc>;
    try {
      mini = RankedMiniSearch.restore(compact, SEARCH_INDEX_OPTIONS);
    } catch {
      return null;
    }
    if (mini.documentCount !== ids.length) return null;
    const index = new SearchIndex(mini);
    ids.forEach((id, i) => index.signatures.set(id, signatures[i]!));
    index.sample = sample;
    return index;
  }

  get size(): number {
    return this.signatures.size;
  }

  /** MiniSearch is clearing out discarded documents, a step at a time: the index is changing. */
  get vacuuming(): boolean {
    return this.mini.isVacuuming;
  }

  /** Everything `restore` needs to bring this index back without indexing a document. */
  snapshot(): IndexSnapshot {
    const parts = this.mini.compactParts();
    for (;;) {
      const step = parts.next();
      if (step.done) return this.snapshotOf(step.value);
    }
  }

  /**
   * `snapshot`, taken in parts with `pause()` awaited between them, so that queries are answered
   * meanwhile; null if the index changed during a pause (`changed()`), as the parts no longer
   * agree: the caller takes it again later.
   */
  async snapshotInParts(
    pause: () => Promise<void>,
    changed: () => boolean,
  ): Promise<IndexSnapshot | null> {
    const parts = this.mini.compactParts();
    for (;;) {
      const step = parts.next();
      if (step.done) return this.snapshotOf(step.value);
      await pause();
      if (changed()) return null;
    }
  }

  private snapshotOf(index: CompactIndex): IndexSnapshot {
    return {
      format: INDEX_FORMAT,
      index,
      // The index holds exactly the documents that have a signature.
      signatures: Float64Array.from(index.documentIds, (id) => this.signatures.get(id)!),
      sample: this.sample,
    };
  }

  /** Adds or replaces documents; unchanged documents are skipped. Returns how many changed. */
  upsert(docs: readonly SearchDoc[]): number {
    const fresh: SearchDoc[] = [];
    for (const doc of docs) {
      const next = signature(doc);
      const current = this.signatures.get(doc.id);
      if (current === next) continue;
      if (current !== undefined) this.mini.discard(doc.id);
      this.signatures.set(doc.id, next);
      fresh.push(doc);
      this.sample ||= doc.title.split(/\s+/).find((w) => w.length >= 6) ?? '';
    }
    if (fresh.length) this.mini.addAll(fresh);
    return fresh.length;
  }

  /** Returns how many of `ids` were in the index. */
  remove(ids: readonly string[]): number {
    let removed = 0;
    for (const id of ids) {
      if (!this.signatures.has(id)) continue;
      this.mini.discard(id);
      this.signatures.delete(id);
      removed++;
    }
    return removed;
  }

  /** Makes the index hold exactly `docs`. Returns how many documents changed. */
  replaceAll(docs: readonly SearchDoc[]): number {
    const kept = new Set(docs.map((doc) => doc.id));
    const gone = [...this.signatures.keys()].filter((id) => !kept.has(id));
    return this.remove(gone) + this.upsert(docs);
  }

  /**
   * Answers a few queries like the ones typing makes (a short prefix, a whole word with typo
   * tolerance) so that the first real keystroke finds the ranking code already optimised.
   */
  warm(): void {
    const word = this.sample;
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
