// The contract between the data layer and the UI. Components get a Library from context and
// read rows through the hooks in ./hooks; they never touch Yjs or Dexie (the note editor's
// binding to its Y.Text is the one exception, through Library.noteText).
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { AddResult } from '../../shared/collection';
import type { ItemDraft, ItemPatch, ItemRow, Member } from '../../shared/model';
import type { SearchAnswer } from '../../shared/search';

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

export interface Library {
  readonly collectionId: string;
  readonly me: Member;
  /** For presence: the local state carries { user: { name, color }, itemId }. */
  readonly awareness: Awareness;

  /** Saves a link; `created: false` means it was already there (show that item instead). Throws InvalidUrlError. */
  addLink(draft: ItemDraft): AddResult;
  /** Saves many links as one change (one undo step, one re-render). Throws InvalidUrlError. */
  addLinks(drafts: ItemDraft[]): AddResult[];
  /** The saved item with the same identity as this URL (after normalisation), live or trashed. */
  findByUrl(url: string): ItemRow | null;
  updateItem(id: string, patch: ItemPatch): void;
  /**
   * Gives a link a new URL, keeping its tags, note, read marks and publications, and returns its
   * id afterwards (a new URL is a new id). Throws UrlTakenError ("Already saved as …") when
   * another saved link has the URL, InvalidUrlError when it is not a link.
   */
  changeUrl(id: string, url: string): string;
  setTags(id: string, tags: string[]): void;
  addTags(ids: string[], tags: string[]): void;
  removeTags(ids: string[], tags: string[]): void;
  renameTag(from: string, to: string): number;
  deleteTag(tag: string): number;
  markRead(ids: string[]): void;
  markUnread(ids: string[]): void;
  moveToTrash(ids: string[]): void;
  restore(ids: string[]): void;
  /** Permanently deletes everything in Trash; the UI confirms first. Returns how many. */
  emptyTrash(): number;

  /** Undo/redo of the local member's own changes (not other members'). */
  undo(): boolean;
  redo(): boolean;

  /** The Y.Text a note editor binds to (y-codemirror.next). */
  noteText(id: string): Y.Text;

  /** Full-text search over title, URL, description, tags and note; prefix and typo tolerant. */
  search(query: string): Promise<SearchAnswer>;

  /** Updates not yet durable on this device (0 = everything is saved). */
  pendingWrites(): number;
}

export type { ItemRow };
