// Search as you type. Results arrive asynchronously from the index; an answer to an older query
// is dropped so a slow result never overwrites a newer one. The search runs again when the
// collection changes, so a word just typed into a note is findable straight away.
import { useEffect, useLayoutEffect, useState } from 'react';
import { useLibrary } from '../../data/hooks';
import type { SearchHit } from '../../data/types';

/** Hits for the query, best first; undefined when not searching or before the first answer. */
export function useSearch(query: string, revision: unknown): SearchHit[] | undefined {
  const library = useLibrary();
  const [result, setResult] = useState<{ query: string; hits: SearchHit[] } | null>(null);
  const trimmed = query.trim();

  // No debounce: the index answers in a few milliseconds off the main thread, and a stale answer
  // is dropped, so every keystroke gets its own results.
  useEffect(() => {
    if (!trimmed) return;
    let stale = false;
    library.search(trimmed).then(
      (hits) => !stale && setResult({ query: trimmed, hits }),
      () => !stale && setResult({ query: trimmed, hits: [] }),
    );
    return () => {
      stale = true;
    };
  }, [library, trimmed, revision]);

  // A User Timing mark once results for a query are in the DOM: what `npm run bench` measures.
  useLayoutEffect(() => {
    if (result) performance.mark('curio:search', { detail: { query: result.query } });
  }, [result]);

  if (!trimmed) return undefined;
  // Keep showing the previous answer while the next one is computed, to avoid flicker.
  return result?.hits;
}
