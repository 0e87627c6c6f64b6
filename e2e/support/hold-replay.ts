// Holds a collection's opening at the point where its update log is read, the way a slow disk
// would, so a test can act while the rows are on screen and the document has not replayed yet.
// The hold is the page's own IndexedDB, not a change to the app: a read/write transaction over
// the log's store, kept alive, makes the app's read of the log wait its turn until released.
import type { Page } from '@playwright/test';

/** Marks the next load of the page as the one to hold (a reload after it opens unheld). */
const HOLD_KEY = 'curio-e2e-hold-replay';

interface HoldState {
  /** The hold's transaction has started: any read of the log created after it waits. */
  held: boolean;
  release: () => void;
}

declare global {
  interface Window {
    __replayHold?: HoldState;
  }
}

export interface ReplayHold {
  /** Lets the app read its log and replay the document. */
  release(): Promise<void>;
}

/**
 * Holds the replay of `collection`'s log on the page's next load, from before any of the app's
 * scripts run. The caller loads the page, then waits for `held()` before relying on it.
 */
export async function holdReplayOnNextLoad(
  page: Page,
  collection: string,
): Promise<ReplayHold & { held(): Promise<void> }> {
  await page.addInitScript(
    ({ key, collection }) => {
      if (sessionStorage.getItem(key) === null) return;
      sessionStorage.removeItem(key);
      let released = false;
      const state: HoldState = { held: false, release: () => (released = true) };
      window.__replayHold = state;
      const open = indexedDB.open(`curio-collection-${collection}`);
      open.onsuccess = () => {
        const db = open.result;
        const log = db.transaction('updates', 'readwrite').objectStore('updates');
        // A transaction ends once no request is outstanding: one is always in flight until release.
        const keepAlive = () => {
          state.held = true;
          if (!released) log.count().onsuccess = keepAlive;
        };
        log.count().onsuccess = keepAlive;
        log.transaction.oncomplete = () => db.close();
      };
    },
    { key: HOLD_KEY, collection },
  );
  await page.evaluate((key) => sessionStorage.setItem(key, 'hold'), HOLD_KEY);
  return {
    held: async () => {
      await page.waitForFunction(() => window.__replayHold?.held === true);
    },
    release: async () => {
      await page.evaluate(() => window.__replayHold?.release());
    },
  };
}
