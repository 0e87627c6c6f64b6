// Giving a saved link a new URL. Ids follow URLs (two replicas saving the same link offline must
// meet in one item), so the item moves: everything it carries is written under the new URL's id,
// the old id keeps only its URL and key, and `moves` maps it to the new id. Whatever a replica
// that has not heard of the move writes under the old id is read as part of the moved item.
import type * as Y from 'yjs';
import { cleanUrl, displayTitle, itemIdForKey, urlKey } from '../model';
import { HighlightRecordSchema, highlightsMap } from './highlights';
import { movesOf } from './moves';
import { clip, readItem, readPublication, readReadMark } from './read';
import { appendNoteIn, emptyNote, wholeNote } from './notes';
import { addTagsIn, tagIndexOf, tagsOf } from './tags';
import { SAVED, compositeKey, maps, splitKey, type ItemFields } from './schema';
import { itemAt, readItemAt, transact, type Actor } from './write';

/** The new URL is already another saved item's. */
export class UrlTakenError extends Error {
  constructor(
    readonly itemId: string,
    readonly title: string,
    inTrash: boolean,
  ) {
    const shown = title.length > 100 ? `${clip(title, 99)}…` : title;
    super(`Already saved as “${shown}”${inTrash ? ' (in Trash)' : ''}`);
    this.name = 'UrlTakenError';
  }
}

export class ItemGoneError extends Error {
  constructor() {
    super('This link is no longer in the collection (someone may have deleted it from Trash).');
    this.name = 'ItemGoneError';
  }
}

/**
 * Keys that stay under an old id after a move: it is still recognised by its URL. Its saved
 * record stays whole: under an id that moved, a record is read only for its URL (schema.ts, SAVED).
 */
const KEPT = new Set(['url', 'key', SAVED]);

/**
 * Changes the URL of the item saved under `id` and returns the id it has now. The same URL spelled
 * differently keeps the id. Throws InvalidUrlError for a non-link, UrlTakenError when another
 * saved item has the URL, ItemGoneError when the item is not there.
 */
export function changeItemUrl(doc: Y.Doc, id: string, input: string, actor: Actor): string {
  const url = cleanUrl(input);
  const key = urlKey(url);
  const next = itemIdForKey(key);
  return transact(doc, actor, () => {
    const from = itemAt(doc, id);
    const item = from && readItemAt(doc, from);
    if (!from || !item) throw new ItemGoneError();
    const m = maps(doc);
    if (next === from.id) {
      if (item.fields.url !== url) m.items.set(compositeKey(next, 'url'), url);
      if (item.fields.key !== key) m.items.set(compositeKey(next, 'key'), key);
      return next;
    }
    const holder = movesOf(doc).resolve(next) === next ? readItem(m.items, next) : null;
    if (holder) {
      throw new UrlTakenError(next, displayTitle(holder.fields), holder.fields.deletedAt !== null);
    }

    const olds = [from.id, ...from.movedIn];
    const carried = {
      tags: tagsOf(doc, from),
      reads: collect(m.reads, olds, readReadMark),
      // Records are read; what sits beside them (blurbs, headlines, removals) goes along as it is
      // and is checked by its own reader, like everything else in the document.
      publications: collect(m.publications, olds, (part, value) =>
        part.includes('/') ? value : readPublication(part, value)?.record,
      ),
      highlights: collect(highlightsMap(doc), olds, (_, value) =>
        HighlightRecordSchema.safeParse(value).success ? value : undefined,
      ),
      note: wholeNote(doc, olds),
    };
    clearItems(doc, new Set(olds));

    if (m.moves.has(next)) m.moves.delete(next);
    const fields: ItemFields = { ...item.fields, url, key };
    for (const [field, value] of Object.entries(fields))
      m.items.set(compositeKey(next, field), value);
    addTagsIn(doc, { id: next, movedIn: [] }, carried.tags);
    for (const [map, values] of [
      [m.reads, carried.reads],
      [m.publications, carried.publications],
      [highlightsMap(doc), carried.highlights],
    ] as const) {
      for (const [part, value] of values) map.set(compositeKey(next, part), value);
    }
    if (carried.note) appendNoteIn(doc, next, carried.note);
    m.moves.set(from.id, next);
    movesOf(doc).refresh(next);
    movesOf(doc).refresh(from.id);
    return next;
  });
}

/** The readable values under any of `ids` in a per-item map, by part; later ids win. */
function collect<V>(
  map: Y.Map<unknown>,
  ids: readonly string[],
  read: (part: string, value: unknown) => V | undefined,
): Map<string, V> {
  const wanted = new Set(ids);
  const byId = new Map<string, Map<string, V>>();
  for (const [key, value] of map.entries()) {
    const [id, part] = splitKey(key);
    if (!wanted.has(id)) continue;
    const readable = read(part, value);
    if (readable === undefined) continue;
    const values = byId.get(id) ?? new Map<string, V>();
    values.set(part, readable);
    byId.set(id, values);
  }
  const out = new Map<string, V>();
  for (const id of ids) for (const [part, value] of byId.get(id) ?? []) out.set(part, value);
  return out;
}

/** Leaves only what identifies the old ids: their URLs, keys and where they moved. */
function clearItems(doc: Y.Doc, ids: ReadonlySet<string>): void {
  const m = maps(doc);
  for (const map of [m.items, m.tags, m.reads, m.publications, highlightsMap(doc)]) {
    for (const key of [...map.keys()]) {
      const [owner, part] = splitKey(key);
      if (ids.has(owner) && !(map === m.items && KEPT.has(part))) map.delete(key);
    }
  }
  const tags = tagIndexOf(doc);
  const deleted = [...ids].flatMap((id) =>
    [...tags.get(id).keys()].map((part) => compositeKey(id, part)),
  );
  for (const key of deleted) tags.update(key);
  for (const id of ids) emptyNote(doc, id);
}
