// Imports: committing a confirmed import in one transaction, recording it in the document, and
// undoing it later on any replica. The record names the import's own writes by their Yjs ids (one
// transaction writes one unbroken clock range of one client), so an undo can tell what the import
// wrote from what anyone wrote since, whatever arrived through sync in between.
// docs/data-model.md ("Imports") is the contract; docs/decisions.md says why.
import * as Y from 'yjs';
import { z } from 'zod';
import type { ImportedItem, PublicationDraft } from '../import/draft';
import { PublicationRecordSchema, TID_PATTERN } from '../model';
import { movesOf } from './moves';
import { appendNoteIn, getPublication, purgeItems, recordPublication } from './mutations';
import { readNote } from './read';
import { ROOT, compositeKey, maps, noteName, noteText, splitKey, type ItemFields } from './schema';
import { addTagsIn, markRead } from './tags';
import { claimSchemaVersion } from './version';
import { clock, itemAt, readItemAt, setField, transact, type Actor, type ItemAt } from './write';

const UNDONE = 'undone';

const memberId = z.string().min(1).max(64);
const time = z.number().int().nonnegative();
const itemId = z.string().min(1).max(64);

/** An import as the document keeps it, under `imports[<id>]`. */
export const StoredImportSchema = z.object({
  id: z.string().regex(TID_PATTERN),
  at: time,
  by: memberId,
  /** The format it was read from ("netscape", "pocket-csv", "bluesky", …). */
  format: z.string().min(1).max(40),
  /** The file's name or the account's handle. */
  source: z.string().max(500).optional(),
  /** Links the import created. */
  created: z.array(itemId),
  /** How many links already saved it added to (tags, note, read mark, publication, Trash). */
  merged: z.number().int().nonnegative(),
  /** The import's own writes: `length` structs of `client` from `clock` on. */
  writes: z.object({
    client: z.number().int().nonnegative(),
    clock: z.number().int().nonnegative(),
    length: z.number().int().positive(),
  }),
  /** Links it brought back from Trash, with what Trash said, so an undo can put them back. */
  restored: z.array(
    z.object({ id: itemId, deletedAt: time, deletedBy: z.string().max(64).nullable() }),
  ),
});
export type StoredImport = z.infer<typeof StoredImportSchema>;

/** `imports[<id>/undone]`: written once by whoever undid it. */
export const ImportUndoneSchema = z.object({
  at: time,
  by: memberId,
  removed: z.number().int().nonnegative(),
  kept: z.number().int().nonnegative(),
});
export type ImportUndone = z.infer<typeof ImportUndoneSchema>;

export interface ImportView extends StoredImport {
  undone: ImportUndone | null;
}

function importsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.imports);
}

/** One link of a confirmed preview, with its id and urlKey worked out where the file was read. */
export interface ImportEntry {
  id: string;
  key: string;
  item: ImportedItem;
}

export interface ImportInput {
  /** A TID, so records sort by time. */
  id: string;
  format: string;
  source?: string;
  entries: readonly ImportEntry[];
}

export interface CommitOutcome {
  /** Null when the import changed nothing (every link was already there as the file has it). */
  record: StoredImport | null;
  created: number;
  merged: number;
}

const FIELD_DEFAULTS: Partial<ItemFields> = {
  description: '',
  image: null,
  deletedAt: null,
  deletedBy: null,
};

/**
 * Writes a new link. Only fields that differ from what a reader assumes for a missing field are
 * written (data-model.md): at 100,000 links that is a third fewer structs to create, encode,
 * store and sync.
 */
function createItem(doc: Y.Doc, entry: ImportEntry, addedAt: number, actor: Actor): void {
  const { item } = entry;
  const fields: ItemFields = {
    url: item.url,
    key: entry.key,
    title: item.title,
    description: item.description,
    image: item.image ?? null,
    addedAt: item.addedAt ?? addedAt,
    addedBy: actor.memberId,
    deletedAt: null,
    deletedBy: null,
  };
  const { items, moves } = maps(doc);
  // The id once moved to another URL (mutations.ts, addItem): this link is saved afresh under it.
  if (moves.has(entry.id)) {
    moves.delete(entry.id);
    movesOf(doc).refresh(entry.id);
  }
  for (const [field, value] of Object.entries(fields) as Array<[keyof ItemFields, unknown]>) {
    if (field in FIELD_DEFAULTS && FIELD_DEFAULTS[field] === value) continue;
    items.set(compositeKey(entry.id, field), value as ItemFields[keyof ItemFields]);
  }
}

