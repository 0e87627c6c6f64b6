import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ItemRow } from '../../shared/model';
import { GatheredRows, RowStore, recordedChange } from './rows';
import { row } from './rows-testing';

describe('RowStore', () => {
  it('has its views up to date before it tells listeners, so what they read is what it keeps', () => {
    const store = new RowStore();
    store.reset([row('a', 1), row('b', 2, 'read')]);
    expect(store.view('unread').map((r) => r.id)).toEqual(['a']);
    const seen: ItemRow[][] = [];
    store.subscribe(() => seen.push(store.view('unread')));
    store.apply({ upserts: [row('c', 3)], removals: [] });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(store.view('unread'));
    expect(seen[0]!.map((r) => r.id)).toEqual(['c', 'a']);
  });

  it('tells which rows a change touched, and that any may have after a reset or a large change', () => {
    const store = new RowStore();
    const seen: (readonly string[] | null)[] = [];
    const stop = store.subscribeTouched((ids) => seen.push(ids));
    store.reset([row('a', 1), row('b', 2)]);
    store.apply({ upserts: [row('c', 3)], removals: ['a'] });
    store.apply({ upserts: Array.from({ length: 65 }, (_, i) => row(`n${i}`, i)), removals: [] });
    stop();
    store.apply({ upserts: [row('d', 4)], removals: [] });
    expect(seen).toEqual([null, ['c', 'a'], null]);
  });

  it('shows rows gathered a page at a time exactly as it shows them reset at once, and goes on from there', async () => {
    const rowArb = fc.record({
      id: fc.integer({ min: 0, max: 60 }).map((n) => `r${n}`),
      addedAt: fc.integer({ min: 0, max: 8 }),
      status: fc.constantFrom('unread' as const, 'read' as const, 'trash' as const),
      tags: fc.subarray(['x', 'y']),
      published: fc.boolean(),
    });
    const views = ['all', 'unread', 'read', 'trash', 'published', 'unpublished', 'tag:x'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(rowArb, { maxLength: 12 }), { maxLength: 12 }),
        fc.array(rowArb, { maxLength: 3 }),
        async (pages, change) => {
          const made = pages.map((page) =>
            page.map((r) => row(r.id, r.addedAt, r.status, r.tags, r.published)),
          );
          // A row whose id came in an earlier page (or earlier in its page) is left out.
          const seen = new Set<string>();
          const unique = made.flat().filter((r) => !seen.has(r.id) && seen.add(r.id));
          // Every merge and split lets the window go on at least once on the way.
          let slices = 0;
          const gathered = new GatheredRows(() => (slices++, Promise.resolve()));
          for (const page of made) await gathered.add(page);
          await gathered.finish();
          if (unique.length) expect(slices).toBeGreaterThan(0);
          expect(gathered.size).toBe(unique.length);
          const store = new RowStore();
          store.resetGathered(gathered);
          const reference = new RowStore();
          reference.reset(unique);
          const ids = (rows: ItemRow[]) => rows.map((r) => r.id);
          const same = () => {
            expect(ids(store.all())).toEqual(ids(reference.all()));
            for (const view of views)
              expect(ids(store.view(view))).toEqual(ids(reference.view(view)));
            expect(store.viewCounts()).toEqual(reference.viewCounts());
          };
          same();
          // The counts it was handed keep counting.
          const upserts = change.map((r) => row(r.id, r.addedAt, r.status, r.tags, r.published));
          const unchanged = new Map(upserts.map((r) => [r.id, r]));
          store.apply({ upserts: [...unchanged.values()], removals: [] });
          reference.apply({ upserts: [...unchanged.values()], removals: [] });
          same();
        },
      ),
    );
  });

  it('keeps every view equal to a fresh sort and filter, whatever the order of changes', () => {
    const rowArb = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
      addedAt: fc.integer({ min: 0, max: 5 }),
      status: fc.constantFrom('unread' as const, 'read' as const, 'trash' as const),
      tags: fc.subarray(['x', 'y']),
      published: fc.boolean(),
    });
    const views = ['all', 'unread', 'read', 'trash', 'published', 'unpublished', 'tag:x'] as const;
    const changeArb = fc.record({
      upserts: fc.array(rowArb, { maxLength: 3 }),
      // Views read before the change are edited in place; the others are derived afresh.
      looked: fc.subarray([...views]),
      removals: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 30 }), (changes) => {
        const store = new RowStore();
        store.reset([]);
        const model = new Map<string, ItemRow>();
        for (const change of changes) {
          const upserts = change.upserts.map((r) =>
            row(r.id, r.addedAt, r.status, r.tags, r.published),
          );
          const lists = [...change.looked.map((view) => () => store.view(view)), () => store.all()];
          const before = lists.map((list) => list());
          const removals = change.removals.filter((id) => !upserts.some((u) => u.id === id));
          store.apply({ upserts, removals });
          // Each list edited says which stretch changed; the rows either side are the same rows.
          lists.forEach((list, n) => {
            const [was, now] = [before[n]!, list()];
            const edited = recordedChange(was, now)!;
            expect(edited.start).toBeLessThanOrEqual(Math.min(edited.beforeEnd, edited.afterEnd));
            expect(now.length - edited.afterEnd).toBe(was.length - edited.beforeEnd);
            was.slice(0, edited.start).forEach((r, i) => expect(now[i]).toBe(r));
            now.slice(edited.afterEnd).forEach((r, i) => expect(r).toBe(was[edited.beforeEnd + i]));
          });
          upserts.forEach((r) => model.set(r.id, r));
          removals.forEach((id) => model.delete(id));
          const expected = [...model.values()].sort(
            (a, b) => b.addedAt - a.addedAt || (a.id < b.id ? -1 : 1),
          );
          expect(store.all().map((r) => r.id)).toEqual(expected.map((r) => r.id));
          expect(store.view('unread').map((r) => r.id)).toEqual(
            expected.filter((r) => r.status === 'unread').map((r) => r.id),
          );
          const live = expected.filter((r) => r.status !== 'trash');
          const published = (r: ItemRow) => Object.keys(r.publications).length > 0;
          const reference: Record<(typeof views)[number], ItemRow[]> = {
            all: live,
            unread: expected.filter((r) => r.status === 'unread'),
            read: expected.filter((r) => r.status === 'read'),
            trash: expected.filter((r) => r.status === 'trash'),
            published: live.filter(published),
            unpublished: live.filter((r) => !published(r)),
            'tag:x': live.filter((r) => r.tags.includes('x')),
          };
          for (const view of views)
            expect(store.view(view).map((r) => r.id)).toEqual(reference[view].map((r) => r.id));
          const counts = store.viewCounts();
          for (const view of views.filter((v) => v !== 'tag:x'))
            expect(counts[view as Exclude<typeof view, 'tag:x'>]).toBe(reference[view].length);
          const tagCounts = new Map<string, number>();
          for (const r of live)
            for (const t of r.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
          expect(counts.tags).toEqual(
            [...tagCounts].sort().map(([tag, count]) => ({ tag, count })),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
