// The search worker's stored indexes, read from the page: the worker keeps them in its own
// IndexedDB database once a large library has been quiet for a moment (search-service.ts).
import type { Page } from '@playwright/test';

/** Whether the worker has stored an index. */
export function indexStored(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const databases = await indexedDB.databases();
    if (!databases.some((d) => d.name === 'curio-search')) return false;
    return new Promise<boolean>((resolve, reject) => {
      const open = indexedDB.open('curio-search');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const count = db.transaction('indexes').objectStore('indexes').count();
        count.onsuccess = () => {
          db.close();
          resolve(count.result > 0);
        };
      };
    });
  });
}
