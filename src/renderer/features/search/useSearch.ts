// Search as you type. Most answers are back within the keystroke's own task, the rest come a
// moment later from the search worker (search-client.ts); an answer to an older query is dropped
// so a slow result never overwrites a newer one. The search runs again when the
// collection changes, so a word just typed into a note is findable straight away.
import { useEffect, useLayoutEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { MIN_QUERY_LENGTH, PREFIX_MIN_LENGTH } from '../../../shared/search';
import { useLibrary } from '../../data/hooks';
import type { Library, SearchAnswer } from '../../data/types';

export interface SearchState {
  /** The query is long enough to search: the list shows results, not the sidebar view. */
  active: boolean;
  /** The latest answer, or undefined before the first. */
  answer: SearchAnswer | undefined;
  /** The answer is for an earlier query; the answer to this one is on its way. */
  pending: boolean;
}

/** Whether a query is long enough to search; a single letter would match nearly everything. */
function isSearchable(query: string): boolean {
  return query.trim().length >= MIN_QUERY_LENGTH;
}

/**
 * Asks for a query's answer as the key is pressed, before the window renders the keystroke, and
 * `useSearch` then shares that answer: usually it is already there, and both render in one frame.
 */
export function searchAhead(library: Library, query: string): void {
  if (isSearchable(query)) void library.search(query.trim());
}

export function useSearch(query: string, revision: unknown): SearchState {
  const library = useLibrary();
  const [result, setResult] = useState<{ query: string; answer: SearchAnswer } | null>(null);
  const trimmed = query.trim();
  const active = isSearchable(trimmed);
  // A search that ends forgets its answer: the next one starts from the view, not from old results.
  if (!active && result !== null) setResult(null);

  // No debounce: the index answers in a few milliseconds off the main thread, and a stale answer
  // is dropped, so every keystroke gets its own results. The answer is rendered as soon as it
  // arrives (flushSync), not a scheduler task later; one already there renders before the frame.
  useEffect(() => {
    if (!active) return;
    let stale = false;
    const show = (answer: SearchAnswer) => {
      if (!stale) flushSync(() => setResult({ query: trimmed, answer }));
    };
    library.search(trimmed).then(show, () => show({ ids: [], terms: [], total: 0 }));
    return () => {
      stale = true;
    };
  }, [library, trimmed, active, revision]);

  // A User Timing mark once what a keystroke asked for is in the DOM: the results for its query,
  // or for a query too short to search, the unfiltered list. `npm run bench` measures to it.
  const shown = active ? result?.query : trimmed;
  useLayoutEffect(() => {
    if (shown) performance.mark('curio:search', { detail: { query: shown } });
  }, [shown, result]);

  // A query too short to match longer words, that is no word itself, keeps the view on screen
  // (as a single letter does) rather than flashing "No links match" before the next letter, and
  // the view also stays while the next letter's answer is on its way.
  const tooShort =
    result !== null && result.answer.total === 0 && result.query.length < PREFIX_MIN_LENGTH;
  if (!active || (tooShort && result.query === trimmed))
    return { active: false, answer: undefined, pending: false };
  // Keep showing the previous answer while the next one is computed, to avoid flicker.
  const answer = tooShort ? undefined : result?.answer;
  return { active, answer, pending: result?.query !== trimmed };
}
