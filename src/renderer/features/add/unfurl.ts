// Titles and descriptions fetched for new links. Never on the save path: a link is saved first,
// offline or not, and gains its title when (if) the page answers.
import { useEffect, useState } from 'react';
import type { UnfurlResult } from '../../../shared/api';
import { getDesktopApi } from '../../platform/desktop';
import type { Library } from '../../data/types';
import { MAX_DESCRIPTION, MAX_TITLE } from '../../../shared/model';

export type UnfurlState =
  | { status: 'idle' }
  | { status: 'loading'; url: string }
  | { status: 'done'; url: string; result: UnfurlResult }
  | { status: 'failed'; url: string };

const DEBOUNCE_MS = 400;

/** Fetches the page behind `url` (debounced); null means there is nothing to fetch. */
export function useUnfurl(url: string | null): UnfurlState {
  const [state, setState] = useState<UnfurlState>({ status: 'idle' });
  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    const timer = window.setTimeout(() => {
      setState({ status: 'loading', url });
      getDesktopApi()
        .unfurl(url)
        .then(
          (result) => !cancelled && setState({ status: 'done', url, result }),
          () => !cancelled && setState({ status: 'failed', url }),
        );
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [url]);
  return url ? state : { status: 'idle' };
}

/** After saving links without titles: fill them in from the pages, a few at a time. */
export async function fillMissingTitles(
  library: Library,
  urls: readonly string[],
  concurrency = 3,
): Promise<void> {
  const queue = [...urls];
  const worker = async () => {
    for (let url = queue.shift(); url; url = queue.shift()) {
      try {
        const { title, description } = await getDesktopApi().unfurl(url);
        // Read again after the fetch: the curator may have typed a title meanwhile.
        const row = library.findByUrl(url);
        if (!row || row.title || !title) continue;
        library.updateItem(row.id, {
          title: title.slice(0, MAX_TITLE),
          ...(row.description ? {} : { description: description.slice(0, MAX_DESCRIPTION) }),
        });
      } catch {
        // Offline or the page refused: the link shows its URL as its title, which is fine.
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
