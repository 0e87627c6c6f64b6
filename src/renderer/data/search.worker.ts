// Keeps the search index off the main thread: indexing 100,000 notes must never stall typing.
// The index is kept between sessions in the worker's own IndexedDB database (search-service.ts).
import Dexie, { type Table } from 'dexie';
import type { IndexSnapshot, SearchAnswer } from '../../shared/search';
import { ChannelServer } from '../../shared/search/channel';
import type { SearchRequest, SearchResponse } from './search-client';
import { SearchService, type IndexStore } from './search-service';

class SearchIndexes extends Dexie {
  indexes!: Table<IndexSnapshot, string>;

  constructor() {
    super('curio-search');
    this.version(1).stores({ indexes: '' });
  }
}

function indexStore(): IndexStore | null {
  if (typeof indexedDB === 'undefined') return null;
  const db = new SearchIndexes();
  return {
    load: (key) => db.indexes.get(key),
    save: async (key, snapshot) => {
      await db.indexes.put(snapshot, key);
    },
  };
}

function reply(id: number, answer: SearchAnswer): void {
  const response: SearchResponse = { id, answer };
  (self as unknown as Worker).postMessage(response);
}

let channel: ChannelServer | null = null;
const service = new SearchService({
  store: indexStore(),
  timers: {
    after(ms, run) {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    },
    // A task of its own: the messages that came meanwhile are handled first.
    pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
  },
  reply,
  applied: () => channel?.applied(),
});

self.onmessage = (event: MessageEvent<SearchRequest>) => {
  const message = event.data;
  if (message.type === 'channel') {
    channel = new ChannelServer(message.memory, (q) => service.query(q.text, q.limit), reply);
  } else service.handle(message);
};
