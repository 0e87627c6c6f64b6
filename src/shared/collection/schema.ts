// The collection's Yjs document. Per-item values live in root maps under flat composite keys.
// No mutation creates a nested shared type under a key another replica may also set: of two
// created concurrently, one would silently replace the other. The one nested type, a note's
// Y.Text, sits under a key only its own replica writes (notes.ts). docs/data-model.md describes
// this for other clients.
import type * as Y from 'yjs';

/**
 * The version of this schema, written to `meta.schemaVersion`. 1 was the schema before versions
 * were written; 2 added `moves` (items whose URL changed) and one tag key per replica that adds
 * the tag; 3 moved new notes from one root text per item into the `notes` map; 4 writes a new
 * link's fields as one value, its saved record (SAVED). See docs/data-model.md.
 */
export const SCHEMA_VERSION = 4;

/**
 * The part of the key `${itemId}/saved`: the fields a link was first saved with, as one object
 * (schema 4). A field's own key, once written, wins over the record. Only the item's own id reads
 * its record; under an id that moved into another item, a record counts only as that id's URL.
 */
export const SAVED = 'saved';

/**
 * Per-item scalar fields, keyed `${itemId}/${field}` or held in the item's saved record. An item
 * exists while it has a `url`.
 */
export interface ItemFields {
  url: string;
  key: string;
  title: string;
  description: string;
  image: string | null;
  addedAt: number;
  addedBy: string;
  deletedAt: number | null;
  deletedBy: string | null;
}
export type ItemField = keyof ItemFields;

/** What an item id looks like (see itemIdForKey): 20 characters of the base32-sortable alphabet. */
export const ITEM_ID = /^[2-7a-z]{20}$/;

export function isItemId(value: unknown): value is string {
  return typeof value === 'string' && ITEM_ID.test(value);
}

/** Every root map of the document, by name (older documents also hold root note texts, notes.ts). */
export const ROOT = {
  meta: 'meta',
  items: 'items',
  tags: 'tags',
  reads: 'reads',
  members: 'members',
  publications: 'publications',
  moves: 'moves',
  /** The posting queue (queue.ts): `<itemId>/<field>`. */
  queue: 'queue',
  /** Claims on posting slots (queue.ts): `<slot>/<clientId>`. */
  slotClaims: 'slotClaims',
  /** The posting schedule (queue-schedule.ts): one key a setting. */
  schedule: 'schedule',
  /** Imports (imports.ts): `<importId>` → record, `<importId>/undone` → who undid it. */
  imports: 'imports',
  /** Highlights (highlights.ts): `<itemId>/<highlightId>`. */
  highlights: 'highlights',
  /** Notes (notes.ts): `<itemId>/<clientId>` → Y.Text. */
  notes: 'notes',
} as const;

/**
 * The root maps. Their values are typed `unknown` because any member's client can write anything
 * under any key: read them through ./read.ts, which checks every value.
 */
export interface CollectionMaps {
  /** `name`, `siteTitle`, `siteBaseUrl`, `siteDescription`, `schemaVersion`. */
  meta: Y.Map<unknown>;
  /** `${itemId}/${field}` -> value (ItemFields); `${itemId}/saved` -> the fields first saved. */
  items: Y.Map<unknown>;
  /** `${itemId}/${tag}` -> true. Presence is membership; a concurrent add beats a remove. */
  tags: Y.Map<unknown>;
  /** `${itemId}/${memberId}` -> time read (ms). */
  reads: Y.Map<unknown>;
  /** memberId -> Member. Each member writes only their own key. */
  members: Y.Map<unknown>;
  /** `${itemId}/${target}` -> PublicationRecord. */
  publications: Y.Map<unknown>;
  /** `${itemId}` -> the id the item moved to when its URL changed. */
  moves: Y.Map<unknown>;
  /** `${itemId}/${clientId}` -> Y.Text, written only by that client (notes.ts). */
  notes: Y.Map<unknown>;
}

export function maps(doc: Y.Doc): CollectionMaps {
  return {
    meta: doc.getMap(ROOT.meta),
    items: doc.getMap(ROOT.items),
    tags: doc.getMap(ROOT.tags),
    reads: doc.getMap(ROOT.reads),
    members: doc.getMap(ROOT.members),
    publications: doc.getMap(ROOT.publications),
    moves: doc.getMap(ROOT.moves),
    notes: doc.getMap(ROOT.notes),
  };
}

const SEP = '/';

export function compositeKey(itemId: string, part: string): string {
  return `${itemId}${SEP}${part}`;
}

/** Splits `${itemId}/${rest}`; item ids never contain the separator, the rest may. */
export function splitKey(key: string): [itemId: string, part: string] {
  const i = key.indexOf(SEP);
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
}

/** One value per document, made on first use (an index its observers keep current). */
export function perDocument<T>(create: (doc: Y.Doc) => T): (doc: Y.Doc) => T {
  const byDoc = new WeakMap<Y.Doc, T>();
  return (doc) => {
    let value = byDoc.get(doc);
    if (value === undefined) {
      value = create(doc);
      byDoc.set(doc, value);
    }
    return value;
  };
}
