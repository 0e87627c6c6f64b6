// The backlog kept change by change is the backlog worked out from every row: same links, same
// order, and the same articles let go, whatever the links do and however the fetches end.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ItemRow } from '../../shared/model';
import { Backlog, followLinks, keeps, type LinkFacts } from './snapshots-backlog';
import { row } from './rows-testing';
import { wantedSnapshots } from './snapshots-policy';

const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];

/** A device's queue as the test plays it: rows, kept articles, fetches and retries. */
class Device implements LinkFacts {
  readonly rows = new Map<string, ItemRow>();
  readonly keptIds = new Set<string>();
  readonly fetchingIds = new Set<string>();
  readonly retryingIds = new Set<string>();
  readonly backlog = new Backlog();

  constructor(readonly keep: { kind: 'all' } | { kind: 'unread' }) {}

  row = (id: string) => this.rows.get(id);
  kept = (id: string) => this.keptIds.has(id);
  fetching = (id: string) => this.fetchingIds.has(id);
  retrying = (id: string) => this.retryingIds.has(id);

  private newestFirst(): ItemRow[] {
    return [...this.rows.values()].sort(
      (a, b) => b.addedAt - a.addedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  }

  /** The backlog from every row, as the queue works it out after a reset. */
  expected(): string[] {
    return wantedSnapshots(this.newestFirst(), this.keep).filter(
      (id) => !this.kept(id) && !this.retrying(id) && !this.fetching(id),
    );
  }

  /** Articles kept that the setting no longer wants, from every row. */
  unwanted(): string[] {
    const wanted = new Set(wantedSnapshots(this.newestFirst(), this.keep));
    return [...this.keptIds].filter(
      (id) => !wanted.has(id) && !this.fetching(id) && this.row(id)?.status !== 'trash',
    );
  }

  fromScratch(): void {
    this.backlog.reset(this.expected().map((id) => this.rows.get(id)!));
    for (const id of this.unwanted()) this.keptIds.delete(id);
  }

  /** Follows the links in `ids`; lets go of exactly what working it out from every row would. */
  follow(ids: string[]): void {
    const unwanted = this.unwanted();
    const letGo = followLinks(this.backlog, ids, this, this.keep);
    expect(new Set(letGo)).toEqual(new Set(unwanted.filter((id) => ids.includes(id))));
    for (const id of letGo) this.keptIds.delete(id);
  }
}

const id = fc.constantFrom(...IDS);
const step = fc.oneof(
  fc.record({
    kind: fc.constant('upsert' as const),
    rows: fc.array(
      fc.record({
        id,
        addedAt: fc.integer({ min: 0, max: 4 }),
        status: fc.constantFrom('unread' as const, 'read' as const, 'trash' as const),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({ kind: fc.constant('remove' as const), ids: fc.array(id, { maxLength: 2 }) }),
  // "Fetch again" on a link whose article is kept: it is fetched while the article stays.
  fc.record({ kind: fc.constant('again' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('start' as const) }),
  // Which of the links being fetched, or waiting for a retry, ends.
  fc.record({ kind: fc.constant('finish' as const), pick: fc.nat(), stored: fc.boolean() }),
  fc.record({ kind: fc.constant('retried' as const), pick: fc.nat(), stored: fc.boolean() }),
);

describe('the backlog of articles to fetch', () => {
  it('is what working it out from every row gives, change after change', () => {
    fc.assert(
      fc.property(
        fc.constantFrom({ kind: 'all' as const }, { kind: 'unread' as const }),
        fc.array(step, { minLength: 20, maxLength: 80 }),
        (keep, steps) => {
          const d = new Device(keep);
          d.fromScratch();
          for (const s of steps) {
            if (s.kind === 'upsert') {
              for (const r of s.rows) d.rows.set(r.id, row(r.id, r.addedAt, r.status));
              d.follow(s.rows.map((r) => r.id));
            } else if (s.kind === 'remove') {
              for (const gone of s.ids) d.rows.delete(gone);
              d.follow(s.ids);
            } else if (s.kind === 'start') {
              // The queue takes the newest link off the backlog and fetches it.
              const next = d.backlog.shift();
              if (next) d.fetchingIds.add(next);
            } else if (s.kind === 'again') {
              const link = [...d.keptIds][s.pick % Math.max(1, d.keptIds.size)];
              if (link === undefined || d.fetching(link)) continue;
              d.backlog.delete(link);
              d.fetchingIds.add(link);
            } else {
              // A fetch ends: the article is stored, or the link waits for a retry.
              const from = s.kind === 'finish' ? d.fetchingIds : d.retryingIds;
              const ended = [...from][s.pick % Math.max(1, from.size)];
              if (ended === undefined) continue;
              from.delete(ended);
              if (s.stored) d.keptIds.add(ended);
              else d.retryingIds.add(ended);
              // An article kept for a link no longer wanted goes, whatever the fetch did
              // (the queue's unwantedNow): one fetched again keeps its old article meanwhile.
              const r = d.row(ended);
              if (d.kept(ended) && r?.status !== 'trash' && !(r && keeps(r, keep))) d.fromScratch();
            }
            expect(d.backlog.ids()).toEqual(d.expected());
            expect(d.unwanted()).toEqual([]);
            expect(d.backlog.size).toBe(d.expected().length);
            for (const each of IDS) expect(d.backlog.has(each)).toBe(d.expected().includes(each));
          }
        },
      ),
    );
  });

  it('takes the newest link first, and puts a link whose date changed in its new place', () => {
    const backlog = new Backlog();
    backlog.reset([row('c', 3, 'unread'), row('b', 2, 'unread'), row('a', 1, 'unread')]);
    backlog.add(row('b', 5, 'unread'));
    expect(backlog.ids()).toEqual(['b', 'c', 'a']);
    backlog.delete('c');
    expect(backlog.shift()).toBe('b');
    expect(backlog.ids()).toEqual(['a']);
    expect(backlog.has('b')).toBe(false);
  });
});
