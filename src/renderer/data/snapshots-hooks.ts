// React's way into offline reading: a link's article status, its highlights, this device's
// "Offline reading" settings and the storage its articles take.
import { useCallback, useSyncExternalStore } from 'react';
import type { Highlight } from '../../shared/collection';
import { useLocalLibraryHandle } from './hooks';
import type { OfflineSettings } from './snapshots-policy';
import type { ArticleStatus } from './snapshots-queue';

const NOTHING = () => () => {};
const NO_HIGHLIGHTS: readonly Highlight[] = [];

/** Whether the link's article is kept offline, on its way, or could not be fetched (and why). */
export function useArticleStatus(id: string): ArticleStatus | null {
  const { articles, snapshots } = useLocalLibraryHandle();
  const get = useCallback((): ArticleStatus | null => {
    if (articles) return articles.status(id);
    const meta = snapshots.meta(id);
    return meta
      ? { state: 'saved', readingMinutes: meta.readingMinutes, fetchedAt: meta.fetchedAt }
      : null;
  }, [articles, snapshots, id]);
  const stable = useSyncExternalStore(articles?.subscribe ?? snapshots.subscribe, () =>
    JSON.stringify(get()),
  );
  return JSON.parse(stable) as ArticleStatus | null;
}

/** Whether this device has the link's article. */
export function useHasArticle(id: string | null): boolean {
  const { snapshots } = useLocalLibraryHandle();
  return useSyncExternalStore(snapshots.subscribe, () => (id ? snapshots.has(id) : false));
}

/** The link's highlights, oldest first, live as any maintainer adds or deletes one. */
export function useHighlights(itemId: string | null): readonly Highlight[] {
  const { highlights } = useLocalLibraryHandle();
  const subscribe = useCallback(
    (listener: () => void) =>
      highlights.subscribe((ids) => {
        if (itemId && ids.has(itemId)) listener();
      }),
    [highlights, itemId],
  );
  return useSyncExternalStore(subscribe, () => (itemId ? highlights.of(itemId) : NO_HIGHLIGHTS));
}

export interface OfflineReading {
  settings: OfflineSettings;
  set: (patch: Partial<OfflineSettings>) => Promise<void>;
  /** Articles kept, and the bytes they take. */
  count: number;
  bytes: number;
  removeAll: () => Promise<void>;
}

/** This device's offline reading, or null where the app fetches no articles. */
export function useOfflineReading(): OfflineReading | null {
  const { articles, snapshots } = useLocalLibraryHandle();
  const store = articles?.settingsStore;
  const settings = useSyncExternalStore(store?.subscribe ?? NOTHING, () => store?.get() ?? null);
  const usage = useSyncExternalStore(
    snapshots.subscribe,
    () => `${snapshots.count}/${snapshots.bytes}`,
  );
  if (!articles || !store || !settings) return null;
  const [count, bytes] = usage.split('/').map(Number) as [number, number];
  return {
    settings,
    set: (patch) => store.set(patch),
    count,
    bytes,
    removeAll: () => articles.removeAll(),
  };
}
