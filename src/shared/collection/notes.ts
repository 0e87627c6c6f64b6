// An item's note. Since schema 3 it lives in the `notes` map, one Y.Text per replica that started
// it, under `<itemId>/<clientId>`: only the replica with that client id ever sets its key, so no
// text ever replaces another, and a note two replicas start at once has two texts, both read.
// Documents written before keep the note in a root text `note:<itemId>`, which is still read
// and, while it holds text, still written, so older clients go on seeing what is typed.
// One root text per note made every full-state encode scan all roots for each note (quadratic);
// docs/data-model.md ("Notes") and docs/decisions.md say more.
import * as Y from 'yjs';
import { MAX_NOTE } from '../model';
import { PartIndex } from './part-index';
import { clip } from './read';
import { ROOT, compositeKey, isItemId, perDocument, splitKey } from './schema';

/** Prefix of the root texts that held notes before schema 3. */
export const LEGACY_NOTE_PREFIX = 'note:';

/** The root text of an item's note as schema 2 and earlier wrote it. */
export function legacyNoteName(itemId: string): string {
  return LEGACY_NOTE_PREFIX + itemId;
}

/** The item a schema-2 note root belongs to, or null when the name is no note's. */
export function legacyNoteItemId(rootName: string): string | null {
  const id = rootName.slice(LEGACY_NOTE_PREFIX.length);
  return rootName.startsWith(LEGACY_NOTE_PREFIX) && isItemId(id) ? id : null;
}

/** A key's part after the item id: the decimal Yjs client id of the replica that started it. */
const CLIENT_ID = /^[0-9]{1,20}$/;

/** The text under a `notes` key, or undefined when the key or value is not one (forged). */
function readNotePart(part: string, value: unknown): Y.Text | undefined {
  return CLIENT_ID.test(part) && value instanceof Y.Text && !(value instanceof Y.XmlText)
    ? value
    : undefined;
}

export function notesMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.notes);
}

/** The `notes` texts by item, kept current by the map's observer and by the writers here. */
const noteIndexOf = perDocument((doc) => {
  const notes = notesMap(doc);
  const index = new PartIndex(notes, readNotePart);
  notes.observe((event) => event.keysChanged.forEach((key) => index.update(key)));
  return index;
});

/** The item's schema-2 root text, if the document has one (never creates it). */
function legacyNote(doc: Y.Doc, itemId: string): Y.Text | null {
  const name = legacyNoteName(itemId);
  return doc.share.has(name) ? doc.getText(name) : null;
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/** The item's `notes` texts in ascending key order. */
function keyedNotes(doc: Y.Doc, itemId: string): Y.Text[] {
  return [...noteIndexOf(doc).get(itemId)].sort(byKey).map(([, text]) => text);
}

/** The texts the item's note is made of, in reading order: the schema-2 root, then `notes` by key. */
export function noteParts(doc: Y.Doc, itemId: string): Y.Text[] {
  const legacy = legacyNote(doc, itemId);
  const keyed = keyedNotes(doc, itemId);
  return legacy ? [legacy, ...keyed] : keyed;
}

/**
 * The text the note editor edits and writes append to, the same on every replica that has seen
 * the same: the schema-2 root while it holds text, else the `notes` text with the smallest key.
 * Null while the note has no text at all.
 */
export function primaryNote(doc: Y.Doc, itemId: string): Y.Text | null {
  const legacy = legacyNote(doc, itemId);
  if (legacy && legacy.length > 0) return legacy;
  return keyedNotes(doc, itemId)[0] ?? null;
}

/**
 * The primary text, started under this replica's own key when the note has none. Call it in the
 * transaction that writes to it, so the key never exists without what was typed.
 */
export function noteForWriting(doc: Y.Doc, itemId: string): Y.Text {
  const primary = primaryNote(doc, itemId);
  if (primary) return primary;
  const key = compositeKey(itemId, String(doc.clientID));
  const text = new Y.Text();
  notesMap(doc).set(key, text);
  noteIndexOf(doc).update(key);
  return text;
}

/** Every text under `ids` that is not empty, a blank line apart; stops once past `max`. */
function joinParts(doc: Y.Doc, ids: readonly string[], max: number): string {
  let note = '';
  for (const id of ids) {
    for (const part of noteParts(doc, id)) {
      if (note.length > max) return note;
      const text = part.toString();
      if (!text) continue;
      note += !note ? text : (note.endsWith('\n') ? '\n' : '\n\n') + text;
    }
  }
  return note;
}

/** The note as read (rows, search, excerpts, exports): its texts under `ids`, cut to MAX_NOTE. */
export function readNote(doc: Y.Doc, ids: readonly string[]): string {
  return clip(joinParts(doc, ids, MAX_NOTE), MAX_NOTE);
}

/** The whole note under `ids`, uncut: what a link's new URL carries over. */
export function wholeNote(doc: Y.Doc, ids: readonly string[]): string {
  return joinParts(doc, ids, Infinity);
}

/** Appends a paragraph to the item's note (its primary text), on a line of its own. */
export function appendNoteIn(doc: Y.Doc, itemId: string, text: string): void {
  const note = noteForWriting(doc, itemId);
  const body = text.endsWith('\n') ? text : text + '\n';
  const prefix = note.length && !note.toString().endsWith('\n') ? '\n' : '';
  note.insert(note.length, prefix + body);
}

/**
 * Empties every text of the item's note but keeps its keys: what purging and a new URL leave.
 * Text that a replica which has not heard of it yet types meanwhile survives (deleting a key
 * would drop it with the key) and reads as the note again, or follows the moved item.
 */
export function emptyNote(doc: Y.Doc, itemId: string): void {
  for (const part of noteParts(doc, itemId)) if (part.length) part.delete(0, part.length);
}

/** The item a text under `notes` belongs to; null for any other type (or a forged key). */
export function keyedNoteItemId(doc: Y.Doc, type: { _item: Y.Item | null }): string | null {
  const entry = type._item;
  if (entry === null || entry.parent !== notesMap(doc) || entry.parentSub === null) return null;
  const [id, part] = splitKey(entry.parentSub);
  return isItemId(id) && readNotePart(part, type) ? id : null;
}

/** Calls `listener` after each transaction that changed which text is the item's primary. */
export function observePrimaryNote(doc: Y.Doc, itemId: string, listener: () => void): () => void {
  let primary = primaryNote(doc, itemId);
  const check = () => {
    const now = primaryNote(doc, itemId);
    if (now === primary) return;
    primary = now;
    listener();
  };
  doc.on('afterTransaction', check);
  return () => doc.off('afterTransaction', check);
}

/**
 * A note editor's undo history: every `notes` text is in scope (a schema-2 root joins with
 * `addToScope`), and only `origin`'s transactions are tracked. It takes back what was typed but
 * never a text itself: undoing a note's first words must not delete the text they started, which
 * another replica may be typing into by then.
 */
export function noteUndoManager(doc: Y.Doc, origin: object): Y.UndoManager {
  const notes = notesMap(doc);
  return new Y.UndoManager(notes, {
    trackedOrigins: new Set([origin]),
    deleteFilter: (item) => item.parent !== notes,
  });
}
