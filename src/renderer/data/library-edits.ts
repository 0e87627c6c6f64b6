// The collection's document and every change the local member makes to it: each mutation bound to
// that member, refused while the collection is read-only, and (except bookkeeping and imports) one
// step of their undo history; taken before the log has replayed, it waits in the queue of actions
// (queued-actions.ts) and answers from the rows on screen. LocalLibrary (library.ts) adds loading,
// the update log, sync, presence, search and the queues that fetch titles and articles.
import * as Y from 'yjs';
import { ObservableV2 } from 'lib0/observable';
import {
  addItems,
  commitImport,
  addTags,
  changeItemUrl,
  deleteTag,
  addHighlight,
  deleteHighlight,
  emptyTrash,
  highlightsMap,
  itemIdForUrl,
  type NewHighlight,
  maps,
  markRead,
  markUnread,
  moveToTrash,
  noteUndoManager,
  observePrimaryNote,
  primaryNote,
  writeNote,
  removeTags,
  renameTag,
  restoreFromTrash,
  setTags,
  undoImport,
  updateItem,
  type Actor,
  type AddResult,
  type CommitOutcome,
  type ImportInput,
  type UndoOutcome,
} from '../../shared/collection';
import {
  nextTid,
  type ItemDraft,
  type ItemPatch,
  type ItemRow,
  type Member,
} from '../../shared/model';
import { AccessControl } from './access';
import { fillEmptyDetails, type FetchedDetails } from './details';
import { EarlyRows } from './early-rows';
import { ActionRunner } from './queued-actions';
import { RowStore } from './rows';
import type { SearchBackend } from './search-client';
import { UndoHistory, type Change } from './undo';

/** Origin of the local member's own edits: the only ones undo reverts. */
const LOCAL = { local: true };
/** Origin of bookkeeping writes (member profile, fetched titles) that undo must not revert. */
export const SYSTEM = { system: true };

export type LibraryEvents = {
  /** pendingWrites() may have changed. */
  pending: () => void;
  /** The hub connection was made or dropped. */
  sync: () => void;
};

export interface EditsOptions {
  me: Member;
  /** Rows read from the items table before the log replays (first paint). */
  store?: RowStore;
  /** Where rows are searched; links saved before the log replays are indexed there at once. */
  search: SearchBackend;
  now?: () => number;
}

export abstract class LibraryEdits extends ObservableV2<LibraryEvents> {
  readonly doc = new Y.Doc();
  readonly store: RowStore;
  readonly access: AccessControl;
  readonly history: UndoHistory;
  protected readonly actor: Actor;
  protected readonly actions: ActionRunner;
  /** Links saved while the log replays, shown before their queued save runs. */
  protected readonly earlyRows: EarlyRows;
  protected readonly now: () => number;
  /** When the newest link saved on this device in this session was dated. */
  private lastSaved = 0;

  constructor(opts: EditsOptions) {
    super();
    this.now = opts.now ?? Date.now;
    this.store = opts.store ?? new RowStore();
    this.actor = { memberId: opts.me.id, origin: LOCAL, now: this.now };
    this.access = new AccessControl(this.now);
    const m = maps(this.doc);
    this.history = new UndoHistory([m.items, m.tags, m.reads, highlightsMap(this.doc)], LOCAL);
    this.actions = new ActionRunner(this.history, () => this.ready);
    this.earlyRows = new EarlyRows(this.store, opts.search);
    this.actions.queued.subscribe(() => this.emit('pending', []));
  }

  /** Whether the log has replayed, so changes are written now rather than queued. */
  abstract get ready(): boolean;

  /** A row worked out from the document, for links the store does not hold. */
  protected abstract documentRow(id: string): ItemRow | null;

  get readOnly(): boolean {
    return this.access.readOnly;
  }

  /** One user action, refused where the collection is read-only (see ActionRunner.run). */
  private act<T>(mutation: () => T, early: () => T): { result: T; change: Change } {
    this.access.refuseEdits();
    return this.actions.run(mutation, early);
  }

  /** An action whose only answer is the change it made. */
  private edit(mutation: () => void): Change {
    return this.act(mutation, () => undefined).change;
  }

  private earlyAdd(draft: ItemDraft): AddResult {
    const id = itemIdForUrl(draft.url);
    const row = this.store.get(id);
    return { id, created: !row };
  }

  addLink(draft: ItemDraft): AddResult {
    return this.addLinks([draft])[0]!;
  }

  /**
   * Links saved together read in the order given, top to bottom in the newest-first list: each
   * is a millisecond older than the one before it, so no two of them share a moment, and the
   * whole batch is newer than anything saved here before it, however coarse the clock.
   */
  addLinks(drafts: ItemDraft[]): AddResult[] {
    // Checked now, so an invalid link fails in the caller's hands even while queued.
    for (const draft of drafts) itemIdForUrl(draft.url);
    const at = Math.max(this.now(), this.lastSaved + drafts.length);
    const dated = drafts.map((draft, i) => ({ ...draft, addedAt: draft.addedAt ?? at - i }));
    const { result: saved, change } = this.act(
      () => addItems(this.doc, dated, this.actor),
      () => dated.map((d) => this.earlyAdd(d)),
    );
    if (change.queued)
      this.earlyRows.show(
        dated.filter((_, i) => saved[i]!.created),
        this.actor,
      );
    if (drafts.length) this.lastSaved = at;
    return saved;
  }

