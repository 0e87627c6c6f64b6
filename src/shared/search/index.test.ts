import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEARCH_INDEX_OPTIONS, SearchIndex, type SearchDoc } from './index';
import { RankedMiniSearch } from './ranked';

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

describe('a stored index', () => {
  const WORDS = ['raft', 'paxos', 'gossip', 'quorum', 'lease', 'merkle', 'vector', 'clocks'];
  const text = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 });
  const library = fc.uniqueArray(
    fc.record({ id: fc.integer({ min: 0, max: 40 }).map(String), words: text }),
    { selector: (d) => d.id, maxLength: 30 },
  );
  const toDocs = (docs: { id: string; words: string[] }[]) =>
    docs.map((d) => doc(d.id, d.words.join(' '), d.words.slice(1).join(' ')));
  /** Everything each query finds: ids in rank order, and the count. */
  const answers = (search: SearchIndex) =>
    [...WORDS, 'rat', 'merk', 'raft paxos'].map((q) => search.query(q, 1000));
  const found = (search: SearchIndex) =>
    answers(search).map((a) => ({ ids: [...a.ids].sort(), total: a.total }));

  it('read back and brought up to date answers as the index it was, and as a fresh one', () => {
    fc.assert(
      fc.property(library, library, library, (before, during, after) => {
        const kept = index(...toDocs(before));
        // Asked before it changes, so that its sorted words are kept up to date from then on.
        kept.query('raf');
        // Documents discarded and replaced since: MiniSearch still holds some of their postings.
        kept.replaceAll(toDocs(during));
        // As IndexedDB keeps it: a structured clone.
        const restored = SearchIndex.restore(structuredClone(kept.snapshot()))!;
        expect(restored.size).toBe(kept.size);
        expect(answers(restored)).toEqual(answers(kept));
        kept.replaceAll(toDocs(after));
        restored.replaceAll(toDocs(after));
        expect(answers(restored)).toEqual(answers(kept));
        expect(found(restored)).toEqual(found(index(...toDocs(after))));
      }),
    );
  });

  it('re-indexes only the documents that changed since it was written', () => {
    const docs = Array.from({ length: 20 }, (_, i) => doc(String(i), `raft ${i}`));
    const restored = SearchIndex.restore(index(...docs).snapshot())!;
    const changed = docs.map((d, i) => (i === 3 ? doc(d.id, 'paxos 3') : d)).slice(1);
    // One changed, one gone, one new.
    expect(restored.replaceAll([...changed, doc('new', 'raft new')])).toBe(3);
    expect(ids(restored, 'paxos')).toEqual(['3']);
    expect(ids(restored, 'raft')).toHaveLength(19);
  });

  it('is not read back when it is damaged or made another way', () => {
    const snapshot = index(doc('a', 'Bloom filters'), doc('b', 'Merkle trees')).snapshot();
    expect(SearchIndex.restore(undefined)).toBeNull();
    expect(SearchIndex.restore({ ...snapshot, format: 'curio-search/0 1' })).toBeNull();
    const damaged = (change: Partial<typeof snapshot.index>) =>
      SearchIndex.restore({ ...snapshot, index: { ...snapshot.index, ...change } });
    const { postings, terms, shortIds } = snapshot.index;
    expect(damaged({ postings: postings.slice(0, 5) })).toBeNull();
    expect(damaged({ postings: Uint8Array.of(...postings, 0) })).toBeNull();
    // A varint whose last byte says more follow.
    expect(damaged({ postings: Uint8Array.of(...postings.slice(0, -1), 0x81) })).toBeNull();
    // Postings as 32-bit numbers, as an earlier version wrote them.
    expect(damaged({ postings: new Uint32Array(postings) as unknown as Uint8Array })).toBeNull();
    expect(damaged({ terms: [...terms].reverse() })).toBeNull();
    expect(damaged({ shortIds: shortIds.map(() => 0) })).toBeNull();
    expect(damaged({ terms: terms.map((term, i) => (i ? term : 1)) as string[] })).toBeNull();
    expect(SearchIndex.restore({ ...snapshot, signatures: new Float64Array(1) })).toBeNull();
    expect(SearchIndex.restore({ ...snapshot, signatures: [1, 2] })).toBeNull();
    expect(ids(SearchIndex.restore(snapshot)!, 'bloom')).toEqual(['a']);
  });

  it('is written in parts as in one go, and reads back as the index MiniSearch had', () => {
    const mini = new RankedMiniSearch<SearchDoc>(SEARCH_INDEX_OPTIONS);
    mini.addAll(Array.from({ length: 30 }, (_, i) => doc(String(i), `raft ${i} lease`, 'x')));
    mini.discard('4');
    const whole = (size: number) => {
      const parts = mini.compactParts(size);
      for (let count = 0; ; count++) {
        const step = parts.next();
        if (step.done) return { compact: step.value, count };
      }
    };
    const { compact } = whole(5000);
    // The documents, then every seven words.
    expect(whole(7).count).toBe(1 + Math.floor(compact.terms.length / 7));
    for (const size of [1, 7]) expect(whole(size).compact).toEqual(compact);
    // MiniSearch's own JSON of both, with the words in one order: the tree is built differently.
    const json = (search: RankedMiniSearch<SearchDoc>) => {
      const js = JSON.parse(JSON.stringify(search)) as { index: [string, unknown][] };
      js.index.sort(([a], [b]) => (a < b ? -1 : 1));
      return js;
    };
    expect(json(RankedMiniSearch.restore(compact, SEARCH_INDEX_OPTIONS))).toEqual(json(mini));
  });

  it('read back, changes and clears out as the index MiniSearch had', async () => {
    const mini = new RankedMiniSearch<SearchDoc>(SEARCH_INDEX_OPTIONS);
    mini.addAll(Array.from({ length: 30 }, (_, i) => doc(String(i), `raft ${i} lease`, 'x')));
    mini.discard('4');
    const parts = mini.compactParts();
    let step = parts.next();
    while (!step.done) step = parts.next();
    const back = RankedMiniSearch.restore(step.value, SEARCH_INDEX_OPTIONS);
    for (const search of [mini, back]) {
      search.discard('7');
      search.replace(doc('9', 'paxos 9 lease', 'y'));
      search.add(doc('new', 'raft lease paxos', 'z'));
      await search.vacuum();
    }
    const json = (search: RankedMiniSearch<SearchDoc>) => {
      const js = JSON.parse(JSON.stringify(search)) as { index: [string, unknown][] };
      js.index.sort(([a], [b]) => (a < b ? -1 : 1));
      return js;
    };
    expect(json(back)).toEqual(json(mini));
    for (const q of ['lease', 'raf', 'paxos lease', 'x'])
      expect(back.rank(q, 50)).toEqual(mini.rank(q, 50));
  });
});
