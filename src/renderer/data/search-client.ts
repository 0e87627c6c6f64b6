// The library's way to the search index: in a Web Worker in the app, in-process where no
// Worker exists (Node tests). Queries are answered in order; a newer query does not wait for an
// older one's rendering.
import { SearchIndex, type SearchAnswer, type SearchDoc } from '../../shared/search';

export type SearchRequest =
  | { type: 'upsert'; docs: SearchDoc[] }
  | { type: 'remove'; ids: string[] }
  | { type: 'query'; id: number; text: string; limit?: number };

export interface SearchResponse {
  id: number;
  answer: SearchAnswer;
}

export interface SearchBackend {
  upsert(docs: SearchDoc[]): void;
  remove(ids: string[]): void;
  query(text: string, limit?: number): Promise<SearchAnswer>;
  close(): void;
}

export class InlineSearch implements SearchBackend {
  private readonly index = new SearchIndex();
  upsert(docs: SearchDoc[]): void {
    this.index.upsert(docs);
  }
  remove(ids: string[]): void {
    this.index.remove(ids);
  }
  async query(text: string, limit?: number): Promise<SearchAnswer> {
    return this.index.query(text, limit);
  }
  close(): void {}
}

export class WorkerSearch implements SearchBackend {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: SearchAnswer) => void>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<SearchResponse>) => {
      const resolve = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      resolve?.(event.data.answer);
    };
  }

  private send(msg: SearchRequest): void {
    this.worker.postMessage(msg);
  }

  upsert(docs: SearchDoc[]): void {
    if (docs.length) this.send({ type: 'upsert', docs });
  }
  remove(ids: string[]): void {
    if (ids.length) this.send({ type: 'remove', ids });
  }
  query(text: string, limit?: number): Promise<SearchAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.send({ type: 'query', id, text, limit });
    });
  }
  close(): void {
    this.worker.terminate();
    for (const resolve of this.waiting.values()) resolve({ hits: [], total: 0 });
    this.waiting.clear();
  }
}

export function createSearchBackend(): SearchBackend {
  if (typeof Worker === 'undefined') return new InlineSearch();
  return new WorkerSearch(
    new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }),
  );
}
