// Document -> rows. The Materializer keeps per-item indexes of tags, read marks and publication
// records, and after each transaction recomputes only the items that transaction touched, so a
// keystroke in a note or a toggle of read state costs one row, not a rebuild. Every value is
// checked as it is read (./read.ts): a row always satisfies ItemRowSchema, whatever was written.
import type * as Y from 'yjs';
import { ObservableV2 } from 'lib0/observable';
import {
  MAX_ROW_TAGS,
  displayHost,
  type ItemRow,
  type PublicationRecord,
  type PublishTarget,
  type UnreadablePart,
} from '../model';
import { fieldKeysOf, type FieldKeys } from './field-keys';
import { movesOf, type Moves } from './moves';
import { keyedNoteItemId, legacyNoteItemId, readNote } from './notes';
import { readItem, readPublication, readReadMark, savedItemIds } from './read';
import { PartIndex } from './part-index';
import { tagIndexOf } from './tags';
import { SAVED, isItemId, maps, splitKey, type CollectionMaps } from './schema';

/**
 * The version of the rows' shape and meaning. Rows stored by a version before this one (untitled
 * rows titled by their URL, values that were not checked) are rebuilt from the document.
 */
export const ROWS_VERSION = 2;

export interface RowChanges {
  upserts: ItemRow[];
  /** Ids that no longer have a row (purged, moved to another URL, or unreadable). */
  removals: string[];
}

/** A member whose read marks would fill a page is someone's mistake; the rest are not shown. */
const MAX_READERS = 200;

interface PublicationRead {
  record: PublicationRecord;
  flawed: boolean;
}

export class Materializer extends ObservableV2<{ rows: (changes: RowChanges) => void }> {
  private readonly m: CollectionMaps;
  private readonly moves: Moves;
  private readonly tags: PartIndex<string>;
  private readonly reads: PartIndex<number>;
  private readonly pubs: PartIndex<PublicationRead>;
  private readonly fieldKeys: FieldKeys;
  private readonly noteIds = new WeakMap<object, string>();
  /** For each id that has moved: the item it was read with when rows were last reported. */
  private readonly movedRoots = new Map<string, string>();
  private readonly onTransaction = (tr: Y.Transaction) => this.apply(tr);

  constructor(
    private readonly doc: Y.Doc,
    private readonly memberId: string,
  ) {
    super();
    this.m = maps(doc);
    this.moves = movesOf(doc);
    this.tags = tagIndexOf(doc);
    this.fieldKeys = fieldKeysOf(doc);
    this.reads = new PartIndex(this.m.reads, readReadMark);
    // A record's key is `<itemId>/<target>`; the words and removed keys kept beside it
    // (`<itemId>/bluesky/blurb`, publication-removals.ts's keys) are not records.
    this.pubs = new PartIndex(this.m.publications, readPublication, (part) => part.includes('/'));
    this.noteMovedRoots();
    doc.on('afterTransaction', this.onTransaction);
  }

  override destroy(): void {
    this.doc.off('afterTransaction', this.onTransaction);
    super.destroy();
  }

  subscribe(listener: (changes: RowChanges) => void): () => void {
    this.on('rows', listener);
    return () => this.off('rows', listener);
  }

  /** Ids of every item that has a row (not those that moved to another URL). */
  itemIds(): string[] {
    return savedItemIds(this.m.items).filter((id) => isItemId(id) && this.moves.resolve(id) === id);
  }

  rows(): ItemRow[] {
    const out: ItemRow[] = [];
    for (const id of this.itemIds()) {
      const row = this.row(id);
      if (row) out.push(row);
    }
    return out;
  }

  row(id: string): ItemRow | null {
    if (!isItemId(id) || this.moves.resolve(id) !== id) return null;
    const movedIn = this.moves.group(id);
    // Inside a transaction the index has not seen its changes yet (its observer runs after).
    const fieldKeys = this.doc._transaction === null ? this.fieldKeys : undefined;
    const item = readItem(this.m.items, id, movedIn, fieldKeys);
    if (!item) return null;
    const { fields, unreadable } = item;
    const ids = [id, ...movedIn];
    const tags = this.tagsOf(ids, unreadable);
    const readBy = this.readersOf(ids, unreadable);
    const publications = this.publicationsOf(ids, unreadable);
    const readAt = readBy[this.memberId] ?? null;
    const row: ItemRow = {
      id,
      url: fields.url,
      key: fields.key,
      host: displayHost(fields.url),
      title: fields.title,
      description: fields.description,
      image: fields.image,
      tags,
      note: readNote(this.doc, ids),
      addedAt: fields.addedAt,
      addedBy: fields.addedBy,
      deletedAt: fields.deletedAt,
      readBy,
      readAt,
      status: fields.deletedAt != null ? 'trash' : readAt != null ? 'read' : 'unread',
      publications,
    };
    if (unreadable.size) row.unreadable = [...unreadable].sort();
    return row;
  }

  private tagsOf(ids: readonly string[], unreadable: Set<UnreadablePart>): string[] {
    const tags = new Set<string>();
    for (const id of ids) {
      for (const tag of this.tags.get(id).values()) tags.add(tag);
      if (this.tags.hasUnreadable(id)) unreadable.add('tags');
    }
    const sorted = [...tags].sort();
    if (sorted.length <= MAX_ROW_TAGS) return sorted;
    unreadable.add('tags');
    return sorted.slice(0, MAX_ROW_TAGS);
  }

