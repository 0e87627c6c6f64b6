// What the site would look like after this press, asked of the main process (which fetches the
// site's repository and compares against the manifest there) whenever the set of picks changes.
import { useEffect, useState } from 'react';
import type { SitePreview, SiteSettings } from '../../../shared/publish';
import { getDesktopApi } from '../../platform/desktop';
import type { Outbox } from '../../data/outbox';

export type SitePreviewState =
  | { state: 'off' }
  | { state: 'checking' }
  | { state: 'ready'; preview: SitePreview }
  | { state: 'failed'; error: string };

export function useSitePreview(
  outbox: Outbox | null,
  settings: SiteSettings | null,
  /** Items this press adds to the site; null when the site is not a target. */
  adding: readonly string[] | null,
  typed: Readonly<Record<string, string>>,
  /** Changes whenever the collection does (another device may publish meanwhile). */
  version: number,
): SitePreviewState {
  const [result, setResult] = useState<{ key: string; value: SitePreviewState } | null>(null);
  const key = adding && settings && outbox ? JSON.stringify([adding, settings, version]) : null;
  useEffect(() => {
    if (!key || !outbox || !settings || !adding) return;
    let live = true;
    // The typed words are read once per key: typing a blurb changes no entry's place in the list.
    const picks = outbox.sitePicks(adding, typed);
    getDesktopApi()
      .previewSite(picks, settings)
      .then(
        (preview) => ({ state: 'ready' as const, preview }),
        (error: unknown) => ({
          state: 'failed' as const,
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .then((value) => {
        if (live) setResult({ key, value });
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key stands for adding, settings and version.
  }, [key, outbox]);
  if (!key) return { state: 'off' };
  return result?.key === key ? result.value : { state: 'checking' };
}