/** The link saved under this id itself (not one it moved to), or null: then the import creates it. */
function savedAt(doc: Y.Doc, id: string): ItemAt | null {
  const at = itemAt(doc, id);
  return at?.id === id && readItemAt(doc, at) ? at : null;
}

/** Unites what the file says about a link with what the collection has; never overwrites. */
function addToItem(
  doc: Y.Doc,
  at: ItemAt,
  item: ImportedItem,
  actor: Actor,
  restored: StoredImport['restored'] | null,
): void {
  const { id } = at;
  // A link created just now (no list to note restores in) is not in Trash: reading its fields
  // back would cost a quarter of a large import.
  const saved = restored ? readItemAt(doc, at)!.fields : null;
  if (saved && saved.deletedAt !== null) {
    restored!.push({ id, deletedAt: saved.deletedAt, deletedBy: saved.deletedBy });
    setField(doc, at, 'deletedAt', null);
    setField(doc, at, 'deletedBy', null);
  }
  if (item.tags.length) addTagsIn(doc, at, item.tags);
  if (item.note && !readNote(doc, [id, ...at.movedIn]).includes(item.note))
    appendNoteIn(doc, id, item.note);
  if (item.read) markRead(doc, [id], { ...actor, now: () => item.readAt ?? clock(actor) });
  for (const publication of item.publications) {
    if (getPublication(doc, id, publication.target)) continue;
    recordPublication(doc, id, publicationRecord(publication, actor), actor);
  }
}

function publicationRecord(draft: PublicationDraft, actor: Actor) {
  return { ...draft, by: actor.memberId };
}

export class ImportCommitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportCommitError';
  }
}

/** Drafts' links were cleaned where the file was read; this only keeps anything else out. */
const HTTP_LINK = /^https?:\/\/\S+$/;

/**
 * A Yjs transaction cannot be rolled back, so whatever could stop a write halfway is checked
 * before the first one: the link and the records it carries.
 */
function checkEntries(entries: readonly ImportEntry[], actor: Actor): void {
  for (const { item } of entries) {
    const where = item.origin ? `${item.origin}: ` : '';
    if (!HTTP_LINK.test(item.url))
      throw new ImportCommitError(`${where}${item.url.slice(0, 80)} is not an http(s) link.`);
    for (const publication of item.publications) {
      const parsed = PublicationRecordSchema.safeParse(publicationRecord(publication, actor));
      if (!parsed.success)
        throw new ImportCommitError(`${where}its ${publication.target} record cannot be stored.`);
    }
  }
}

/**
 * Commits a confirmed preview in one transaction: new links are created, links already saved get
 * what the file adds (tags, note, read mark, publication records, out of Trash), and the import is
 * recorded with the range of its writes. Links without a date are dated a millisecond apart in
 * the order given, the first newest (data-model.md, "Links saved together").
 */
export function commitImport(doc: Y.Doc, input: ImportInput, actor: Actor): CommitOutcome {
  checkEntries(input.entries, actor);
  const now = clock(actor);
  const outcome: CommitOutcome = { record: null, created: 0, merged: 0 };
  transact(doc, actor, () => {
    const client = doc.clientID;
    const start = Y.getState(doc.store, client);
    const created: string[] = [];
    const restored: StoredImport['restored'] = [];
    input.entries.forEach((entry, index) => {
      const before = Y.getState(doc.store, client);
      const saved = savedAt(doc, entry.id);
      if (saved) {
        addToItem(doc, saved, entry.item, actor, restored);
        if (Y.getState(doc.store, client) > before) outcome.merged++;
        return;
      }
      createItem(doc, entry, now - index, actor);
      created.push(entry.id);
      // A new link gets its tags, note, read mark and records the way a saved one does.
      addToItem(doc, itemAt(doc, entry.id)!, entry.item, actor, null);
    });
    outcome.created = created.length;
    const length = Y.getState(doc.store, client) - start;
    if (length === 0) return;
    const record: StoredImport = {
      id: input.id,
      at: now,
      by: actor.memberId,
      format: input.format,
      ...(input.source ? { source: input.source.slice(0, 500) } : {}),
      created,
      merged: outcome.merged,
      writes: { client, clock: start, length },
      restored,
    };
    // Written right after the range it names: readImport checks that, so a record cannot claim
    // writes it did not make.
    importsMap(doc).set(record.id, record);
    outcome.record = record;
  });
  return outcome;
}

