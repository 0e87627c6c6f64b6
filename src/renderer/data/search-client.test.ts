import { describe, expect, it } from 'vitest';
import { SearchIndex, type SearchDoc } from '../../shared/search';
import { WorkerSearch, type SearchRequest, type SearchResponse } from './search-client';

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
