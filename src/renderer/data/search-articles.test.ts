// The article index follows the device's articles and the document's highlights: a kept article
// is searchable, one fetched again is indexed again, a removed one leaves, and a highlight made
// (here or by another maintainer) is found "in a highlight".
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as Y from 'yjs';
import type { ArticleSnapshot } from '../../shared/article';
import { HighlightIndex, addHighlight, addItem } from '../../shared/collection';
import { describeRange } from '../../shared/annotate';
import { CollectionDb } from './db';
import { ArticleSearch, InlineArticleSearch } from './search-articles';
import { SnapshotStore } from './snapshots';

function article(text: string, fetchedAt: number): ArticleSnapshot {
  return {
    url: 'https://raft.github.io/',
    finalUrl: 'https://raft.github.io/',
    title: 'Raft',
    html: `<p>${text}</p>`,
    text,
    excerpt: null,
    byline: null,
    siteName: null,
    publishedAt: null,
    lang: null,
    dir: null,
    wordCount: 10,
    readingMinutes: 1,
    fetchedAt,
    images: [],
    imagesLeftOut: 0,
  };
}

describe('ArticleSearch', () => {
  it('indexes kept articles and highlights, and follows their changes', async () => {
    const doc = new Y.Doc();
    const id = addItem(doc, { url: 'https://raft.github.io/' }, { memberId: 'ana' }).id;
    const snapshots = new SnapshotStore(new CollectionDb('c', new IDBFactory(), IDBKeyRange));
    await snapshots.load();
    await snapshots.save(id, article('Leaders replicate the log to followers.', 1));
    const highlights = new HighlightIndex(doc);
    const search = new ArticleSearch(new InlineArticleSearch(), snapshots, highlights);
    await search.start();
    expect((await search.query('followers')).hits).toEqual([
      { id, where: 'article', snippet: 'Leaders replicate the log to followers.' },
    ]);

    // Fetched again with other words: the old ones are gone.
    await snapshots.save(id, article('Candidates ask for votes.', 2));
    await expect.poll(async () => (await search.query('followers')).total).toBe(0);
    expect((await search.query('votes')).total).toBe(1);

    // A highlight, as it would arrive from another maintainer.
    const text = 'Candidates ask for votes.';
    addHighlight(
      doc,
      id,
      { ...describeRange(text, { start: 0, end: 10 })!, note: 'elections' },
      {
        memberId: 'ben',
      },
    );
    expect((await search.query('elections')).hits[0]).toMatchObject({ id, where: 'highlight' });

    await snapshots.remove([id]);
    await expect.poll(async () => (await search.query('votes')).total).toBe(0);
    // The article left; the highlight's words stay findable.
    expect((await search.query('candidates')).hits[0]).toMatchObject({ where: 'highlight' });
    search.close();
  });
});
