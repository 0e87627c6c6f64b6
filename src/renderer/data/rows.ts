// The rows the UI reads, held in memory and shared by every component. Views and counts are
// derived lazily and cached per version, so a re-render that changed nothing gets the same
// array back (and React skips work), while a change costs one pass over the rows.
import type { ItemRow } from '../../shared/model';
import type { RowChanges } from '../../shared/collection';
import { Observable, type Unsubscribe } from './observable';
import type { LibraryView, ViewCounts } from './types';

/** On Bluesky or the site (published, not merely on its way). */
export function isPublished(row: ItemRow): boolean {
  for (const target in row.publications) {
    if (row.publications[target as keyof ItemRow['publications']]?.state === 'published')
      return true;
  }
  return false;
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

/** Whether a row belongs in a sidebar view. */
function matches(view: LibraryView, row: ItemRow): boolean {
  if (view === 'unread' || view === 'read' || view === 'trash') return row.status === view;
  if (row.status === 'trash') return false;
  if (view === 'all') return true;
  if (view === 'published' || view === 'unpublished')
    return isPublished(row) === (view === 'published');
  return row.tags.includes(view.slice('tag:'.length));
}

type Tally = Omit<ViewCounts, 'tags' | 'partial'> & { tags: Map<string, number> };

function emptyTally(): Tally {
  return { unread: 0, all: 0, read: 0, trash: 0, published: 0, unpublished: 0, tags: new Map() };
}

/** Adds a row to the counts (by 1) or takes it out (by -1). */
function count(tally: Tally, row: ItemRow, by: 1 | -1): void {
  tally[row.status] += by;
  if (row.status === 'trash') return;
  tally.all += by;
  if (isPublished(row)) tally.published += by;
  else tally.unpublished += by;
  for (const tag of row.tags) {
    const n = (tally.tags.get(tag) ?? 0) + by;
    if (n > 0) tally.tags.set(tag, n);
    else tally.tags.delete(tag);
  }
}

/** Rows merged, or sorted into views, between two looks at the clock. */
const ROWS_PER_STEP = 4_096;

/** One list newest first from two lists newest first, letting the window go on between steps. */
async function merge(
  a: readonly ItemRow[],
  b: readonly ItemRow[],
  slice: () => Promise<void>,
): Promise<ItemRow[]> {
  const out: ItemRow[] = new Array<ItemRow>(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length;) {
    for (const end = Math.min(out.length, k + ROWS_PER_STEP); k < end;)
      out[k++] =
        j === b.length || (i < a.length && newestFirst(a[i]!, b[j]!) <= 0) ? a[i++]! : b[j++]!;
    await slice();
  }
  return out;
}

/** The lists of every row by status, and of every row not in Trash, newest first. */
type StatusViews = Record<'all' | ItemRow['status'], ItemRow[]>;

/**
 * Every row of a library, taken in a page at a time (`RowStore.resetGathered`). Each page is
 * keyed, counted and sorted as it comes, sorted pages are merged as they pile up, and at the end
 * the views by status are sorted out, each step a slice of its own (`slice` lets the window go on
 * between them). The task that shows them all then only tells the listeners.
 */
export class GatheredRows {
  private readonly byId = new Map<string, ItemRow>();
  private readonly tally = emptyTally();
  /** Sorted runs, each at least as long as the next: merged like the digits of a binary count. */
  private runs: ItemRow[][] = [];
  private views: StatusViews | null = null;

  constructor(private readonly slice: () => Promise<void> = () => Promise.resolve()) {}

  get size(): number {
    return this.byId.size;
  }

  /** Adds a page of rows. A row whose id was gathered already is left out: the first one stays. */
  async add(page: readonly ItemRow[]): Promise<void> {
    const run: ItemRow[] = [];
    for (const row of page) {
      if (this.byId.has(row.id)) continue;
      this.byId.set(row.id, row);
      count(this.tally, row, 1);
      run.push(row);
    }
    if (!run.length) return;
    const { runs } = this;
    runs.push(run.sort(newestFirst));
    while (runs.length > 1 && runs.at(-2)!.length <= runs.at(-1)!.length)
      runs.push(await merge(runs.pop()!, runs.pop()!, this.slice));
  }

  /** Merges the runs into one list, and sorts it out into the views by status. */
  async finish(): Promise<void> {
    const { runs } = this;
    while (runs.length > 1) runs.push(await merge(runs.pop()!, runs.pop()!, this.slice));
    const sorted = runs[0] ?? [];
    const views: StatusViews = { all: [], unread: [], read: [], trash: [] };
    for (let k = 0; k < sorted.length;) {
      for (const end = Math.min(sorted.length, k + ROWS_PER_STEP); k < end; k++) {
        const row = sorted[k]!;
        views[row.status].push(row);
        if (row.status !== 'trash') views.all.push(row);
      }
      await this.slice();
    }
    this.views = views;
  }

  /** The rows by id, newest first, counted and in their views: handed over once, to the store. */
  take(): { byId: Map<string, ItemRow>; sorted: ItemRow[]; tally: Tally; views: StatusViews } {
    if (!this.views || this.runs.length > 1) throw new Error('The rows are still being gathered.');
    return { byId: this.byId, sorted: this.runs[0] ?? [], tally: this.tally, views: this.views };
  }
}

/** Rows [start, beforeEnd) of a list became rows [start, afterEnd) of the list made from it. */
export interface RowsChange {
  start: number;
  beforeEnd: number;
  afterEnd: number;
}

/** How each list the store edited came from the list before it. */
const madeFrom = new WeakMap<
  readonly unknown[],
  { from: readonly unknown[]; change: RowsChange }
>();

/**
 * How `after` came from `before`, when the store edited one into the other: whoever keeps
 * something by position (the list's layout) carries it over without comparing the lists.
 */
export function recordedChange(
  before: readonly unknown[],
  after: readonly unknown[],
): RowsChange | undefined {
  const made = madeFrom.get(after);
  return made?.from === before ? made.change : undefined;
}

/** A copy of a sorted list edited by a few splices, which remembers the stretch they touched. */
class EditedList {
  readonly rows: ItemRow[];
  private start: number;
  /** How many rows at the end are still the rows that ended the list before. */
  private kept: number;

  constructor(
    readonly view: LibraryView | null,
    private readonly from: readonly ItemRow[],
  ) {
    this.rows = [...from];
    this.start = from.length;
    this.kept = from.length;
  }

  remove(row: ItemRow): void {
    const at = position(this.rows, row);
    this.start = Math.min(this.start, at);
    this.kept = Math.min(this.kept, this.rows.length - at - 1);
    this.rows.splice(at, 1);
  }

  insert(row: ItemRow): void {
    const at = position(this.rows, row);
    this.start = Math.min(this.start, at);
    this.kept = Math.min(this.kept, this.rows.length - at);
    this.rows.splice(at, 0, row);
  }

  /** The edited list, with how it came from the list before. */
  done(): ItemRow[] {
    const { from, rows, kept } = this;
    const start = Math.min(this.start, from.length - kept, rows.length - kept);
    madeFrom.set(rows, {
      from,
      change: { start, beforeEnd: from.length - kept, afterEnd: rows.length - kept },
    });
    return rows;
  }
}

/** The ids of the rows a change touched; null when any row may have changed. */
export type TouchedRows = readonly string[] | null;

export class RowStore extends Observable {
  private rows = new Map<string, ItemRow>();
  private readonly touchListeners = new Set<(ids: TouchedRows) => void>();
  private version = 0;
  private sorted: ItemRow[] | null = null;
  private readonly views = new Map<LibraryView, { version: number; rows: ItemRow[] }>();
  private counts: { version: number; value: ViewCounts } | null = null;
  /** The counts, kept up to date by small changes; null when they must be counted afresh. */
  private tally: Tally | null = null;
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

  getVersion = (): number => this.version;

  /**
   * Calls `listener` after every change with the ids of the rows it touched (null after a reset
   * or a large change), for whoever keeps something about the rows in step with them change by
   * change instead of reading them all again.
   */
  subscribeTouched(listener: (ids: TouchedRows) => void): Unsubscribe {
    this.touchListeners.add(listener);
    return () => this.touchListeners.delete(listener);
  }

  private touched(ids: TouchedRows): void {
    for (const listener of [...this.touchListeners]) listener(ids);
  }

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
    this.tally = null;
    this.rows.clear();
    for (const row of rows) this.rows.set(row.id, row);
    this.sorted = null;
    this.loaded = true;
    this.version += 1;
    this.changed();
    this.touched(null);
  }

  /**
   * Replaces everything with rows gathered a page at a time: the rows, their order and their counts
   * come ready, so this costs what it takes to tell the listeners.
   */
  resetGathered(gathered: GatheredRows): void {
    const { byId, sorted, tally, views } = gathered.take();
    this.firstScreenCounts = null;
    this.rows = byId;
    this.sorted = sorted;
    this.tally = tally;
    this.loaded = true;
    this.version += 1;
    for (const [view, rows] of Object.entries(views) as [keyof StatusViews, ItemRow[]][])
      this.views.set(view, { version: this.version, rows });
    this.changed();
    this.touched(null);
  }

  /**
   * Applies a transaction's row changes. Small changes edit the sorted order, the views already
   * derived and the counts in place (binary search), so adding one link to 100,000 costs a few
   * splices, not a sort and a pass over every row; large ones recompute lazily.
   */
  apply(changes: RowChanges): void {
    const small = changes.upserts.length + changes.removals.length <= 64;
    const sorted = small && this.sorted ? new EditedList(null, this.sorted) : null;
    const views = small
      ? [...this.views]
          .filter(([, cached]) => cached.version === this.version)
          .map(([view, cached]) => [view, new EditedList(view, cached.rows)] as const)
      : [];
    const lists = views.map(([, list]) => list);
    if (sorted) lists.push(sorted);
    const tally = small ? this.tally : null;
    const move = (before: ItemRow | undefined, after: ItemRow | undefined) => {
      for (const list of lists) {
        if (before && (!list.view || matches(list.view, before))) list.remove(before);
        if (after && (!list.view || matches(list.view, after))) list.insert(after);
      }
      if (tally && before) count(tally, before, -1);
      if (tally && after) count(tally, after, 1);
    };
    for (const row of changes.upserts) {
      const before = this.rows.get(row.id);
      this.rows.set(row.id, row);
      move(before, row);
    }
    for (const id of changes.removals) {
      const before = this.rows.get(id);
      if (!before) continue;
      this.rows.delete(id);
      move(before, undefined);
    }
    this.sorted = sorted ? sorted.done() : null;
    this.tally = tally;
    this.version += 1;
    // The edited views are in place before anyone is told: a listener that reads a view at once
    // gets them, not a view filtered again from every row.
    for (const [view, list] of views)
      this.views.set(view, { version: this.version, rows: list.done() });
    this.changed();
    this.touched(small ? [...changes.upserts.map((row) => row.id), ...changes.removals] : null);
  }

  view(view: LibraryView): ItemRow[] {
    const cached = this.views.get(view);
    if (cached && cached.version === this.version) return cached.rows;
    const rows = this.all().filter((row) => matches(view, row));
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
    if (!this.tally) {
      const tally = emptyTally();
      for (const row of this.rows.values()) count(tally, row, 1);
      this.tally = tally;
    }
    const { tags, ...sizes } = this.tally;
    const value: ViewCounts = {
      ...sizes,
      tags: [...tags]
        .map(([tag, n]) => ({ tag, count: n }))
        .sort((a, b) => a.tag.localeCompare(b.tag)),
    };
    this.counts = { version: this.version, value };
    return value;
  }
}
