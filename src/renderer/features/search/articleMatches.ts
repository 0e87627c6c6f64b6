// Search of the articles kept offline and of highlights, asked alongside the library's own index:
// the list shows links found only here after the others, and each such row says where the words
// matched ("In the article: …", "In a highlight: …").
import { useEffect, useSyncExternalStore } from 'react';
import { MIN_QUERY_LENGTH } from '../../../shared/search';
import type { ArticleAnswer, ArticleHit } from '../../../shared/search/articles';
import { useLocalLibraryHandle } from '../../data/hooks';
import { Observable } from '../../data/observable';

/** The latest article answer, by item, for the rows that show it. */
class ArticleMatches extends Observable {
  private hits = new Map<string, ArticleHit>();
  /** What the window shows now; a new object only when it changes. */
  current: { query: string; answer: ArticleAnswer | null } = { query: '', answer: null };

  set(query: string, answer: ArticleAnswer | null): void {
    if (this.current.answer === answer && this.current.query === query) return;
    this.current = { query, answer };
    this.hits = new Map(answer?.hits.map((hit) => [hit.id, hit]));
    this.changed();
  }
  readonly get = () => this.current;
  hit(id: string): ArticleHit | undefined {
    return this.hits.get(id);
  }
  terms(): readonly string[] {
    return this.current.answer?.terms ?? [];
  }
}

const matches = new ArticleMatches();

/** Asks the article index for the query (when it is long enough); null until it answers. */
export function useArticleSearch(query: string, revision: unknown): ArticleAnswer | null {
  const { articleSearch } = useLocalLibraryHandle();
  const trimmed = query.trim();
  const active = trimmed.length >= MIN_QUERY_LENGTH && articleSearch !== null;
  useEffect(() => {
    if (!active || !articleSearch) {
      matches.set('', null);
      return;
    }
    let stale = false;
    articleSearch.query(trimmed).then(
      (answer) => {
        if (!stale) matches.set(trimmed, answer);
      },
      () => {},
    );
    return () => {
      stale = true;
    };
  }, [articleSearch, trimmed, active, revision]);
  const current = useSyncExternalStore(matches.subscribe, matches.get);
  return active && current.query === trimmed ? current.answer : null;
}

/** Where the article index found the words in this link, while searching. */
export function useArticleMatch(id: string): { hit: ArticleHit; terms: readonly string[] } | null {
  useSyncExternalStore(matches.subscribe, matches.get);
  const hit = matches.hit(id);
  return hit ? { hit, terms: matches.terms() } : null;
}
