// Search as you type. Results arrive asynchronously from the index; an answer to an older query
// is dropped so a slow result never overwrites a newer one. The search runs again when the
// collection changes, so a word just typed into a note is findable straight away.
import { useEffect, useState } from 'react';
import { useLibrary } from '../../data/hooks';
import type { SearchHit } from '../../data/types';

const DEBOUNCE_MS = 60;

/** Hits for the query, best first; undefined when not searching or before the first answer. */
export function useSearch(query: string, revision: unknown): SearchHit[] | undefined {
  const library = useLibrary();
  const [result, setResult] = useState<{ query: string; hits: SearchHit[] } | null>(null);
  const trimmed = query.trim();

  useEffect(() => {
    if (!trimmed) return;
    let stale = false;
    const timer = window.setTimeout(() => {
      library.search(trimmed).then(
        (hits) => !stale && setResult({ query: trimmed, hits }),
        () => !stale && setResult({ query: trimmed, hits: [] }),
      );
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      window.clearTimeout(timer);
    };
  }, [library, trimmed, revision]);

  if (!trimmed) return undefined;
  // Keep showing the previous answer while the next one is computed, to avoid flicker.
  return result?.hits;
}
