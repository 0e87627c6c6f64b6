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
import type { LocalLibrary } from './library';
import type { Library, LibraryView, ViewCounts } from './types';

const LibraryContext = createContext<LocalLibrary | null>(null);

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
    useCallback((l: () => void) => lib.log.onChange(l), [lib]),
    () => lib.log.pending,
  );
  return { pending };
}

export function useMembers(): Member[] {
  const { members } = useLocalLibrary();
  return useSyncExternalStore(members.subscribe, members.get);
}
