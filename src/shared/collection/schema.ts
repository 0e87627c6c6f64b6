// The collection's Yjs document. Every shared type is a root type, addressed by name, and every
// per-item value lives under a flat composite key. No mutation ever creates a nested shared type
// under a map key: two replicas doing that concurrently would make one silently replace the
// other. Root types with the same name merge instead, which is what keeps both notes' text when
// two maintainers save the same link offline. docs/data-model.md describes this for other clients.
import type * as Y from 'yjs';

/**
 * The version of this schema, written to `meta.schemaVersion`. 1 was the schema before versions
 * were written; 2 added `moves` (items whose URL changed) and one tag key per replica that adds
 * the tag. See docs/data-model.md.
 */
export const SCHEMA_VERSION = 2;

/** Per-item scalar fields, keyed `${itemId}/${field}`. An item exists while it has a `url`. */
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

/** Every root map of the document, by name (notes are root texts, see NOTE_PREFIX). */
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
} as const;

export const NOTE_PREFIX = 'note:';

/**
 * The root maps. Their values are typed `unknown` because any member's client can write anything
 * under any key: read them through ./read.ts, which checks every value.
 */
export interface CollectionMaps {
  /** `name`, `siteTitle`, `siteBaseUrl`, `siteDescription`, `schemaVersion`. */
  meta: Y.Map<unknown>;
  /** `${itemId}/${field}` -> value (ItemFields) */
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
  };
}

export function noteName(itemId: string): string {
  return NOTE_PREFIX + itemId;
}

/** The item's note. A root Y.Text, so replicas that create it concurrently share one text. */
export function noteText(doc: Y.Doc, itemId: string): Y.Text {
  return doc.getText(noteName(itemId));
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
