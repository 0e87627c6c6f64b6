// Highlights in the shared document: two maintainers highlighting at once (even the same words)
// both keep theirs, a delete removes one, emptying Trash removes them with the link, and whatever
// an editor writes under the highlights map is read defensively.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { describeRange } from '../annotate';
import {
  HighlightIndex,
  addHighlight,
  addItem,
  changeItemUrl,
  deleteHighlight,
  highlightsMap,
  purgeItems,
  type Actor,
} from '.';

const TEXT = 'Raft separates leader election, log replication and safety. Leaders decide.';
const ana: Actor = { memberId: 'ana', now: () => 1000 };
const ben: Actor = { memberId: 'ben', now: () => 2000 };

function quoteOf(words: string) {
  const start = TEXT.indexOf(words);
  return describeRange(TEXT, { start, end: start + words.length })!;
}

function replica(): { doc: Y.Doc; id: string } {
  const doc = new Y.Doc();
  const id = addItem(doc, { url: 'https://raft.github.io/' }, ana).id;
  return { doc, id };
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('highlights', () => {
  it('two maintainers highlighting apart both keep theirs, even the same words', () => {
    const a = replica();
    const b = { doc: new Y.Doc(), id: a.id };
    sync(a.doc, b.doc);
    addHighlight(a.doc, a.id, { ...quoteOf('leader election'), note: 'Ana' }, ana);
    addHighlight(b.doc, b.id, { ...quoteOf('leader election'), note: 'Ben' }, ben);
    addHighlight(b.doc, b.id, { ...quoteOf('Leaders decide.') }, ben);
    sync(a.doc, b.doc);
    for (const doc of [a.doc, b.doc]) {
      const index = new HighlightIndex(doc);
      expect(index.of(a.id).map((h) => [h.quote.exact, h.note, h.by])).toEqual([
        ['leader election', 'Ana', 'ana'],
        ['leader election', 'Ben', 'ben'],
        ['Leaders decide.', '', 'ben'],
      ]);
      index.destroy();
    }
  });

  it('concurrent adds and deletes converge on every replica', () => {
    const words = ['Raft', 'leader election', 'log replication', 'safety', 'Leaders decide.'];
    const op = fc.record({
      replica: fc.nat(2),
      kind: fc.constantFrom('add', 'delete', 'sync'),
      word: fc.nat(words.length - 1),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const first = replica();
        const docs = [first.doc, new Y.Doc(), new Y.Doc()];
        sync(docs[0]!, docs[1]!);
        sync(docs[0]!, docs[2]!);
        const added: string[] = [];
        const deleted = new Set<string>();
        for (const { replica: r, kind, word } of ops) {
          const doc = docs[r]!;
          if (kind === 'add') {
            const id = addHighlight(doc, first.id, quoteOf(words[word]!), {
              memberId: `m${r}`,
            });
            added.push(id!);
          } else if (kind === 'delete') {
            const visible = new HighlightIndex(doc).of(first.id);
            const victim = visible[word % Math.max(1, visible.length)];
            if (victim) {
              deleteHighlight(doc, first.id, victim.id, { memberId: `m${r}` });
              deleted.add(victim.id);
            }
          } else sync(docs[r]!, docs[(r + 1) % 3]!);
        }
        sync(docs[0]!, docs[1]!);
        sync(docs[1]!, docs[2]!);
        sync(docs[0]!, docs[1]!);
        const expected = added.filter((id) => !deleted.has(id)).sort();
        for (const doc of docs) {
          const ids = new HighlightIndex(doc)
            .of(first.id)
            .map((h) => h.id)
            .sort();
          expect(ids).toEqual(expected);
        }
      }),
    );
  });

  it('deletes one highlight and leaves the others', () => {
    const { doc, id } = replica();
    const index = new HighlightIndex(doc);
    const changed: string[][] = [];
    index.subscribe((ids) => changed.push([...ids]));
    const first = addHighlight(doc, id, quoteOf('Raft'), ana)!;
    addHighlight(doc, id, quoteOf('safety'), ana);
    deleteHighlight(doc, id, first, ana);
    expect(index.of(id).map((h) => h.quote.exact)).toEqual(['safety']);
    expect(changed).toEqual([[id], [id], [id]]);
  });

  it('refuses a highlight on a link that is not in the collection', () => {
    const doc = new Y.Doc();
    expect(addHighlight(doc, 'nothere', quoteOf('Raft'), ana)).toBeNull();
    expect(highlightsMap(doc).size).toBe(0);
  });

  it('emptying Trash takes the highlights of the links it deletes', () => {
    const { doc, id } = replica();
    const other = addItem(doc, { url: 'https://example.com/kept' }, ana).id;
    addHighlight(doc, id, quoteOf('Raft'), ana);
    addHighlight(doc, other, quoteOf('safety'), ana);
    purgeItems(doc, [id], ana);
    const index = new HighlightIndex(doc);
    expect(index.of(id)).toEqual([]);
    expect(index.of(other)).toHaveLength(1);
  });

  it('a link given a new URL keeps its highlights, and new ones land on the moved link', () => {
    const { doc, id } = replica();
    addHighlight(doc, id, quoteOf('Raft'), ana);
    const moved = changeItemUrl(doc, id, 'https://raft.github.io/raft.pdf', ana);
    expect(moved).not.toBe(id);
    const index = new HighlightIndex(doc);
    expect(index.of(moved).map((h) => h.quote.exact)).toEqual(['Raft']);
    // Someone still holding the old id highlights: it goes onto the link where it lives now.
    addHighlight(doc, id, quoteOf('safety'), ben);
    expect(index.of(moved).map((h) => h.quote.exact)).toEqual(['Raft', 'safety']);
    expect(index.of(id)).toEqual([]);
  });

  it('leaves out whatever an editor wrote that is not a highlight, and never throws', () => {
    const { doc, id } = replica();
    const good = addHighlight(doc, id, quoteOf('Raft'), ana)!;
    const index = new HighlightIndex(doc);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 40 }), fc.jsonValue()), { maxLength: 20 }),
        (writes) => {
          doc.transact(() => {
            for (const [key, value] of writes) {
              // Never the good highlight's own key: that one is the control.
              if (key !== `${id}/${good}`) highlightsMap(doc).set(key, value);
            }
          });
          expect(index.of(id).some((h) => h.id === good)).toBe(true);
          for (const h of index.of(id)) expect(typeof h.quote.exact).toBe('string');
        },
      ),
    );
    // Hand-made hostile values: wrong types, an overlong note, a position that ends first.
    const hostile: Array<[string, unknown]> = [
      [`${id}/x1`, { quote: 'Raft', position: null, note: '', by: 'eve', at: 1 }],
      [`${id}/x2`, { ...index.of(id)[0], note: 'n'.repeat(20_000) }],
      [
        `${id}/x3`,
        { ...index.of(id)[0], position: { type: 'TextPositionSelector', start: 5, end: 2 } },
      ],
      [`${id}/../x4`, index.of(id)[0]],
      [`${id}/x5`, null],
    ];
    doc.transact(() => {
      for (const [key, value] of hostile) highlightsMap(doc).set(key, value);
    });
    expect(index.of(id).filter((h) => h.id.startsWith('x'))).toEqual([]);
  });
});
