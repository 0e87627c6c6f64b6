// Undoing an import on any replica, exactly: the range of Yjs ids its record names is the
// import's own writes, so whatever lies outside it (written since, or concurrently) is someone
// else's and stays. docs/data-model.md ("Imports") is the contract.
import * as Y from 'yjs';
import { UNDONE, importsMap, readImport, type ImportUndone, type StoredImport } from './imports';
import { purgeItems } from './mutations';
import { keyedNoteItemId, legacyNoteItemId, noteParts } from './notes';
import { ROOT, compositeKey, maps, splitKey } from './schema';
import { claimSchemaVersion } from './version';
import { clock, itemAt, type Actor } from './write';

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
    if (!changed.has(id) && noteParts(doc, id).some((note) => noteChanged(note, writes)))
      changed.add(id);
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

type Place = { itemId: string; map: string | null };

/**
 * Which link a struct belongs to, and where: a key of a root map (`notes` included: the text
 * itself), or the link's note (text in a `notes` text or a schema-2 root). `roots` names the
 * document's root types: looking each up in the document would cost a scan of every root.
 */
function placeOf(doc: Y.Doc, roots: ReadonlyMap<unknown, string>, item: Y.Item): Place | null {
  const parent = item.parent;
  if (!(parent instanceof Y.AbstractType)) return null;
  if (parent._item !== null) {
    const itemId = keyedNoteItemId(doc, parent);
    return itemId === null ? null : { itemId, map: null };
  }
  const name = roots.get(parent);
  if (name === undefined) return null;
  if (item.parentSub !== null) return { itemId: splitKey(item.parentSub)[0], map: name };
  const itemId = legacyNoteItemId(name);
  return itemId === null ? null : { itemId, map: null };
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
  const roots = new Map<unknown, string>([...doc.share].map(([name, type]) => [type, name]));
  for (const item of liveWrites(tr, record.writes)) {
    const place = placeOf(doc, roots, item);
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

/**
 * Maps whose keys the import adds to saved links, and which an undo removes again. Not `notes`:
 * a text the import started on a saved link is emptied of the import's words but stays, since
 * deleting its key would drop what a replica that has not seen the undo types into it.
 */
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
