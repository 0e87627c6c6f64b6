// The library's full-text index: title, URL, description, tags and note, with prefix and typo
// tolerance. Pure, so the same code runs in the renderer's search worker, in Node tests and in
// benchmarks.
import MiniSearch from 'minisearch';
import type { ItemRow } from '../model';

export interface SearchDoc {
  id: string;
  title: string;
  url: string;
  description: string;
  tags: string;
  note: string;
}

export interface SearchResult {
  id: string;
  score: number;
  terms: string[];
}

export function toSearchDoc(row: ItemRow): SearchDoc {
  return {
    id: row.id,
    title: row.title,
    url: `${row.host} ${row.url}`,
    description: row.description,
    tags: row.tags.join(' '),
    note: row.note,
  };
}

const FIELDS = ['title', 'url', 'description', 'tags', 'note'] as const;

export class SearchIndex {
  private readonly mini = new MiniSearch<SearchDoc>({
    fields: [...FIELDS],
    storeFields: [],
    autoVacuum: { minDirtCount: 200, minDirtFactor: 0.1, batchSize: 2000, batchWait: 20 },
    searchOptions: {
      boost: { title: 3, tags: 2, description: 1.5 },
      prefix: true,
      // Typos only for words long enough that a one-letter slip is unlikely to be another word.
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
      combineWith: 'AND',
    },
  });
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

  query(text: string, limit = 500): SearchResult[] {
    const q = text.trim();
    if (!q) return [];
    return this.mini
      .search(q)
      .slice(0, limit)
      .map((r) => ({ id: String(r.id), score: r.score, terms: r.terms }));
  }
}
