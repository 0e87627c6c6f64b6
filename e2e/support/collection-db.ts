// The open collection's IndexedDB database, reached from a test or a benchmark as the app stores
// it: a handle to the database and to a helper that awaits its requests, for page.evaluate.
import type { JSHandle, Page } from '@playwright/test';

export interface CollectionDbHandle {
  db: IDBDatabase;
  /** Resolves with the request's result. */
  request: <T>(request: IDBRequest<T>) => Promise<T>;
}

export function openCollectionDb(page: Page): Promise<JSHandle<CollectionDbHandle>> {
  return page.evaluateHandle(async () => {
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const app = await request(indexedDB.open('curio'));
    const current = (await request(
      app.transaction('settings').objectStore('settings').get('currentCollection'),
    )) as { value: string };
    app.close();
    return { db: await request(indexedDB.open(`curio-collection-${current.value}`)), request };
  });
}
