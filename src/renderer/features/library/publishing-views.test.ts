// "Published" and "Not yet published": the store's cached views, its counts and the filter the
// list uses for search results must agree for any mix of publication states.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PublicationRecord, PublicationState } from '../../../shared/model';
import { itemRow } from '../../../shared/publish/testing';
import { RowStore } from '../../data/rows';
import { rowInView } from './views';

const state = fc.option(fc.constantFrom<PublicationState>('publishing', 'published', 'failed'), {
  nil: undefined,
});
const record = (target: PublicationRecord['target'], s: PublicationState): PublicationRecord => ({
  target,
  key: 'k',
  by: 'm1',
  at: 1,
  state: s,
});

const rowsArb = fc.array(
  fc.record({
    status: fc.constantFrom('unread', 'read', 'trash' as const),
    bluesky: state,
    site: state,
  }),
  { maxLength: 30 },
);

describe('publishing views', () => {
  it('agree with each other and count every live row once', () => {
    fc.assert(
      fc.property(rowsArb, (specs) => {
        const rows = specs.map((spec, i) =>
          itemRow({
            url: `https://example.org/${i}`,
            status: spec.status,
            addedAt: i,
            publications: {
              ...(spec.bluesky ? { bluesky: record('bluesky', spec.bluesky) } : {}),
              ...(spec.site ? { site: record('site', spec.site) } : {}),
            },
          }),
        );
        const store = new RowStore();
        store.reset(rows);
        const counts = store.viewCounts();
        for (const view of ['published', 'unpublished'] as const) {
          const expected = store.all().filter((row) => rowInView(row, view));
          expect(store.view(view)).toEqual(expected);
          expect(counts[view]).toBe(expected.length);
        }
        expect(counts.published + counts.unpublished).toBe(counts.all);
        // Only a finished publication counts: on its way or failed is "not yet".
        for (const row of store.view('published'))
          expect(Object.values(row.publications).some((r) => r?.state === 'published')).toBe(true);
      }),
    );
  });
});
