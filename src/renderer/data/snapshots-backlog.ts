// The links whose articles are still to fetch, newest first, kept in step with each change to the
// rows: a link saved, read or trashed moves in or out by binary search, so a change costs the
// links it touched, not a pass over every link (about 60 ms a Save at 100,000 links).
import type { ItemRow } from '../../shared/model';
import type { KeepSnapshots } from './snapshots-policy';

const newestFirst = (a: ItemRow, b: ItemRow) =>
  b.addedAt - a.addedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class Backlog {
  /** Newest first, each as it was when it came in: its place is found again by the same row. */
  private rows: ItemRow[] = [];
  private readonly byId = new Map<string, ItemRow>();

  /** Starts over from rows already newest first. */
  reset(rows: readonly ItemRow[]): void {
    this.rows = [...rows];
    this.byId.clear();
    for (const row of rows) this.byId.set(row.id, row);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get size(): number {
    return this.rows.length;
  }

  /** The ids, newest first. */
  ids(): string[] {
    return this.rows.map((row) => row.id);
  }

  /** Takes the newest link off the backlog. */
  shift(): string | undefined {
    const row = this.rows.shift();
    if (row) this.byId.delete(row.id);
    return row?.id;
  }

  /** Puts a link in its place (again, if it was in already: its date may have changed). */
  add(row: ItemRow): void {
    this.delete(row.id);
    this.rows.splice(this.place(row), 0, row);
    this.byId.set(row.id, row);
  }

  delete(id: string): void {
    const row = this.byId.get(id);
    if (!row) return;
    this.rows.splice(this.place(row), 1);
    this.byId.delete(id);
  }

  private place(row: ItemRow): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newestFirst(this.rows[mid]!, row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Whether the setting keeps this link's article, where that does not depend on other links. */
export function keeps(row: ItemRow, keep: Exclude<KeepSnapshots, { kind: 'last' }>): boolean {
  return row.status !== 'trash' && (keep.kind === 'all' || row.status === 'unread');
}

/** What the queue knows of a link besides its row. */
export interface LinkFacts {
  row(id: string): ItemRow | undefined;
  /** This device keeps its article. */
  kept(id: string): boolean;
  /** Being fetched now. */
  fetching(id: string): boolean;
  /** Waiting to be tried again, or given up on. */
  retrying(id: string): boolean;
}

/**
 * Moves the links in `ids` in or out of the backlog as they are now, and returns the kept articles
 * the setting no longer wants (Trash keeps its articles; a link deleted for good does not), as
 * working both out from every row would for these links. An article being fetched is left to
 * the fetch: the queue looks at it again once it is stored.
 */
export function followLinks(
  backlog: Backlog,
  ids: Iterable<string>,
  links: LinkFacts,
  keep: Exclude<KeepSnapshots, { kind: 'last' }>,
): string[] {
  const unwanted: string[] = [];
  for (const id of ids) {
    const row = links.row(id);
    const wanted = row !== undefined && keeps(row, keep);
    if (wanted && !links.kept(id) && !links.retrying(id) && !links.fetching(id)) backlog.add(row);
    else backlog.delete(id);
    if (!wanted && links.kept(id) && !links.fetching(id) && row?.status !== 'trash')
      unwanted.push(id);
  }
  return unwanted;
}
