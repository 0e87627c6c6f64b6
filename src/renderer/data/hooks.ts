// React's way into the library: components subscribe to exactly the slice they show.
import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { ItemRow, Member } from '../../shared/model';
import type { AppDb, CollectionEntry } from './db';
import { readOnlyReason, type Access } from './access';
import type { LocalLibrary } from './library';
import type { Presence } from './presence';
import type { SyncStatus } from './sync';
import type { UnfurlStatus } from './unfurl-queue';
import type { Library, LibraryView, ViewCounts } from './types';

export type { Presence } from './presence';

const LibraryContext = createContext<LocalLibrary | null>(null);

/** This device's app database and the open collection's entry (sync settings, switching). */
export interface Workspace {
  app: AppDb;
  collection: CollectionEntry;
}
const WorkspaceContext = createContext<Workspace | null>(null);

export function WorkspaceProvider({
  workspace,
  children,
}: {
  workspace: Workspace;
  children: ReactNode;
}) {
  return createElement(WorkspaceContext.Provider, { value: workspace }, children);
}

export function useWorkspace(): Workspace {
  const ws = useContext(WorkspaceContext);
  if (!ws) throw new Error('useWorkspace must be used inside <WorkspaceProvider>');
  return ws;
}

export function LibraryProvider({
  library,
  children,
}: {
  library: LocalLibrary;
  children: ReactNode;
}) {
  return createElement(LibraryContext.Provider, { value: library }, children);
}

function useLocalLibrary(): LocalLibrary {
  const lib = useContext(LibraryContext);
  if (!lib) throw new Error('useLibrary must be used inside <LibraryProvider>');
  return lib;
}

export function useLibrary(): Library {
  return useLocalLibrary();
}

/** The rows of a sidebar view, newest first; undefined until the first rows are read. */
export function useRows(view: LibraryView): ItemRow[] | undefined {
  const { store } = useLocalLibrary();
  const get = useCallback(() => (store.loaded ? store.view(view) : undefined), [store, view]);
  return useSyncExternalStore(store.subscribe, get);
}

/**
 * A row by id, for lists built from ids (search results). The function is new after every change
 * to the rows, so what is computed with it is recomputed then.
 */
export function useRowLookup(): (id: string) => ItemRow | undefined {
  const { store } = useLocalLibrary();
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` is what invalidates it
  return useCallback((id: string) => store.get(id), [store, version]);
}

export function useRow(id: string | null): ItemRow | null {
  const { store } = useLocalLibrary();
  const get = useCallback(() => (id ? (store.get(id) ?? null) : null), [store, id]);
  return useSyncExternalStore(store.subscribe, get);
}

export function useCounts(): ViewCounts {
  const { store } = useLocalLibrary();
  const get = useCallback(() => store.viewCounts(), [store]);
  return useSyncExternalStore(store.subscribe, get);
}

export function useSaveState(): { pending: number } {
  const lib = useLocalLibrary();
  const pending = useSyncExternalStore(
    useCallback(
      (l: () => void) => {
        lib.on('pending', l);
        return () => lib.off('pending', l);
      },
      [lib],
    ),
    () => lib.pendingWrites(),
  );
  return { pending };
}

export function useMembers(): Member[] {
  const { members } = useLocalLibrary();
  return useSyncExternalStore(members.subscribe, members.get);
}

const LOCAL_ONLY: SyncStatus = { state: 'offline', unconfirmed: 0, error: null };

/** The hub connection's state, or null when the collection is not shared. */
export function useSyncStatus(): SyncStatus | null {
  const lib = useLocalLibrary();
  const subscribe = useCallback(
    (l: () => void) => {
      let unsubscribeSync = lib.sync?.subscribe(l);
      const reconnected = () => {
        unsubscribeSync?.();
        unsubscribeSync = lib.sync?.subscribe(l);
        l();
      };
      lib.on('sync', reconnected);
      return () => {
        unsubscribeSync?.();
        lib.off('sync', reconnected);
      };
    },
    [lib],
  );
  const status = useSyncExternalStore(subscribe, () => lib.sync?.getStatus() ?? LOCAL_ONLY);
  return lib.sync ? status : null;
}

/** The other members online now, from awareness (hostile states are ignored). */
export function usePresence(): Presence[] {
  const { presence } = useLocalLibrary();
  return useSyncExternalStore(presence.subscribe, presence.get);
}

/** What this device may do with the collection. */
export function useAccess(): Access {
  const { access } = useLocalLibrary();
  return useSyncExternalStore(access.subscribe, access.get);
}

/** Why the collection cannot be changed here, as a sentence; null when it can. */
export function useReadOnlyReason(): string | null {
  return readOnlyReason(useAccess());
}

const NO_QUEUE = () => () => {};

/** Whether this link's details are being fetched, waiting to be, or could not be. */
export function useUnfurlStatus(id: string): UnfurlStatus | null {
  const { unfurls } = useLocalLibrary();
  return useSyncExternalStore(unfurls?.subscribe ?? NO_QUEUE, () => unfurls?.status(id) ?? null);
}

/** The library with its data-layer extras (sync, presence), for the features that need them. */
export function useLocalLibraryHandle(): LocalLibrary {
  return useLocalLibrary();
}
