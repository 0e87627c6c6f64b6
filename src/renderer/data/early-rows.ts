// Links saved before the document has loaded: their save waits in the queue (queued-actions.ts),
// but the curator sees each in the list, and finds it by search, at once. Its row is made the way
// the document will make it (the same mutation on a document of its own) and shown until the
// queued save runs, or taken away if the save is dropped before it could run.
import * as Y from 'yjs';
import { addItems, materializeAll, type Actor } from '../../shared/collection';
import type { ItemDraft, ItemRow } from '../../shared/model';
import type { RowStore } from './rows';
import { indexRows, type SearchBackend } from './search-client';

export class EarlyRows {
  private shown: ItemRow[] = [];

  constructor(
    private readonly store: RowStore,
    private readonly search: SearchBackend,
  ) {}

  /** Shows the rows `drafts`, new links whose save is queued, will have once it has run. */
  show(drafts: readonly ItemDraft[], actor: Actor): void {
    if (!drafts.length) return;
    const scratch = new Y.Doc();
    addItems(scratch, drafts, actor);
    const rows = materializeAll(scratch, actor.memberId);
    scratch.destroy();
    this.shown.push(...rows);
    this.put(rows);
  }

  /** Shows them again after the store was refilled from the items table. */
  showAgain(): void {
    this.put(this.shown);
  }

  /** The queued saves have run: the document's own rows have replaced these. */
  saved(): void {
    this.shown = [];
  }

  /** The queued saves were dropped (the collection turned read-only): nothing of them is shown. */
  dropped(): void {
    this.take(this.shown.map((row) => row.id));
    this.shown = [];
  }

  private put(rows: ItemRow[]): void {
    if (!rows.length) return;
    this.store.apply({ upserts: rows, removals: [] });
    indexRows(this.search, rows);
  }

  private take(ids: string[]): void {
    if (!ids.length) return;
    this.store.apply({ upserts: [], removals: ids });
    this.search.remove(ids);
  }
}
