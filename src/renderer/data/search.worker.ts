// Keeps the search index off the main thread: indexing 100,000 notes must never stall typing.
import { SearchIndex, type SearchAnswer } from '../../shared/search';
import { ChannelServer } from '../../shared/search/channel';
import type { SearchRequest, SearchResponse } from './search-client';

const index = new SearchIndex();
let warmed = false;
let channel: ChannelServer | null = null;

function reply(id: number, answer: SearchAnswer): void {
  const response: SearchResponse = { id, answer };
  (self as unknown as Worker).postMessage(response);
}

self.onmessage = (event: MessageEvent<SearchRequest>) => {
  const msg = event.data;
  if (msg.type === 'channel') {
    channel = new ChannelServer(msg.memory, (q) => index.query(q.text, q.limit), reply);
  } else if (msg.type === 'upsert') {
    index.upsert(msg.docs);
    // Once a collection worth optimising for is indexed, before the curator starts typing.
    if (!warmed && index.size >= 1000) {
      warmed = true;
      setTimeout(() => index.warm(), 0);
    }
    channel?.applied();
  } else if (msg.type === 'remove') {
    index.remove(msg.ids);
    channel?.applied();
  } else if (msg.type === 'query') reply(msg.id, index.query(msg.text, msg.limit));
};
