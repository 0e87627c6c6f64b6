// RankedMiniSearch.rank against MiniSearch's own search, with the options the app indexes and
// searches the library with: its fields and boosts, stop words, and prefix and typo rules.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SEARCH_INDEX_OPTIONS, type SearchDoc } from './index';
import { RankedMiniSearch, type RankedHit } from './ranked';

type Doc = SearchDoc;

// Words over a tiny alphabet, so that prefixes and one-letter typos of one word are other words;
// long enough for typo tolerance, sometimes capitalised, sometimes a stop word.
const plainWord = fc.stringMatching(/^[abcd]{1,7}$/);
const word = fc.oneof(
  { weight: 6, arbitrary: plainWord },
  { weight: 1, arbitrary: plainWord.map((w) => w[0]!.toUpperCase() + w.slice(1)) },
  { weight: 1, arbitrary: fc.constantFrom('the', 'and', 'of', 'in', 'The') },
);
const text = fc.array(word, { maxLength: 8 }).map((words) => words.join(' '));

const OPTIONS = SEARCH_INDEX_OPTIONS;

type Step =
  | { kind: 'add'; id: number; title: string; tags: string; text: string }
  | { kind: 'discard' | 'remove'; id: number }
  | { kind: 'query'; text: string }
  | { kind: 'vacuum' }
  | { kind: 'clear' };

const steps = fc.array(
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('add' as const),
        id: fc.nat(30),
        title: text,
        tags: text,
        text,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constantFrom('discard', 'remove'), id: fc.nat(30) }),
    },
    // Answering part way through builds the sorted words that later changes must keep current.
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('query' as const), text: word }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('vacuum' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
  ),
  { maxLength: 60, size: 'medium' },
);

/**
 * The index after the history, and the documents it should hold. Discarding leaves a document's
 * postings for vacuuming to drop; removing and vacuuming drop words whose last posting goes.
 */
async function build(
  history: Step[],
): Promise<{ index: RankedMiniSearch<Doc>; live: Map<string, Doc> }> {
  const index = new RankedMiniSearch<Doc>(OPTIONS);
  const live = new Map<string, Doc>();
  for (const step of history) {
    if (step.kind === 'query') index.rank(step.text, 10);
    else if (step.kind === 'vacuum') await index.vacuum();
    else if (step.kind === 'clear') {
      index.removeAll();
      live.clear();
    } else {
      const id = String(step.id);
      const current = live.get(id);
      if (current && step.kind === 'remove') index.remove(current);
      else if (index.has(id)) index.discard(id);
      live.delete(id);
      if (step.kind === 'add') {
        const doc = { id, title: step.title, tags: step.tags, text: step.text };
        index.add(doc);
        live.set(id, doc);
      }
    }
  }
  return { index, live };
}

function byScore(a: { id: string; score: number }, b: { id: string; score: number }): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * MiniSearch's own answer, from an index built afresh with the live documents. On an index with
 * discarded documents MiniSearch counts their stale postings in a word's document frequency or
 * not depending on the order it meets them; `rank` counts live documents only, as a fresh index
 * does.
 */
function reference(live: Map<string, Doc>, query: string): Array<RankedHit & { terms: string[] }> {
  const fresh = new RankedMiniSearch<Doc>(OPTIONS);
  fresh.addAll([...live.values()]);
  return fresh
    .search(query)
    .map((r) => ({ id: String(r.id), score: r.score, terms: [...r.terms].sort() }))
    .sort(byScore);
}

describe('RankedMiniSearch.rank', () => {
  it('finds the documents MiniSearch finds, with the same scores and matched words', async () => {
    await fc.assert(
      fc.asyncProperty(
        steps,
        fc.array(word, { minLength: 1, maxLength: 3 }),
        async (history, words) => {
          const { index, live } = await build(history);
          const query = words.join(' ');
          const expected = reference(live, query);
          const { hits, total, terms } = index.rank(query, Number.MAX_SAFE_INTEGER);
          const actual = [...hits].sort(byScore);
          expect(total).toBe(expected.length);
          expect(actual.map((h) => h.id)).toEqual(expected.map((h) => h.id));
          expect(new Set(terms).size).toBe(terms.length);
          actual.forEach((hit, i) => {
            expect(hit.score).toBeCloseTo(expected[i]!.score, 9);
            // The words a document matched are the answer's words that occur in it.
            const doc = live.get(hit.id)!;
            const own = new Set(`${doc.title} ${doc.tags} ${doc.text}`.toLowerCase().split(' '));
            expect(terms.filter((t) => own.has(t)).sort()).toEqual(expected[i]!.terms);
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('returns the best `limit` documents, best first, and counts them all', async () => {
    await fc.assert(
      fc.asyncProperty(
        steps,
        word,
        fc.integer({ min: 1, max: 5 }),
        async (history, query, limit) => {
          const { index, live } = await build(history);
          const expected = reference(live, query);
          const { hits, total } = index.rank(query, limit);
          expect(total).toBe(expected.length);
          expect(hits.length).toBe(Math.min(limit, expected.length));
          for (let i = 1; i < hits.length; i++)
            expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
          hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]!.score, 9));
        },
      ),
      { numRuns: 400 },
    );
  });

  const add = (id: number, title: string, text = ''): Step => ({
    kind: 'add',
    id,
    title,
    tags: '',
    text,
  });

  it("counts only live documents in a word's document frequency", async () => {
    const { index, live } = await build([add(0, 'b'), add(14, 'b b'), add(14, '')]);
    const [hit] = index.rank('b', 10).hits;
    expect(hit!.score).toBeCloseTo(reference(live, 'b')[0]!.score, 9);
  });

  it('finds a word again after its last document went and a new one brought it back', async () => {
    for (const leave of ['remove', 'vacuum'] as const) {
      const { index, live } = await build([
        add(1, 'abcde'),
        add(2, 'abcd'),
        { kind: 'query', text: 'abc' },
        { kind: leave === 'remove' ? 'remove' : 'discard', id: 1 },
        ...(leave === 'vacuum' ? [{ kind: 'vacuum' as const }] : []),
        { kind: 'query', text: 'abc' },
        add(3, 'abcde'),
      ]);
      const { hits, terms } = index.rank('abc', 10);
      expect(hits.map((h) => h.id).sort()).toEqual(['2', '3']);
      expect(terms.sort()).toEqual(['abcd', 'abcde']);
      expect(hits.map((h) => h.id).sort()).toEqual(
        reference(live, 'abc')
          .map((h) => h.id)
          .sort(),
      );
    }
  });

  it('answers nothing for a query with no words', async () => {
    const { index } = await build([add(1, 'abc', 'd')]);
    expect(index.rank('  ', 10)).toEqual({ hits: [], total: 0, terms: [] });
  });
});
