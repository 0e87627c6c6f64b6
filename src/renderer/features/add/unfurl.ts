// The page's title and description while a link is typed into Add link. Never on the save path: a
// link is saved first, offline or not; one saved without a title waits in the library's queue of
// links to fetch (data/unfurl-queue.ts) until its page answers.
import { useEffect, useState } from 'react';
import type { UnfurlResult } from '../../../shared/api';
import { getDesktopApi } from '../../platform/desktop';

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
