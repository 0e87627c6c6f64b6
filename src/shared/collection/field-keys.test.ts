import fc from 'fast-check';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  Materializer,
  addItem,
  changeItemUrl,
  compositeKey,
  maps,
  moveToTrash,
  readItem,
  restoreFromTrash,
  savedItemIds,
  updateItem,
} from '.';
import { fieldKeysOf } from './field-keys';
import { movesOf } from './moves';

const actor = { memberId: 'ana' };
const url = (n: number) => `https://example.com/${n}`;

it('reads a field written under its own key in the same transaction', () => {
  const doc = new Y.Doc();
  const { id } = addItem(doc, { url: url(1), title: 'Saved' }, actor);
  const m = new Materializer(doc, 'ana');
  doc.transact(() => {
    updateItem(doc, id, { title: 'Edited' }, actor);
    expect(m.row(id)?.title).toBe('Edited');
  });
  expect(m.row(id)?.title).toBe('Edited');
});

type Op =
  | { kind: 'add'; n: number; title: string }
  | { kind: 'edit'; n: number; title: string }
  | { kind: 'trash' | 'restore'; n: number }
  | { kind: 'move'; n: number; to: number }
  | { kind: 'raw'; n: number; field: string; value: unknown }
  | { kind: 'unset'; n: number; field: string }
  | { kind: 'sync' };

const n = fc.integer({ min: 0, max: 5 });
const field = fc.constantFrom('title', 'description', 'url', 'key', 'deletedAt', 'addedAt', 'x');
const opArb: fc.Arbitrary<[number, Op]> = fc.tuple(
  fc.integer({ min: 0, max: 1 }),
  fc.oneof(
    fc.record({ kind: fc.constant('add' as const), n, title: fc.string({ maxLength: 5 }) }),
    fc.record({ kind: fc.constant('edit' as const), n, title: fc.string({ maxLength: 5 }) }),
    fc.record({ kind: fc.constantFrom('trash' as const, 'restore' as const), n }),
    fc.record({ kind: fc.constant('move' as const), n, to: fc.integer({ min: 6, max: 8 }) }),
    fc.record({
      kind: fc.constant('raw' as const),
      n,
      field,
      value: fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null)),
    }),
    fc.record({ kind: fc.constant('unset' as const), n, field }),
    fc.record({ kind: fc.constant('sync' as const) }),
  ),
);

function run(doc: Y.Doc, op: Op, other: Y.Doc): void {
  const id = op.kind === 'sync' ? '' : (savedItemIds(maps(doc).items)[op.n] ?? '');
  switch (op.kind) {
    case 'add':
      addItem(doc, { url: url(op.n), title: op.title }, actor);
      break;
    case 'edit':
      if (id) updateItem(doc, id, { title: op.title }, actor);
      break;
    case 'trash':
      if (id) moveToTrash(doc, [id], actor);
      break;
    case 'restore':
      if (id) restoreFromTrash(doc, [id], actor);
      break;
    case 'move':
      if (id) changeItemUrl(doc, id, url(op.to), actor);
      break;
    // What another version of Curio, or a hostile member, may write under a field's own key.
    case 'raw':
      if (id) maps(doc).items.set(compositeKey(id, op.field), op.value);
      break;
    case 'unset':
      if (id) maps(doc).items.delete(compositeKey(id, op.field));
      break;
    case 'sync':
      Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
  }
}

it('reads every item as reading every field key would, whatever was written and merged', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
      const docs = [new Y.Doc(), new Y.Doc()];
      // Made before the changes on one replica, after them on the other.
      fieldKeysOf(docs[0]!);
      for (const [at, op] of ops) run(docs[at]!, op, docs[1 - at]!);
      for (const doc of docs) {
        const { items } = maps(doc);
        const moves = movesOf(doc);
        for (const id of new Set(savedItemIds(items))) {
          const movedIn = moves.group(id);
          const all = readItem(items, id, movedIn);
          expect(readItem(items, id, movedIn, fieldKeysOf(doc))).toEqual(all);
        }
      }
    }),
    { numRuns: 300 },
  );
});
