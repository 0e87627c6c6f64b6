// The conversation of one pick's Bluesky post for the detail pane: what is stored, read again from
// the AppView when the pick opens online and what is stored is old, and on Refresh.
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { DEFAULT_APPVIEW } from '../../../shared/publish';
import { isHttpUrl } from '../../../shared/model';
import { useLocalLibraryHandle } from '../../data/hooks';
import type { ItemRow } from '../../data/types';
import { getDesktopApi } from '../../platform/desktop';
import { usePublishSettings } from '../publish/usePublishSettings';
import { conversationsFor, type ConversationStore } from './conversation-store';

export function useConversationStore(): ConversationStore {
  const library = useLocalLibraryHandle();
  return conversationsFor(library.db, getDesktopApi());
}

/** The AT URI of a pick's post on Bluesky, once it is published there. */
export function postUri(row: ItemRow): string | null {
  const record = row.publications.bluesky;
  return record?.state === 'published' && record.ref?.startsWith('at://') ? record.ref : null;
}

export function useConversation(row: ItemRow) {
  const store = useConversationStore();
  const settings = usePublishSettings();
  useSyncExternalStore(store.subscribe, store.getVersion);
  const uri = postUri(row);
  const appView = settings.bluesky?.appViewUrl ?? DEFAULT_APPVIEW;
  const refresh = useCallback(() => {
    if (uri && isHttpUrl(appView)) void store.refresh([{ itemId: row.id, uri }], appView);
  }, [store, row.id, uri, appView]);
  useEffect(() => {
    if (!uri || !settings.loaded) return;
    void store.whenLoaded().then(() => {
      if (navigator.onLine && store.isStale({ itemId: row.id, uri })) refresh();
    });
  }, [store, row.id, uri, settings.loaded, refresh]);
  return {
    uri,
    stored: uri ? store.get(row.id, uri) : undefined,
    reading: store.isReading(row.id),
    refresh,
  };
}
