// The contract between the data layer and the UI. Components get a Library from context and
// read rows through the hooks in ./hooks; they never touch Yjs or Dexie (the note editor's
// binding to its Y.Text is the one exception, through Library.notePrimary and writeNote).
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { AddResult } from '../../shared/collection';
import type { ItemDraft, ItemPatch, ItemRow, Member } from '../../shared/model';
import type { SearchAnswer } from '../../shared/search';
import type { Change } from './undo';

/** Sidebar views: the fixed ones and one per tag (`tag:distributed-systems`). */
export type LibraryView =
  'unread' | 'all' | 'read' | 'trash' | 'published' | 'unpublished' | `tag:${string}`;

export interface ViewCounts {
  unread: number;
  all: number;
  read: number;
  trash: number;
  /** Live items on at least one publishing target, and live items on none yet. */
  published: number;
  unpublished: number;
  /** Tags on live (not trashed) items, by name. */
  tags: Array<{ tag: string; count: number }>;
  /**
   * True for the moment after opening when only the first screen of rows is in memory: the view
   * sizes above come from the indexes, and published/unpublished and tags are not counted yet.
   */
  partial?: boolean;
}

export type { SearchAnswer } from '../../shared/search';
export type { Change } from './undo';

/** A saved link, by id and URL. */
export interface LinkRef {
  id: string;
  url: string;
}

export interface Library {
  readonly collectionId: string;
  readonly me: Member;
  /** Presence, for the note editor's remote cursors; see ./presence for what it carries. */
  readonly awareness: Awareness;
  /**
   * True while this device may not change the collection (a reader's invite, or one the hub
   * withdrew): every edit below then throws ReadOnlyError, and nothing is queued.
   */
  readonly readOnly: boolean;

  /** Saves a link; `created: false` means it was already there (show that item instead). Throws InvalidUrlError. */
  addLink(draft: ItemDraft): AddResult;
  /** Saves many links as one change (one undo step, one re-render). Throws InvalidUrlError. */
  addLinks(drafts: ItemDraft[]): AddResult[];
  /** The saved item with the same identity as this URL (after normalisation), live or trashed. */
  findByUrl(url: string): ItemRow | null;
  updateItem(id: string, patch: ItemPatch): Change;
  /**
   * Gives a link a new URL, keeping its tags, note, read marks and publications, and returns its
   * id afterwards (a new URL is a new id). Throws UrlTakenError ("Already saved as …") when
   * another saved link has the URL, InvalidUrlError when it is not a link.
   */
  changeUrl(id: string, url: string): string;
  setTags(id: string, tags: string[]): Change;
  addTags(ids: string[], tags: string[]): Change;
  removeTags(ids: string[], tags: string[]): Change;
  renameTag(from: string, to: string): number;
  deleteTag(tag: string): number;
  markRead(ids: string[]): Change;
  markUnread(ids: string[]): Change;
  moveToTrash(ids: string[]): Change;
  restore(ids: string[]): Change;
  /** Permanently deletes everything in Trash; the UI confirms first. Returns how many. */
  emptyTrash(): number;

  /** Undo/redo of the local member's own changes (not other members'). */
  undo(): boolean;
  redo(): boolean;
  /** Undoes exactly this change if it is still the latest undoable one; otherwise nothing. */
  undoChange(change: Change): boolean;
  /** Whether undoChange would revert this change now. */
  canUndoChange(change: Change): boolean;
  /** Called whenever what undo would revert next may have changed. */
  onUndoHistoryChange(listener: () => void): () => void;

  /** Tells the other members which link this member has open (null: none). */
  setOpenItem(itemId: string | null): void;
  /** Asks these links' pages for the titles and descriptions they still lack. */
  fetchDetails(links: ReadonlyArray<LinkRef>): void;

  /** The Y.Text a note editor binds to (y-codemirror.next); null while the note has no text. */
  notePrimary(id: string): Y.Text | null;
  /** Calls `listener` when the text a note editor binds to is another one than before. */
  onNotePrimaryChange(id: string, listener: () => void): () => void;
  /**
   * Writes to the note's primary text through `write`, in one transaction with `origin`; the text
   * is started under this replica's key when the note has none.
   */
  writeNote(id: string, write: (text: Y.Text) => void, origin: object): void;
  /** A note editor's undo history: `origin`'s changes to note texts, never a text itself. */
  noteUndoManager(origin: object): Y.UndoManager;

  /** Full-text search over title, URL, description, tags and note; prefix and typo tolerant. */
  search(query: string): Promise<SearchAnswer>;

  /** Updates not yet durable on this device (0 = everything is saved). */
  pendingWrites(): number;
}

export type { ItemRow };