/** The record as stored, if it is well formed and was written right after the writes it names. */
export function readImport(doc: Y.Doc, id: string): ImportView | null {
  const map = importsMap(doc);
  const parsed = StoredImportSchema.safeParse(map.get(id));
  if (!parsed.success || parsed.data.id !== id) return null;
  const { client, clock, length } = parsed.data.writes;
  const stored = map._map.get(id);
  if (!stored || stored.id.client !== client || stored.id.clock !== clock + length) return null;
  const undone = ImportUndoneSchema.safeParse(map.get(compositeKey(id, UNDONE)));
  return { ...parsed.data, undone: undone.success ? undone.data : null };
}

/** Every readable import, newest first. */
export function listImports(doc: Y.Doc): ImportView[] {
  const out: ImportView[] = [];
  for (const key of importsMap(doc).keys()) {
    if (key.includes('/')) continue;
    const view = readImport(doc, key);
    if (view) out.push(view);
  }
  return out.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** The import's own writes: `length` structs of one client from `clock` on. */
class Writes {
  private readonly end: number;
  constructor(private readonly range: StoredImport['writes']) {
    this.end = range.clock + range.length;
  }
  /** Whether the struct starting at `id` is one of the import's. */
  has(id: Y.ID): boolean {
    return id.client === this.range.client && id.clock >= this.range.clock && id.clock < this.end;
  }
  /** Whether every part of `item` is the import's (a text item can span several writes). */
  covers(item: Y.Item): boolean {
    return this.has(item.id) && item.id.clock + item.length <= this.end;
  }
  overlaps(item: Y.Item): boolean {
    const { client, clock } = this.range;
    return (
      item.id.client === client && item.id.clock < this.end && item.id.clock + item.length > clock
    );
  }
}

const sameId = (a: Y.ID | null, b: Y.ID | null) =>
  a === b || (a !== null && b !== null && Y.compareIDs(a, b));

/**
 * Whether someone else wrote `item`'s key at the same time as the import, unaware of it: such a
 * write has the same origin (it replaced the same value) and lost to the import's by Yjs's order.
 */
function hasRival(item: Y.Item, writes: Writes): boolean {
  for (let other = item.left; other; other = other.left) {
    if (!writes.has(other.id) && sameId(other.origin, item.origin)) return true;
  }
  return false;
}

/**
 * Whether a map key holds anything but the import's value: a later value, a value written
 * concurrently, or the import's value removed. `last` is the key's newest struct; older ones hang
 * off `left`. A key the import never wrote counts only while it holds a value.
 */
function keyChanged(last: Y.Item, writes: Writes): boolean {
  if (!last.deleted && !writes.has(last.id)) return true;
  for (let item: Y.Item | null = last; item; item = item.left) {
    if (writes.has(item.id)) return item.deleted || hasRival(item, writes);
  }
  return false;
}

/** Whether a note holds text the import did not write, or lost text it did. */
function noteChanged(note: { _start: Y.Item | null }, writes: Writes): boolean {
  for (let item = note._start; item; item = item.right) {
    if (!item.countable) continue;
    if (item.deleted ? writes.overlaps(item) : !writes.covers(item)) return true;
  }
  return false;
}

/** The links among `created` that anything but the import (read marks aside) has touched. */
function changedSince(doc: Y.Doc, created: ReadonlySet<string>, writes: Writes): Set<string> {
  const changed = new Set<string>();
  const m = maps(doc);
  for (const map of [m.items, m.tags, m.publications] as Y.Map<unknown>[]) {
    for (const [key, last] of map._map) {
      const [id] = splitKey(key);
      if (created.has(id) && !changed.has(id) && keyChanged(last, writes)) changed.add(id);
    }
  }
  for (const id of created) {
    const note = doc.share.get(noteName(id));
    if (!changed.has(id) && note && noteChanged(note, writes)) changed.add(id);
  }
  return changed;
}

/**
 * The import's structs that are still in the document, each wholly inside its range (the ends
 * are split first, as Y.UndoManager does: text the import appended may have merged with text the
 * same client typed just before).
 */
function liveWrites(tr: Y.Transaction, range: StoredImport['writes']): Y.Item[] {
  const { client, clock, length } = range;
  const structs = tr.doc.store.clients.get(client);
  if (!structs || Y.getState(tr.doc.store, client) < clock + length) return [];
  Y.getItemCleanStart(tr, Y.createID(client, clock));
  Y.getItemCleanEnd(tr, tr.doc.store, Y.createID(client, clock + length - 1));
  const out: Y.Item[] = [];
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const struct = structs[i]!;
    if (struct.id.clock >= clock + length) break;
    if (struct instanceof Y.Item && !struct.deleted) out.push(struct);
  }
  return out;
}