  /**
   * Commits a confirmed import in one transaction (shared/collection/imports.ts). It is not a step
   * of the curator's undo history: Undo import takes it back, exactly, from any replica.
   */
  commitImport(input: Omit<ImportInput, 'id'>): CommitOutcome {
    this.refuseUntilLoaded();
    const at = Math.max(this.now(), this.lastSaved + input.entries.length);
    const actor = { ...this.actor, origin: SYSTEM, now: () => at };
    const outcome = commitImport(this.doc, { ...input, id: nextTid() }, actor);
    if (outcome.created) this.lastSaved = at;
    return outcome;
  }

  undoImport(id: string): UndoOutcome {
    this.refuseUntilLoaded();
    return undoImport(this.doc, id, { ...this.actor, origin: SYSTEM });
  }

  /** Imports work on the whole document, so they wait for it rather than queue. */
  private refuseUntilLoaded(): void {
    this.access.refuseEdits();
    if (!this.ready) throw new Error('Your library is still opening; try again in a moment.');
  }

  private countTagged(tag: string): number {
    return this.store.all().filter((r) => r.tags.includes(tag)).length;
  }

  findByUrl(url: string): ItemRow | null {
    let id: string;
    try {
      id = itemIdForUrl(url);
    } catch {
      return null;
    }
    return this.store.get(id) ?? this.documentRow(id);
  }

  updateItem(id: string, patch: ItemPatch): Change {
    return this.edit(() => updateItem(this.doc, id, patch, this.actor));
  }
  /**
   * Gives a link a new URL (a new id), carrying everything on it over. Not undoable: undo would
   * bring the old fields back without the note text the move carried over.
   */
  changeUrl(id: string, url: string): string {
    this.access.refuseEdits();
    if (!this.ready)
      throw new Error('Curio is still opening this collection; save again in a moment.');
    const moved = changeItemUrl(this.doc, id, url, this.actor);
    this.history.clear();
    return moved;
  }
  setTags(id: string, tags: string[]): Change {
    return this.edit(() => setTags(this.doc, id, tags, this.actor));
  }
  addTags(ids: string[], tags: string[]): Change {
    return this.edit(() => addTags(this.doc, ids, tags, this.actor));
  }
  removeTags(ids: string[], tags: string[]): Change {
    return this.edit(() => removeTags(this.doc, ids, tags, this.actor));
  }
  renameTag(from: string, to: string): number {
    return this.act(
      () => renameTag(this.doc, from, to, this.actor),
      () => this.countTagged(from),
    ).result;
  }
  deleteTag(tag: string): number {
    return this.act(
      () => deleteTag(this.doc, tag, this.actor),
      () => this.countTagged(tag),
    ).result;
  }
  markRead(ids: string[]): Change {
    return this.edit(() => markRead(this.doc, ids, this.actor));
  }
  markUnread(ids: string[]): Change {
    return this.edit(() => markUnread(this.doc, ids, this.actor));
  }
  moveToTrash(ids: string[]): Change {
    return this.edit(() => moveToTrash(this.doc, ids, this.actor));
  }
  restore(ids: string[]): Change {
    return this.edit(() => restoreFromTrash(this.doc, ids, this.actor));
  }
  emptyTrash(): number {
    // Emptying Trash is final: it must not be undone into half-restored items.
    return this.act(
      () => {
        let n = 0;
        n = emptyTrash(this.doc, this.actor);
        this.history.clear();
        return n;
      },
      () => this.store.view('trash').length,
    ).result;
  }

  /**
   * Fills a link's title, description and picture from its page where they are still empty:
   * what a curator typed is never replaced. Not an undo step: the curator did not make it.
   */
  fillEmptyDetails(id: string, fetched: FetchedDetails): boolean {
    this.access.refuseEdits();
    const row = this.store.get(id);
    if (!row || !this.ready) return false;
    return fillEmptyDetails(this.doc, row, fetched, { ...this.actor, origin: SYSTEM });
  }

  /** Highlights a passage of a saved link's article; null when the link is not in the collection. */
  addHighlight(itemId: string, highlight: NewHighlight): string | null {
    return this.act(
      () => addHighlight(this.doc, itemId, highlight, this.actor),
      () => null,
    ).result;
  }
  deleteHighlight(itemId: string, highlightId: string): Change {
    return this.edit(() => deleteHighlight(this.doc, itemId, highlightId, this.actor));
  }

  undo(): boolean {
    return this.history.undo();
  }
  redo(): boolean {
    return this.history.redo();
  }
  undoChange(change: Change): boolean {
    return this.actions.undoChange(change);
  }
  canUndoChange(change: Change): boolean {
    return this.actions.canUndoChange(change);
  }
  onUndoHistoryChange(listener: () => void): () => void {
    return this.actions.subscribe(listener);
  }

  notePrimary(id: string): Y.Text | null {
    return primaryNote(this.doc, id);
  }
  onNotePrimaryChange(id: string, listener: () => void): () => void {
    return observePrimaryNote(this.doc, id, listener);
  }
  writeNote(id: string, write: (text: Y.Text) => void, origin: object): void {
    writeNote(this.doc, id, write, { ...this.actor, origin });
  }
  noteUndoManager(origin: object): Y.UndoManager {
    return noteUndoManager(this.doc, origin);
  }
}
