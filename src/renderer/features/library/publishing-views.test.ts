// "Published" and "Not yet published" as the sidebar shows them: the row store's views and counts,
// for any mix of publication states on either target, whether the rows arrive all at once (opening)
// or change a few at a time (a publish moving a record from "publishing" to "published" or
// "failed").
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ItemRow, PublicationRecord, PublicationState } from '../../../shared/model';
import { itemRow } from '../../../shared/publish/testing';
import { RowStore } from '../../data/rows';

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

const specArb = fc.record({
  n: fc.nat(15),
  status: fc.constantFrom('unread', 'read', 'trash' as const),
  bluesky: state,
  site: state,
});
type Spec = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

function rowOf(spec: Spec): ItemRow {
  return itemRow({
    url: `https://example.org/${spec.n}`,
    status: spec.status,
    addedAt: spec.n,
    publications: {
      ...(spec.bluesky ? { bluesky: record('bluesky', spec.bluesky) } : {}),
      ...(spec.site ? { site: record('site', spec.site) } : {}),
    },
  });
}

/** What the curator expects, written from the specs rather than from the rows. */
function expected(specs: Map<number, Spec>, view: 'published' | 'unpublished'): string[] {
  return [...specs.values()]
    .filter((spec) => spec.status !== 'trash')
    .filter((spec) => {
      // Only a finished publication counts: on its way or failed is "not yet".
      const done = spec.bluesky === 'published' || spec.site === 'published';
      return view === 'published' ? done : !done;
    })
    .sort((a, b) => b.n - a.n)
    .map((spec) => rowOf(spec).id);
}

function check(store: RowStore, specs: Map<number, Spec>): void {
  const counts = store.viewCounts();
  for (const view of ['published', 'unpublished'] as const) {
    expect(store.view(view).map((row) => row.id)).toEqual(expected(specs, view));
    expect(counts[view]).toBe(expected(specs, view).length);
  }
}

describe('publishing views', () => {
  it('show every live link in exactly one of the two, as opened and as it changes', () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { maxLength: 30 }),
        fc.array(fc.array(specArb, { minLength: 1, maxLength: 3 }), { maxLength: 10 }),
        (opened, changes) => {
          const specs = new Map<number, Spec>();
          for (const spec of opened) specs.set(spec.n, spec);
          const store = new RowStore();
          store.reset([...specs.values()].map(rowOf));
          check(store, specs);
          for (const change of changes) {
            const latest = new Map(change.map((spec) => [spec.n, spec]));
            for (const spec of latest.values()) specs.set(spec.n, spec);
            store.apply({ upserts: [...latest.values()].map(rowOf), removals: [] });
            check(store, specs);
          }
        },
      ),
    );
  });
});
