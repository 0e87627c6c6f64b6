// A stored article as the reader needs it: the frame's document with the pictures as blob: URLs
// (revoked when the article closes), and the text highlights are anchored in.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useLocalLibraryHandle } from '../../data/hooks';
import type { StoredArticle } from '../../data/snapshots';
import { articleDocument } from './article-document';

export type ArticleLoad =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'ready'; article: StoredArticle; srcdoc: string };

export function useStoredArticle(id: string, version: number): ArticleLoad {
  const { snapshots } = useLocalLibraryHandle();
  const [load, setLoad] = useState<ArticleLoad>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    const urls: string[] = [];
    snapshots.read(id).then(
      (article) => {
        if (cancelled) return;
        if (!article) return setLoad({ state: 'missing' });
        const images = new Map<string, string>();
        for (const image of article.images) {
          const url = URL.createObjectURL(image.blob);
          urls.push(url);
          images.set(image.placeholder, url);
        }
        setLoad({ state: 'ready', article, srcdoc: articleDocument(article, images) });
      },
      (error: unknown) => {
        console.error('The stored article could not be read:', error);
        if (!cancelled) setLoad({ state: 'missing' });
      },
    );
    return () => {
      cancelled = true;
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, [snapshots, id, version]);
  return load;
}

/** The texts of the last few articles looked at: opening a link's details costs one parse. */
const texts = new Map<string, { fetchedAt: number; text: string }>();
const KEPT_TEXTS = 8;

/**
 * The article's text as the reader's frame has it (its HTML's text nodes), for anchoring
 * highlights outside the reader; null while it is read, when this device has no copy, or when
 * it is not `wanted` (a link without highlights has nothing to anchor).
 */
export function useAnchorText(id: string, wanted = true): string | null {
  const { snapshots } = useLocalLibraryHandle();
  const fetchedAt = useSyncExternalStore(
    snapshots.subscribe,
    () => snapshots.meta(id)?.fetchedAt ?? null,
  );
  const [, setRead] = useState(0);
  const known = texts.get(id);
  const current = fetchedAt !== null && known?.fetchedAt === fetchedAt ? known.text : null;
  useEffect(() => {
    if (!wanted || fetchedAt === null || texts.get(id)?.fetchedAt === fetchedAt) return;
    let cancelled = false;
    void snapshots.read(id).then((article) => {
      if (cancelled || !article) return;
      const doc = new DOMParser().parseFromString(
        `<!doctype html><body>${article.html}`,
        'text/html',
      );
      texts.delete(id);
      texts.set(id, { fetchedAt, text: doc.body.textContent ?? '' });
      if (texts.size > KEPT_TEXTS) texts.delete(texts.keys().next().value!);
      setRead((n) => n + 1);
    });
    return () => {
      cancelled = true;
    };
  }, [snapshots, id, fetchedAt, wanted]);
  return current;
}
