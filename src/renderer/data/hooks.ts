// React's way into the library: components subscribe to exactly the slice they show.
import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useRef,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { ItemRow, Member } from '../../shared/model';
import type { AppDb, CollectionEntry } from './db';
import type { LocalLibrary } from './library';
import type { SyncStatus } from './sync';
import type { Library, LibraryView, ViewCounts } from './types';

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
    useCallback((l: () => void) => lib.onPendingChange(l), [lib]),
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
      const unsubscribeLib = lib.onSyncChange(() => {
        unsubscribeSync?.();
        unsubscribeSync = lib.sync?.subscribe(l);
        l();
      });
      return () => {
        unsubscribeSync?.();
        unsubscribeLib();
      };
    },
    [lib],
  );
  const status = useSyncExternalStore(subscribe, () => lib.sync?.getStatus() ?? LOCAL_ONLY);
  return lib.sync ? status : null;
}

export interface Presence {
  clientId: number;
  memberId: string;
  name: string;
  color: string;
  /** The item this member has open, if any. */
  itemId: string | null;
}

function readPresence(lib: LocalLibrary): Presence[] {
  const out: Presence[] = [];
  for (const [clientId, state] of lib.awareness.getStates()) {
    if (clientId === lib.awareness.clientID) continue;
    const user = (state as { user?: { id?: unknown; name?: unknown; color?: unknown } }).user;
    if (!user || typeof user.name !== 'string' || typeof user.color !== 'string') continue;
    const itemId = (state as { itemId?: unknown }).itemId;
    out.push({
      clientId,
      memberId: typeof user.id === 'string' ? user.id : String(clientId),
      name: user.name.slice(0, 80),
      color: /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#888888',
      itemId: typeof itemId === 'string' ? itemId : null,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

/** The other members online now, from awareness (hostile states are ignored). */
export function usePresence(): Presence[] {
  const lib = useLocalLibrary();
  const cache = useRef<{ key: string; value: Presence[] }>({ key: '', value: [] });
  const subscribe = useCallback(
    (l: () => void) => {
      lib.awareness.on('change', l);
      return () => lib.awareness.off('change', l);
    },
    [lib],
  );
  const get = useCallback(() => {
    const value = readPresence(lib);
    const key = JSON.stringify(value);
    if (key !== cache.current.key) cache.current = { key, value };
    return cache.current.value;
  }, [lib]);
  return useSyncExternalStore(subscribe, get);
}

/** The library with its data-layer extras (sync, presence), for the features that need them. */
export function useLocalLibraryHandle(): LocalLibrary {
  return useLocalLibrary();
}

/** False while the document is still being read from disk (rows are already shown). */
export function useReady(): boolean {
  const lib = useLocalLibrary();
  return useSyncExternalStore(
    useCallback((l: () => void) => lib.onPendingChange(l), [lib]),
    () => lib.ready,
  );
}
