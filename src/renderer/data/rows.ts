// The rows the UI reads, held in memory and shared by every component. Views and counts are
// derived lazily and cached per version, so a re-render that changed nothing gets the same
// array back (and React skips work), while a change costs one pass over the rows.
import type { ItemRow } from '../../shared/model';
import type { RowChanges } from '../../shared/collection';
import type { LibraryView, ViewCounts } from './types';

/** On Bluesky or the site (published, not merely on its way). */
export function isPublished(row: ItemRow): boolean {
  return Object.values(row.publications).some((record) => record?.state === 'published');
}

const newestFirst = (a: ItemRow, b: ItemRow) =>
  b.addedAt - a.addedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Where `row` is (or belongs) in an array sorted newest first. */
function position(sorted: readonly ItemRow[], row: ItemRow): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (newestFirst(sorted[mid]!, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class RowStore {
  private readonly rows = new Map<string, ItemRow>();
  private version = 0;
  private sorted: ItemRow[] | null = null;
  private readonly views = new Map<LibraryView, { version: number; rows: ItemRow[] }>();
  private counts: { version: number; value: ViewCounts } | null = null;
  private readonly listeners = new Set<() => void>();
  loaded = false;
  /**
   * Set while only the first screen is in memory: counts come from the index, not the rows, and
   * tags are not known yet. Cleared by reset() with every row.
   */
  private firstScreenCounts: Pick<ViewCounts, 'unread' | 'read' | 'trash'> | null = null;

  get partial(): boolean {
    return this.firstScreenCounts !== null;
  }

  /** Shows the first screen of a large library before the rest of its rows are read. */
  showFirstScreen(
    rows: readonly ItemRow[],
    counts: Pick<ViewCounts, 'unread' | 'read' | 'trash'>,
  ): void {
    this.reset(rows);
    this.firstScreenCounts = counts;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  get(id: string): ItemRow | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.rows.size;
  }

  all(): ItemRow[] {
    if (!this.sorted) this.sorted = [...this.rows.values()].sort(newestFirst);
    return this.sorted;
  }

  /** Replaces everything (first paint from the items table, or a rebuild). */
  reset(rows: readonly ItemRow[]): void {
    this.firstScreenCounts = null;
    this.rows.clear();
    for (const row of rows) this.rows.set(row.id, row);
    this.sorted = null;
    this.loaded = true;
    this.bump();
  }

  /**
   * Applies a transaction's row changes. Small changes edit the sorted order in place (binary
   * search), so adding one link to 100,000 costs a splice, not a sort; large ones re-sort lazily.
   */
  apply(changes: RowChanges): void {
    const sorted = this.sorted ? [...this.sorted] : null;
    const small = changes.upserts.length + changes.removals.length <= 64;
    for (const row of changes.upserts) {
      const before = this.rows.get(row.id);
      this.rows.set(row.id, row);
      if (!sorted || !small) continue;
      if (before) sorted.splice(position(sorted, before), 1);
      sorted.splice(position(sorted, row), 0, row);
    }
    for (const id of changes.removals) {
      const before = this.rows.get(id);
      if (!before) continue;
      this.rows.delete(id);
      if (sorted && small) sorted.splice(position(sorted, before), 1);
    }
    this.sorted = small ? sorted : null;
    this.bump();
  }

  view(view: LibraryView): ItemRow[] {
    const cached = this.views.get(view);
    if (cached && cached.version === this.version) return cached.rows;
    const all = this.all();
    let rows: ItemRow[];
    if (view === 'all') rows = all.filter((r) => r.status !== 'trash');
    else if (view === 'unread' || view === 'read' || view === 'trash')
      rows = all.filter((r) => r.status === view);
    else if (view === 'published' || view === 'unpublished')
      rows = all.filter((r) => r.status !== 'trash' && isPublished(r) === (view === 'published'));
    else {
      const tag = view.slice('tag:'.length);
      rows = all.filter((r) => r.status !== 'trash' && r.tags.includes(tag));
    }
    this.views.set(view, { version: this.version, rows });
    return rows;
  }

  viewCounts(): ViewCounts {
    if (this.counts && this.counts.version === this.version) return this.counts.value;
    if (this.firstScreenCounts) {
      const c = this.firstScreenCounts;
      const value: ViewCounts = {
        ...c,
        all: c.unread + c.read,
        published: 0,
        unpublished: 0,
        tags: [],
        partial: true,
      };
      this.counts = { version: this.version, value };
      return value;
    }
    const value: ViewCounts = {
      unread: 0,
      all: 0,
      read: 0,
      trash: 0,
      published: 0,
      unpublished: 0,
      tags: [],
    };
    const tags = new Map<string, number>();
    for (const row of this.rows.values()) {
      value[row.status] += 1;
      if (row.status === 'trash') continue;
      value.all += 1;
      if (isPublished(row)) value.published += 1;
      else value.unpublished += 1;
      for (const tag of row.tags) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    }
    value.tags = [...tags]
      .map(([tag, count]) => ({ tag, count }))
      .sort((a, b) => a.tag.localeCompare(b.tag));
    this.counts = { version: this.version, value };
    return value;
  }

  private bump(): void {
    this.version += 1;
    for (const l of this.listeners) l();
  }
}