  /** Who read the item; a mark written under an id that moved in wins (it is the later one). */
  private readersOf(
    ids: readonly string[],
    unreadable: Set<UnreadablePart>,
  ): Record<string, number> {
    const readBy = new Map<string, number>();
    for (const id of ids) {
      for (const [member, at] of this.reads.get(id)) readBy.set(member, at);
      if (this.reads.hasUnreadable(id)) unreadable.add('readBy');
    }
    if (readBy.size <= MAX_READERS) return Object.fromEntries(readBy);
    unreadable.add('readBy');
    const mine = readBy.get(this.memberId);
    const kept = [...readBy].sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, MAX_READERS - 1);
    if (mine !== undefined) kept.push([this.memberId, mine]);
    return Object.fromEntries(kept);
  }

  private publicationsOf(
    ids: readonly string[],
    unreadable: Set<UnreadablePart>,
  ): ItemRow['publications'] {
    const out: Partial<Record<PublishTarget, PublicationRecord>> = {};
    for (const id of ids) {
      for (const [target, { record, flawed }] of this.pubs.get(id)) {
        out[target as PublishTarget] = record;
        if (flawed) unreadable.add('publications');
      }
      if (this.pubs.hasUnreadable(id)) unreadable.add('publications');
    }
    return out;
  }

  /** Which item a schema-2 root note belongs to; rescans the document's roots once on a miss. */
  private legacyNoteItemId(type: object): string | undefined {
    const known = this.noteIds.get(type);
    if (known !== undefined) return known;
    for (const [name, root] of this.doc.share) {
      const id = legacyNoteItemId(name);
      if (id !== null) this.noteIds.set(root, id);
    }
    return this.noteIds.get(type);
  }

  /**
   * Records which item every moved id is read with now, and returns the items whose set of
   * moved ids changed since the last call.
   */
  private noteMovedRoots(): Set<string> {
    const changed = new Set<string>();
    const ids = new Set([...this.moves.sources(), ...this.movedRoots.keys()]);
    for (const id of ids) {
      const root = this.moves.resolve(id);
      const before = this.movedRoots.get(id) ?? id;
      if (root !== before) changed.add(id).add(before).add(root);
      if (root === id) this.movedRoots.delete(id);
      else this.movedRoots.set(id, root);
    }
    return changed;
  }

  private apply(tr: Y.Transaction): void {
    if (!this._observers.has('rows')) return this.follow(tr);
    const touched = new Set<string>();
    let moved = false;
    for (const [changedType, keys] of tr.changed) {
      const type: object = changedType;
      const index =
        type === this.m.reads ? this.reads : type === this.m.publications ? this.pubs : null;
      if (
        type === this.m.items ||
        type === this.m.tags ||
        type === this.m.moves ||
        type === this.m.notes
      ) {
        // Keys of `moves` are item ids; the others are `<itemId>/<part>`.
        for (const key of keys) {
          if (key === null) continue;
          const [id, field] = splitKey(key);
          if (!isItemId(id)) continue;
          touched.add(id);
          const url = field === 'url' || field === SAVED;
          if (type === this.m.moves || (url && this.moves.involves(id))) moved = true;
        }
      } else if (index) {
        for (const key of keys) {
          const id = key === null ? undefined : index.update(key);
          if (id !== undefined) touched.add(id);
        }
      } else if (changedType._item === null) {
        const id = this.legacyNoteItemId(type);
        if (id !== undefined) touched.add(id);
      } else {
        const id = keyedNoteItemId(this.doc, changedType);
        if (id !== null) touched.add(id);
      }
    }
    if (!touched.size) return;
    // A row shows what moved into it: a change under a moved id changes the row it is read with,
    // and a move changes the rows on both sides.
    const ids = moved ? this.noteMovedRoots() : new Set<string>();
    for (const id of touched) ids.add(id).add(this.moves.resolve(id));
    const changes: RowChanges = { upserts: [], removals: [] };
    for (const id of ids) {
      const row = this.row(id);
      if (row) changes.upserts.push(row);
      else changes.removals.push(id);
    }
    this.emit('rows', [changes]);
  }

  /**
   * With nobody listening for rows (a document still replaying its log), a transaction only
   * keeps the indexes current: which rows it changed is nobody's question yet.
   */
  private follow(tr: Y.Transaction): void {
    let items = false;
    for (const [changedType, keys] of tr.changed) {
      const type: object = changedType;
      const index =
        type === this.m.reads ? this.reads : type === this.m.publications ? this.pubs : null;
      if (index) for (const key of keys) if (key !== null) index.update(key);
      if (type === this.m.moves || type === this.m.items) items = true;
    }
    if (items) this.noteMovedRoots();
  }
}

/** All rows of a document, for one member's point of view. */
export function materializeAll(doc: Y.Doc, memberId: string): ItemRow[] {
  const m = new Materializer(doc, memberId);
  const rows = m.rows();
  m.destroy();
  return rows;
}
