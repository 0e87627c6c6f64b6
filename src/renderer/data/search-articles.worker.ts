// Keeps the article index off the main thread and apart from the library's search worker, so
// indexing a long article never delays a keystroke's answer about titles and notes.
import { ArticleIndex } from '../../shared/search/articles';
import type { ArticleSearchRequest, ArticleSearchResponse } from './search-articles';

const index = new ArticleIndex();

self.onmessage = (event: MessageEvent<ArticleSearchRequest>) => {
  const msg = event.data;
  if (msg.type === 'upsert') index.upsert(msg.docs);
  else if (msg.type === 'remove') index.remove(msg.ids);
  else {
    const response: ArticleSearchResponse = {
      id: msg.id,
      answer: index.query(msg.text, msg.limit),
    };
    (self as unknown as Worker).postMessage(response);
  }
};
