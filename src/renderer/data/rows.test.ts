import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ItemRow } from '../../shared/model';
import { RowStore } from './rows';

const row = (
  id: string,
  addedAt: number,
  status: ItemRow['status'] = 'unread',
  tags: string[] = [],
): ItemRow => ({
  id,
  url: `https://example.com/${id}`,
  key: `example.com/${id}`,
  host: 'example.com',
  title: id,
  description: '',
  image: null,
  tags,
  note: '',
  addedAt,
  addedBy: 'm',
  deletedAt: status === 'trash' ? 1 : null,
  readBy: {},
  readAt: status === 'read' ? 1 : null,
  status,
  publications: {},
});

describe('RowStore', () => {
  it('keeps every view equal to a fresh sort and filter, whatever the order of changes', () => {
    const rowArb = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
      addedAt: fc.integer({ min: 0, max: 5 }),
      status: fc.constantFrom('unread' as const, 'read' as const, 'trash' as const),
      tags: fc.subarray(['x', 'y']),
    });
    const changeArb = fc.record({
      upserts: fc.array(rowArb, { maxLength: 3 }),
      removals: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 30 }), (changes) => {
        const store = new RowStore();
        store.reset([]);
        const model = new Map<string, ItemRow>();
        for (const change of changes) {
          const upserts = change.upserts.map((r) => row(r.id, r.addedAt, r.status, r.tags));
          const removals = change.removals.filter((id) => !upserts.some((u) => u.id === id));
          store.view('all'); // make sure the sorted order exists, so the in-place path is taken
          store.apply({ upserts, removals });
          upserts.forEach((r) => model.set(r.id, r));
          removals.forEach((id) => model.delete(id));
          const expected = [...model.values()].sort(
            (a, b) => b.addedAt - a.addedAt || (a.id < b.id ? -1 : 1),
          );
          expect(store.all().map((r) => r.id)).toEqual(expected.map((r) => r.id));
          expect(store.view('unread').map((r) => r.id)).toEqual(
            expected.filter((r) => r.status === 'unread').map((r) => r.id),
          );
          expect(store.view('tag:x').map((r) => r.id)).toEqual(
            expected.filter((r) => r.status !== 'trash' && r.tags.includes('x')).map((r) => r.id),
          );
          expect(store.viewCounts().trash).toBe(
            expected.filter((r) => r.status === 'trash').length,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
