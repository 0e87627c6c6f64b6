import { describe, expect, it } from 'vitest';
import { SearchIndex, type SearchDoc } from '../../shared/search';
import {
  DOCS_PER_PART,
  WorkerSearch,
  type SearchRequest,
  type SearchResponse,
} from './search-client';
import { SearchService } from './search-service';

/** Stands in for the worker: the same index behind the same messages, answered a task later. */
class IndexWorker {
  readonly index = new SearchIndex();
  readonly queries: string[] = [];
  onmessage: ((event: MessageEvent<SearchResponse>) => void) | null = null;

  postMessage(msg: SearchRequest): void {
    if (msg.type === 'upsert') this.index.upsert(msg.docs);
    else if (msg.type === 'remove') this.index.remove(msg.ids);
    else if (msg.type === 'query') {
      this.queries.push(msg.text);
      const data: SearchResponse = { id: msg.id, answer: this.index.query(msg.text, msg.limit) };
      setTimeout(() => this.onmessage?.({ data } as MessageEvent<SearchResponse>), 0);
    }
  }
  terminate(): void {}
}

const doc = (id: string, title: string): SearchDoc => ({ id, title, tags: '', text: '' });

function client() {
  const worker = new IndexWorker();
  return { worker, search: new WorkerSearch(worker as unknown as Worker) };
}

describe('WorkerSearch', () => {
  it('asks the worker once for a query repeated before the index changes', async () => {
    const { worker, search } = client();
    search.upsert([doc('a', 'Gossip protocols')]);
    const early = search.query('gossip');
    const again = search.query('gossip');
    expect(again).toBe(early);
    expect((await again).ids).toEqual(['a']);
    expect(worker.queries).toEqual(['gossip']);
  });

  it('asks again once the index has changed, and for a different query', async () => {
    const { worker, search } = client();
    search.upsert([doc('a', 'Gossip protocols')]);
    await search.query('gossip');
    search.upsert([doc('b', 'Gossip at scale')]);
    expect((await search.query('gossip')).ids.sort()).toEqual(['a', 'b']);
    search.remove(['a']);
    expect((await search.query('gossip')).ids).toEqual(['b']);
    expect((await search.query('scale')).ids).toEqual(['b']);
    expect(worker.queries).toEqual(['gossip', 'gossip', 'gossip', 'scale']);
  });

  it('answers every query still waiting, with nothing, when closed', async () => {
    const { search } = client();
    search.upsert([doc('a', 'Gossip protocols')]);
    const waiting = search.query('gossip');
    search.close();
    expect(await waiting).toEqual({ ids: [], terms: [], total: 0 });
  });
});

/** The worker's own message handling, each message a task after it was posted. */
class ServiceWorker {
  readonly posted: Array<{ type: string; docs: number; task: number }> = [];
  onmessage: ((event: MessageEvent<SearchResponse>) => void) | null = null;
  task = 0;
  private readonly service = new SearchService({
    store: null,
    timers: { after: () => () => {}, pause: () => Promise.resolve() },
    reply: (id, answer) =>
      this.onmessage?.({ data: { id, answer } } as MessageEvent<SearchResponse>),
    applied: () => {},
  });

  postMessage(msg: SearchRequest): void {
    const docs = msg.type === 'all' || msg.type === 'upsert' ? msg.docs.length : 0;
    this.posted.push({ type: msg.type, docs, task: this.task });
    setTimeout(() => this.service.handle(msg), 0);
  }
  terminate(): void {}
}

describe('WorkerSearch with a large library', () => {
  it('makes and hands the whole library over in parts, a task apart, and what follows after them', async () => {
    const worker = new ServiceWorker();
    const search = new WorkerSearch(worker as unknown as Worker);
    // Counts the tasks the window has run since the hand-over began.
    const ticking = setInterval(() => worker.task++, 0);
    search.upsert([doc('old', 'Gone after the whole library comes')]);
    const n = DOCS_PER_PART * 2 + 10;
    const docs = Array.from({ length: n }, (_, i) => doc(`d${i}`, `Paxos part ${i}`));
    // Each part is made in the task that hands it over, not all of them up front.
    const madeIn: number[] = [];
    search.replaceAll({
      length: n,
      slice: (start, end) => {
        madeIn.push(worker.task);
        return docs.slice(start, end);
      },
    });
    search.upsert([doc('late', 'Paxos made late')]);
    const answer = await search.query('paxos', 5);
    clearInterval(ticking);
    expect(worker.posted.map((p) => [p.type, p.docs])).toEqual([
      ['upsert', 1],
      ['all', DOCS_PER_PART],
      ['all', DOCS_PER_PART],
      ['all', 10],
      ['upsert', 1],
      ['query', 0],
    ]);
    const parts = worker.posted.filter((p) => p.type === 'all');
    expect(new Set(parts.map((p) => p.task)).size).toBe(parts.length);
    expect(madeIn).toEqual(parts.map((p) => p.task));
    expect(answer.total).toBe(n + 1);
    expect((await search.query('gone')).total).toBe(0);
  });
});
