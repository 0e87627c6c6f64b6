// The article index's way in: kept in a worker of its own (a search of titles and notes never
// waits behind it), fed from the articles this device keeps and from every link's highlights,
// and asked alongside the library's index as the curator types.
import type { HighlightIndex } from '../../shared/collection';
import { ArticleIndex, type ArticleAnswer, type ArticleDoc } from '../../shared/search/articles';
import type { SnapshotStore } from './snapshots';

export type ArticleSearchRequest =
  | { type: 'upsert'; docs: Array<Partial<ArticleDoc> & { id: string }> }
  | { type: 'remove'; ids: string[] }
  | { type: 'query'; id: number; text: string; limit?: number };

export interface ArticleSearchResponse {
  id: number;
  answer: ArticleAnswer;
}

export interface ArticleSearchBackend {
  upsert(docs: Array<Partial<ArticleDoc> & { id: string }>): void;
  remove(ids: string[]): void;
  query(text: string, limit?: number): Promise<ArticleAnswer>;
  close(): void;
}

const NO_ANSWER: ArticleAnswer = { hits: [], total: 0, terms: [] };

export class InlineArticleSearch implements ArticleSearchBackend {
  readonly index = new ArticleIndex();
  upsert(docs: Array<Partial<ArticleDoc> & { id: string }>): void {
    this.index.upsert(docs);
  }
  remove(ids: string[]): void {
    this.index.remove(ids);
  }
  async query(text: string, limit?: number): Promise<ArticleAnswer> {
    return this.index.query(text, limit);
  }
  close(): void {}
}

export class WorkerArticleSearch implements ArticleSearchBackend {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: ArticleAnswer) => void>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<ArticleSearchResponse>) => {
      this.waiting.get(event.data.id)?.(event.data.answer);
      this.waiting.delete(event.data.id);
    };
  }
  private send(request: ArticleSearchRequest): void {
    this.worker.postMessage(request);
  }
  upsert(docs: Array<Partial<ArticleDoc> & { id: string }>): void {
    if (docs.length) this.send({ type: 'upsert', docs });
  }
  remove(ids: string[]): void {
    if (ids.length) this.send({ type: 'remove', ids });
  }
  query(text: string, limit?: number): Promise<ArticleAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.send({ type: 'query', id, text, limit });
    });
  }
  close(): void {
    this.worker.terminate();
    for (const resolve of this.waiting.values()) resolve(NO_ANSWER);
    this.waiting.clear();
  }
}

export function createArticleSearchBackend(): ArticleSearchBackend {
  if (typeof Worker === 'undefined') return new InlineArticleSearch();
  return new WorkerArticleSearch(
    new Worker(new URL('./search-articles.worker.ts', import.meta.url), { type: 'module' }),
  );
}

/** A link's highlights as the index reads them: each quote, and its note, on lines of their own. */
export function highlightText(highlights: HighlightIndex, itemId: string): string {
  return highlights
    .of(itemId)
    .map((h) => (h.note ? `${h.quote.exact}\n${h.note}` : h.quote.exact))
    .join('\n');
}

/** Articles read from storage per message to the worker while the index is first filled. */
const BATCH = 25;

/** Keeps the article index in step with the stored articles and the document's highlights. */
export class ArticleSearch {
  private readonly indexed = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];
  private syncing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly backend: ArticleSearchBackend,
    private readonly snapshots: SnapshotStore,
    private readonly highlights: HighlightIndex,
  ) {}

  /** Indexes what is kept and highlighted now, then follows every change. */
  start(): Promise<void> {
    this.backend.upsert(
      this.highlights
        .itemIds()
        .map((id) => ({ id, highlights: highlightText(this.highlights, id) })),
    );
    this.unsubscribe.push(
      this.highlights.subscribe((ids) =>
        this.backend.upsert(
          [...ids].map((id) => ({ id, highlights: highlightText(this.highlights, id) })),
        ),
      ),
      this.snapshots.subscribe(() => void this.sync()),
    );
    return this.sync();
  }

  /** Brings the index's articles in line with the store: new and fetched-again in, removed out. */
  private sync(): Promise<void> {
    this.syncing = this.syncing.then(async () => {
      const stale: string[] = [];
      for (const id of this.snapshots.ids()) {
        if (this.indexed.get(id) !== this.snapshots.meta(id)?.fetchedAt) stale.push(id);
      }
      const gone = [...this.indexed.keys()].filter((id) => !this.snapshots.has(id));
      for (const id of gone) this.indexed.delete(id);
      this.backend.upsert(gone.map((id) => ({ id, article: '' })));
      for (let i = 0; i < stale.length && !this.closed; i += BATCH) {
        const batch = stale.slice(i, i + BATCH);
        const texts = await Promise.all(batch.map((id) => this.snapshots.text(id)));
        const docs: Array<{ id: string; article: string }> = [];
        batch.forEach((id, n) => {
          const fetchedAt = this.snapshots.meta(id)?.fetchedAt;
          if (fetchedAt === undefined) return;
          this.indexed.set(id, fetchedAt);
          docs.push({ id, article: texts[n] ?? '' });
        });
        if (!this.closed) this.backend.upsert(docs);
      }
    });
    return this.syncing;
  }

  query(text: string, limit?: number): Promise<ArticleAnswer> {
    return this.backend.query(text, limit);
  }

  close(): void {
    this.closed = true;
    for (const off of this.unsubscribe) off();
    this.backend.close();
  }
}
