// Publishing settings as the UI sees them: this device's account and remote (app settings) and the
// collection's site title, base URL and description (shared document), kept live.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { BlueskySettings } from '../../../shared/publish';
import { useLocalLibraryHandle, useWorkspace } from '../../data/hooks';
import {
  loadBlueskySettings,
  loadSiteLocal,
  readSiteMeta,
  siteSettingsOf,
  subscribeSiteMeta,
  type PublishSettings,
  type SiteLocal,
  type SiteMeta,
} from '../../data/publish-settings';

export interface PublishSettingsView {
  loaded: boolean;
  bluesky: BlueskySettings | null;
  siteLocal: SiteLocal | null;
  siteMeta: SiteMeta;
  /** Ready-to-use settings; a target that is not set up is null. */
  settings: PublishSettings;
  /** Why the site is not set up, when it is not. */
  siteProblem: string | null;
}

export function useSiteMeta(): SiteMeta {
  const library = useLocalLibraryHandle();
  const cache = useRef<{ key: string; value: SiteMeta } | null>(null);
  const subscribe = useCallback(
    (listener: () => void) => subscribeSiteMeta(library.doc, listener),
    [library],
  );
  const get = useCallback(() => {
    const value = readSiteMeta(library.doc);
    const key = JSON.stringify(value);
    if (cache.current?.key !== key) cache.current = { key, value };
    return cache.current.value;
  }, [library]);
  return useSyncExternalStore(subscribe, get);
}

export function usePublishSettings(): PublishSettingsView {
  const { app } = useWorkspace();
  const library = useLocalLibraryHandle();
  const id = library.collectionId;
  const bluesky = useLiveQuery(() => loadBlueskySettings(app, id), [app, id]);
  const siteLocal = useLiveQuery(() => loadSiteLocal(app, id), [app, id]);
  const siteMeta = useSiteMeta();
  // The site's meta lives in the document: a form filled before it replays would show blanks.
  const [docReady, setDocReady] = useState(false);
  useEffect(() => {
    let live = true;
    library.whenReady.then(
      () => live && setDocReady(true),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [library]);
  const site = siteLocal ? siteSettingsOf(siteLocal, siteMeta) : null;
  return {
    loaded: docReady && bluesky !== undefined && siteLocal !== undefined,
    bluesky: bluesky ?? null,
    siteLocal: siteLocal ?? null,
    siteMeta,
    settings: { bluesky: bluesky ?? null, site: site?.ok ? site.settings : null },
    siteProblem: site && !site.ok ? site.problem : null,
  };
}
