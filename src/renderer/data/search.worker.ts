// Keeps the search index off the main thread: indexing 100,000 notes must never stall typing.
import { SearchIndex } from '../../shared/search';
import type { SearchRequest, SearchResponse } from './search-client';

const index = new SearchIndex();
let warmed = false;

self.onmessage = (event: MessageEvent<SearchRequest>) => {
  const msg = event.data;
  if (msg.type === 'upsert') {
    index.upsert(msg.docs);
    // Once a collection worth optimising for is indexed, before the curator starts typing.
    if (!warmed && index.size >= 1000) {
      warmed = true;
      setTimeout(() => index.warm(), 0);
    }
  } else if (msg.type === 'remove') index.remove(msg.ids);
  else if (msg.type === 'query') {
    const response: SearchResponse = { id: msg.id, answer: index.query(msg.text, msg.limit) };
    (self as unknown as Worker).postMessage(response);
  }
};
