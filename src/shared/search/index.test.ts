import { describe, expect, it } from 'vitest';
import { SearchIndex, type SearchDoc } from './index';

const doc = (id: string, title: string, text = '', tags = ''): SearchDoc => ({
  id,
  title,
  tags,
  text,
});

function index(...docs: SearchDoc[]): SearchIndex {
  const search = new SearchIndex();
  search.upsert(docs);
  return search;
}

const ids = (search: SearchIndex, query: string) => search.query(query).ids;

describe('SearchIndex', () => {
  const search = index(
    doc('raft', 'In search of an understandable consensus algorithm', 'raft.github.io', 'raft'),
    doc('paxos', 'Paxos made simple', 'lamport.azurewebsites.net consensus'),
    doc('crdt', 'Conflict-free replicated data types', 'hal.inria.fr'),
    doc('gossip', 'Epidemic algorithms for replicated database maintenance', 'gossip'),
  );

  it('completes the word being typed from three letters, and ranks titles first', () => {
    expect(ids(search, 'cons')).toEqual(['raft', 'paxos']);
    expect(ids(search, 'co')).toEqual([]);
  });

  it('forgives a typo in a longer word', () => {
    expect(ids(search, 'replicaetd')).toEqual(expect.arrayContaining(['crdt', 'gossip']));
    expect(ids(search, 'algoritm')).toEqual(expect.arrayContaining(['raft', 'gossip']));
  });

  it('needs every word, and ignores words too common to mean anything', () => {
    expect(ids(search, 'replicated types')).toEqual(['crdt']);
    expect(ids(search, 'replicated data')).toEqual(['crdt', 'gossip']); // data… is still being typed
    expect(ids(search, 'the paxos')).toEqual(['paxos']);
  });

  it('names the words that matched in the matching documents, for highlighting', () => {
    const answer = search.query('replicaetd alg');
    expect(answer.ids).toEqual(['gossip']);
    // Not "algorithm": only the consensus paper has it, and it does not match both words.
    expect(answer.terms.sort()).toEqual(['algorithms', 'replicated']);
  });

  it('returns the best matches up to the limit and counts them all', () => {
    const many = index(...Array.from({ length: 30 }, (_, i) => doc(String(i), `raft note ${i}`)));
    const answer = many.query('raft', 10);
    expect(answer.ids).toHaveLength(10);
    expect(answer.total).toBe(30);
  });

  it('forgets removed and replaced documents', () => {
    const s = index(doc('a', 'Bloom filters'), doc('b', 'Merkle trees'));
    s.remove(['a']);
    s.upsert([doc('b', 'Bloom clocks')]);
    expect(ids(s, 'bloom')).toEqual(['b']);
    expect(ids(s, 'merkle')).toEqual([]);
  });

  it('answers the same after warming up', () => {
    const s = index(
      ...Array.from({ length: 50 }, (_, i) => doc(String(i), `linearizable ${i} register`)),
    );
    const before = s.query('lin');
    s.warm();
    expect(s.query('lin')).toEqual(before);
  });
});
