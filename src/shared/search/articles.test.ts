// The article index: words of the article and of highlights are found, the answer says where,
// with a snippet, and replacing or removing an article takes its words out.
import { describe, expect, it } from 'vitest';
import { ArticleIndex, snippetAround } from './articles';

const RAFT =
  'Raft is a consensus algorithm designed to be understood. It separates leader election, log ' +
  'replication and safety, and a cluster of five servers tolerates two failures.';

describe('ArticleIndex', () => {
  it('finds words of the article and of highlights, and says where they matched', () => {
    const index = new ArticleIndex();
    index.upsert([
      { id: 'raft', article: RAFT, highlights: '' },
      {
        id: 'paxos',
        article: 'Paxos is older than Raft.',
        highlights: 'Lamport wrote it as a parable',
      },
    ]);
    const answer = index.query('replication');
    expect(answer.hits).toEqual([
      {
        id: 'raft',
        where: 'article',
        snippet: expect.stringContaining('log replication and safety'),
      },
    ]);
    expect(index.query('parable').hits).toEqual([
      { id: 'paxos', where: 'highlight', snippet: 'Lamport wrote it as a parable' },
    ]);
    // A prefix, as typing makes, and a word in both articles.
    expect(index.query('consen').hits.map((h) => h.id)).toEqual(['raft']);
    expect(index.query('raft').total).toBe(2);
  });

  it('keeps the article when only the highlights change, and forgets what was removed', () => {
    const index = new ArticleIndex();
    index.upsert([{ id: 'raft', article: RAFT }]);
    index.upsert([{ id: 'raft', highlights: 'five servers tolerates two failures' }]);
    expect(index.query('tolerates').hits[0]).toMatchObject({ where: 'highlight' });
    expect(index.query('understood').hits[0]).toMatchObject({ where: 'article' });
    index.upsert([{ id: 'raft', highlights: '' }]);
    expect(index.query('tolerates').hits[0]).toMatchObject({ where: 'article' });
    index.remove(['raft']);
    expect(index.query('understood').total).toBe(0);
    expect(index.size).toBe(0);
  });

  it('cuts snippets at word boundaries and marks the cuts', () => {
    const text = 'word '.repeat(100) + 'needle ' + 'word '.repeat(100);
    const snippet = snippetAround(text, text.indexOf('needle'), 6);
    expect(snippet.startsWith('…word')).toBe(true);
    expect(snippet.endsWith('word…')).toBe(true);
    expect(snippet).toContain('needle');
    expect(snippetAround('short needle text', 6, 6)).toBe('short needle text');
  });
});