/** Which link a struct belongs to, and where: a key of a root map, or the link's note. */
function placeOf(doc: Y.Doc, item: Y.Item): { itemId: string; map: string | null } | null {
  const parent = item.parent;
  if (!(parent instanceof Y.AbstractType) || parent._item !== null) return null;
  const name = Y.findRootTypeKey(parent);
  if (item.parentSub !== null) return { itemId: splitKey(item.parentSub)[0], map: name };
  return name.startsWith('note:') ? { itemId: name.slice('note:'.length), map: null } : null;
}

/**
 * Takes back what the import added to links that were already saved: its tags, note text, read
 * marks and publication records, unless someone wrote the same key at the same time (then it is
 * theirs too); links it brought back from Trash go back while nobody has trashed or restored them
 * since. Returns the links it changed.
 */
function revertAdditions(tr: Y.Transaction, record: StoredImport, writes: Writes): Set<string> {
  const doc = tr.doc;
  const created = new Set(record.created);
  const reverted = new Set<string>();
  const rewrite: StoredImport['restored'] = [];
  for (const item of liveWrites(tr, record.writes)) {
    const place = placeOf(doc, item);
    if (!place || created.has(place.itemId)) continue;
    if (place.map === ROOT.items) {
      const entry = record.restored.find((r) => r.id === place.itemId);
      if (entry && splitKey(item.parentSub!)[1] === 'deletedAt') rewrite.push(entry);
      continue;
    }
    const undoable = place.map === null || UNDOABLE_MAPS.has(place.map);
    if (!undoable || (place.map !== null && hasRival(item, writes))) continue;
    item.delete(tr);
    reverted.add(place.itemId);
  }
  const items = maps(doc).items;
  for (const { id, deletedAt, deletedBy } of rewrite) {
    items.set(compositeKey(id, 'deletedAt'), deletedAt);
    items.set(compositeKey(id, 'deletedBy'), deletedBy);
    reverted.add(id);
  }
  return reverted;
}

/** Maps whose keys the import adds to saved links, and which an undo removes again. */
const UNDOABLE_MAPS = new Set<string>([ROOT.tags, ROOT.reads, ROOT.publications]);

export interface UndoOutcome {
  /** Links the import created that are gone again. */
  removed: number;
  /** Links the import created that someone has changed since: they stay, with all they have. */
  kept: number;
  /** Links saved before the import that lost what it added to them. */
  reverted: number;
}

export class ImportUndoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportUndoError';
  }
}

/**
 * Undoes an import, on any replica, exactly: the links it created go unless anyone has changed
 * them since (a read mark is no change); what it added to links already saved is taken back;
 * nothing anyone else wrote is touched. One transaction; the record is marked undone.
 */
export function undoImport(doc: Y.Doc, id: string, actor: Actor): UndoOutcome {
  const record = readImport(doc, id);
  if (!record) throw new ImportUndoError('This import is not recorded in the collection.');
  if (record.undone) throw new ImportUndoError('This import has been undone already.');
  const writes = new Writes(record.writes);
  const outcome: UndoOutcome = { removed: 0, kept: 0, reverted: 0 };
  doc.transact((tr) => {
    claimSchemaVersion(doc);
    const created = new Set(record.created.filter((itemId) => itemAt(doc, itemId) !== null));
    const changed = changedSince(doc, created, writes);
    const removable = [...created].filter((itemId) => !changed.has(itemId));
    outcome.reverted = revertAdditions(tr, record, writes).size;
    purgeItems(doc, removable, actor);
    outcome.removed = removable.length;
    outcome.kept = changed.size;
    const undone: ImportUndone = {
      at: clock(actor),
      by: actor.memberId,
      removed: outcome.removed,
      kept: outcome.kept,
    };
    importsMap(doc).set(compositeKey(id, UNDONE), undone);
  }, actor.origin ?? null);
  return outcome;
}

/** Writes a note exactly as given into an empty note (restoring an export); false if not empty. */
export function writeNoteExactly(doc: Y.Doc, id: string, text: string, actor: Actor): boolean {
  const note = noteText(doc, id);
  if (note.length || !text) return false;
  transact(doc, actor, () => note.insert(0, text));
  return true;
}
