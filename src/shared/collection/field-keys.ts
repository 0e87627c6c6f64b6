// Which items have a field written under its own key (`<itemId>/title`, …) rather than only in
// their saved record. A link saved once and never edited has just its record, so reading its row
// needs one lookup in the items map instead of one for each field; at 100,000 links those
// lookups were most of the time a new device took to list a joined collection.
import type * as Y from 'yjs';
import { SAVED, compositeKey, maps, perDocument, splitKey } from './schema';

const RECORD_SUFFIX = compositeKey('', SAVED);

export interface FieldKeys {
  /** False only when no field key was ever written under `id`. */
  has(id: string): boolean;
}

/**
 * The document's items with field keys, kept current by an observer of the items map, which Yjs
 * calls before any `afterTransaction` listener. It only grows: a field key deleted later still
 * counts, which costs a lookup, never a wrong read.
 */
export const fieldKeysOf = perDocument((doc: Y.Doc): FieldKeys => {
  const items = maps(doc).items;
  const ids = new Set<string>();
  const note = (key: string) => {
    // Most keys are records: those are told apart without splitting the key.
    if (key.endsWith(RECORD_SUFFIX)) return;
    ids.add(splitKey(key)[0]);
  };
  for (const key of items.keys()) note(key);
  items.observe((event) => event.keysChanged.forEach(note));
  return ids;
});
