// Holds the open collection's update log the way a slow disk would, so a test can act while a
// change is still on its way to disk. As in hold-replay.ts, the hold is the page's own IndexedDB:
// a read/write transaction over the log's store, kept alive, makes the app's next write wait.
import type { Page } from '@playwright/test';
import { openCollectionDb } from './collection-db';

declare global {
  interface Window {
    __logHold?: { release: () => void };
  }
}

export interface LogHold {
  /** Lets the app's waiting writes through. */
  release(): Promise<void>;
}

/** Holds every write to the open collection's log from now until released. */
export async function holdLogWrites(page: Page): Promise<LogHold> {
  const handle = await openCollectionDb(page);
  await handle.evaluate(
    ({ db }) =>
      new Promise<void>((held) => {
        const log = db.transaction('updates', 'readwrite').objectStore('updates');
        let released = false;
        window.__logHold = { release: () => (released = true) };
        // A transaction ends once no request is outstanding: one is always in flight until release.
        const keepAlive = () => {
          held();
          if (!released) log.count().onsuccess = keepAlive;
        };
        log.count().onsuccess = keepAlive;
        log.transaction.oncomplete = () => db.close();
      }),
  );
  await handle.dispose();
  return {
    release: async () => {
      await page.evaluate(() => window.__logHold?.release());
    },
  };
}
