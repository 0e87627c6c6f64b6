// How every mutation writes: one Yjs transaction tagged with the actor's origin (so undo can be
// scoped to the local member), stating the schema version, and addressing an item by the id that
// holds it now. An item read together with the ids that moved into it is written under its own
// id, and the same key under those ids is cleared, or a value left there would keep winning.
import type * as Y from 'yjs';
import { movesOf } from './moves';
import { FIELD_SCHEMAS, hasUrl, readItem, type StoredItem } from './read';
import { SAVED, compositeKey, maps, type ItemField, type ItemFields } from './schema';
import { claimSchemaVersion } from './version';

/** Who makes a change, and the transaction origin that undo tracks. */
export interface Actor {
  memberId: string;
  /** Clock, injectable for tests. */
  now?: () => number;
  origin?: unknown;
}

export const clock = (actor: Actor) => (actor.now ?? Date.now)();

/** Runs `fn` as one transaction. Throws NewerSchemaError, before writing, on a newer document. */
export function transact<T>(doc: Y.Doc, actor: Actor, fn: () => T): T {
  let result!: T;
  doc.transact(() => {
    claimSchemaVersion(doc);
    result = fn();
  }, actor.origin ?? null);
  return result;
}

/** An item as the mutations see it: the id holding it and the ids read together with it. */
export interface ItemAt {
  id: string;
  /** Ids that moved into this item. */
  movedIn: string[];
}

/** The item saved under `id` now (following moves), or null when there is none. */
export function itemAt(doc: Y.Doc, id: string): ItemAt | null {
  const moves = movesOf(doc);
  const root = moves.resolve(id);
  if (!hasUrl(maps(doc).items, root)) return null;
  return { id: root, movedIn: moves.group(root) };
}

/** Runs `change` on the item saved under each of `ids` (following moves); ids of none are skipped. */
export function eachItem(doc: Y.Doc, ids: readonly string[], change: (at: ItemAt) => void): void {
  for (const id of ids) {
    const at = itemAt(doc, id);
    if (at) change(at);
  }
}

/** The item's fields as its row shows them, or null when it has no readable URL. */
export function readItemAt(doc: Y.Doc, at: ItemAt): StoredItem | null {
  return readItem(maps(doc).items, at.id, at.movedIn);
}

/** The fields a new link leaves unwritten when they hold these values: a reader assumes them. */
const UNWRITTEN: Partial<ItemFields> = {
  description: '',
  image: null,
  deletedAt: null,
  deletedBy: null,
};

const FIELDS = Object.keys(FIELD_SCHEMAS) as ItemField[];

/** Whether nothing of an item was ever left under `id`: no saved record and no field. */
function holdsNothing(items: Y.Map<unknown>, id: string): boolean {
  return (
    !items.has(compositeKey(id, SAVED)) && FIELDS.every((f) => !items.has(compositeKey(id, f)))
  );
}

/**
 * Writes a new link's fields under `at.id`. A field holding what a reader assumes for a missing
 * one is not written (data-model.md, Item fields); under an id that holds nothing yet the others
 * go into one value, the saved record, and otherwise each into its own key, where a default is
 * written too if the id already holds a value for it. Every field is cleared under the ids that
 * moved into the item. At 100,000 links the record is half the structs a link costs to create,
 * hold, encode, store and sync.
 */
export function writeNewItem(items: Y.Map<unknown>, at: ItemAt, fields: ItemFields): void {
  if (holdsNothing(items, at.id)) {
    const saved: Partial<ItemFields> = {};
    for (const [field, value] of Object.entries(fields) as Array<[ItemField, unknown]>) {
      if (!(field in UNWRITTEN && UNWRITTEN[field] === value))
        Object.assign(saved, { [field]: value });
      for (const id of at.movedIn) deleteKey(items, compositeKey(id, field));
    }
    items.set(compositeKey(at.id, SAVED), saved);
    return;
  }
  for (const [field, value] of Object.entries(fields) as Array<[ItemField, unknown]>) {
    const unwritten = field in UNWRITTEN && UNWRITTEN[field] === value;
    if (unwritten && !items.has(compositeKey(at.id, field))) clearKey(items, at, field);
    else setKey(items, at, field, value);
  }
}

/**
 * Sets a key of the item and clears it under the ids that moved into it. An unchanged value is
 * not written again unless `rewrite`: a rewrite survives a concurrent deletion of the old one.
 */
export function setKey(
  map: Y.Map<unknown>,
  at: ItemAt,
  part: string,
  value: unknown,
  rewrite = false,
): void {
  const key = compositeKey(at.id, part);
  if (rewrite || !map.has(key) || map.get(key) !== value) map.set(key, value);
  for (const id of at.movedIn) deleteKey(map, compositeKey(id, part));
}

/** Clears a key of the item everywhere it is read from. */
export function clearKey(map: Y.Map<unknown>, at: ItemAt, part: string): void {
  for (const id of [at.id, ...at.movedIn]) deleteKey(map, compositeKey(id, part));
}

function deleteKey(map: Y.Map<unknown>, key: string): void {
  if (map.has(key)) map.delete(key);
}

export function setField<F extends ItemField>(
  doc: Y.Doc,
  at: ItemAt,
  field: F,
  value: ItemFields[F],
): void {
  setKey(maps(doc).items, at, field, value);
}
