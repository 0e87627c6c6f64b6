// The collection's Yjs document. Every shared type is a root type, addressed by name, and every
// per-item value lives under a flat composite key. No mutation ever creates a nested shared type
// under a map key: two replicas doing that concurrently would make one silently replace the
// other. Root types with the same name merge instead, which is what keeps both notes' text when
// two maintainers save the same link offline. docs/data-model.md describes this for other clients.
import type * as Y from 'yjs';
import type { PublicationRecord, Member } from '../model';

export const SCHEMA_VERSION = 1;

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

export const ROOT = {
  meta: 'meta',
  items: 'items',
  tags: 'tags',
  reads: 'reads',
  members: 'members',
  publications: 'publications',
} as const;

export const NOTE_PREFIX = 'note:';

export type ItemsMap = Y.Map<ItemFields[ItemField]>;

export interface CollectionMaps {
  meta: Y.Map<unknown>;
  /** `${itemId}/${field}` -> value */
  items: ItemsMap;
  /** `${itemId}/${tag}` -> true. Presence is membership; a concurrent add beats a remove. */
  tags: Y.Map<true>;
  /** `${itemId}/${memberId}` -> time read (ms). */
  reads: Y.Map<number>;
  /** memberId -> Member. Each member writes only their own key. */
  members: Y.Map<Member>;
  /** `${itemId}/${target}` -> PublicationRecord. */
  publications: Y.Map<PublicationRecord>;
}

export function maps(doc: Y.Doc): CollectionMaps {
  return {
    meta: doc.getMap(ROOT.meta),
    items: doc.getMap(ROOT.items) as ItemsMap,
    tags: doc.getMap(ROOT.tags) as Y.Map<true>,
    reads: doc.getMap(ROOT.reads) as Y.Map<number>,
    members: doc.getMap(ROOT.members) as Y.Map<Member>,
    publications: doc.getMap(ROOT.publications) as Y.Map<PublicationRecord>,
  };
}

export function noteName(itemId: string): string {
  return NOTE_PREFIX + itemId;
}

/** The item's note. A root Y.Text, so replicas that create it concurrently share one text. */
export function noteText(doc: Y.Doc, itemId: string): Y.Text {
  return doc.getText(noteName(itemId));
}

export const SEP = '/';

export function compositeKey(itemId: string, part: string): string {
  return itemId + SEP + part;
}

/** Splits `${itemId}/${rest}`; item ids never contain the separator, the rest may. */
export function splitKey(key: string): [itemId: string, part: string] {
  const i = key.indexOf(SEP);
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
}
