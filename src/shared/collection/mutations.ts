// Every change to a collection's items. The UI, importers, the publisher and tests call these
// (tags and read marks in ./tags.ts, a new URL in ./change-url.ts); nothing else writes to the
// document.
import type * as Y from 'yjs';
import {
  cleanUrl,
  itemIdForKey,
  urlKey,
  ItemDraftSchema,
  ItemPatchSchema,
  MemberSchema,
  PublicationRecordSchema,
  type ItemDraft,
  type ItemPatch,
  type Member,
  type PublicationRecord,
  type PublishTarget,
} from '../model';
import { movesOf } from './moves';
import { readMember, readPublication, savedItemIds, type CollectionMeta } from './read';
import { ROOT, SCHEMA_VERSION, compositeKey, maps, splitKey, type ItemFields } from './schema';
import { appendNoteIn, emptyNote, noteForWriting, noteParts } from './notes';
import { addTagsIn } from './tags';
import { schemaCheck } from './version';
import {
  clock,
  eachItem,
  itemAt,
  readItemAt,
  setField,
  setKey,
  transact,
  type Actor,
  type ItemAt,
  writeNewItem,
} from './write';

/** The id an item with this URL has (or would have). Throws InvalidUrlError for non-links. */
export function itemIdForUrl(url: string): string {
  return itemIdForKey(urlKey(url));
}

export interface AddResult {
  id: string;
  /** false when the link was already saved: the caller should show the existing item. */
  created: boolean;
}

/**
 * Saves a link. An already saved link (same urlKey) is not duplicated: a live one is left alone,
 * one in Trash is restored with the new tags and note merged in. A link whose item moved to
 * another URL, or whose stored URL cannot be read, is saved afresh under its id.
 */
export function addItem(doc: Y.Doc, draft: ItemDraft, actor: Actor): AddResult {
  const input = ItemDraftSchema.parse(draft);
  const url = cleanUrl(input.url);
  const key = urlKey(url);
  const id = itemIdForKey(key);
  return transact(doc, actor, () => {
    const at = itemAt(doc, id);
    const saved = at?.id === id ? readItemAt(doc, at) : null;
    if (at && saved) {
      if (saved.fields.deletedAt == null) return { id, created: false };
      // Restored by writing every field again, so that another replica emptying Trash at the
      // same time deletes only the old values and the link stays saved.
      const restored = { ...saved.fields, deletedAt: null, deletedBy: null };
      for (const [field, value] of Object.entries(restored))
        setKey(maps(doc).items, at, field, value, true);
      if (input.tags) addTagsIn(doc, at, input.tags);
      if (input.note) appendNoteIn(doc, id, input.note);
      return { id, created: false };
    }
    const fresh: ItemAt = at?.id === id ? at : { id, movedIn: [] };
    const { items, moves } = maps(doc);
    if (moves.has(id)) {
      moves.delete(id);
      movesOf(doc).refresh(id);
    }
    const fields: ItemFields = {
      url,
      key,
      title: (input.title ?? '').trim(),
      description: (input.description ?? '').trim(),
      image: input.image ?? null,
      addedAt: input.addedAt ?? clock(actor),
      addedBy: actor.memberId,
      deletedAt: null,
      deletedBy: null,
    };
    writeNewItem(items, fresh, fields);
    if (input.tags) addTagsIn(doc, fresh, input.tags);
    if (input.note) appendNoteIn(doc, id, input.note);
    return { id, created: true };
  });
}

/** Saves many links in one transaction (a paste of a long list, an import): one update, one re-render. */
export function addItems(doc: Y.Doc, drafts: readonly ItemDraft[], actor: Actor): AddResult[] {
  // A Yjs transaction cannot be rolled back, so every draft is checked before the first write.
  for (const draft of drafts) cleanUrl(ItemDraftSchema.parse(draft).url);
  return transact(doc, actor, () => drafts.map((draft) => addItem(doc, draft, actor)));
}

export function updateItem(doc: Y.Doc, id: string, patch: ItemPatch, actor: Actor): boolean {
  const input = ItemPatchSchema.parse(patch);
  const at = itemAt(doc, id);
  if (!at) return false;
  transact(doc, actor, () => {
    if (input.title !== undefined) setField(doc, at, 'title', input.title.trim());
    if (input.description !== undefined) setField(doc, at, 'description', input.description.trim());
    if (input.image !== undefined) setField(doc, at, 'image', input.image);
  });
  return true;
}

/** Soft delete: the item goes to Trash with everything on it, and edits made meanwhile survive. */
export function moveToTrash(doc: Y.Doc, ids: readonly string[], actor: Actor): void {
  const now = clock(actor);
  transact(doc, actor, () =>
    eachItem(doc, ids, (at) => {
      if (readItemAt(doc, at)?.fields.deletedAt !== null) return;
      setField(doc, at, 'deletedAt', now);
      setField(doc, at, 'deletedBy', actor.memberId);
    }),
  );
}

export function restoreFromTrash(doc: Y.Doc, ids: readonly string[], actor: Actor): void {
  transact(doc, actor, () =>
    eachItem(doc, ids, (at) => {
      if (readItemAt(doc, at)?.fields.deletedAt == null) return;
      setField(doc, at, 'deletedAt', null);
      setField(doc, at, 'deletedBy', null);
    }),
  );
}

/**
 * Deletes items for good: every field, tag, read mark, publication record, queue entry,
 * highlight and the note, under the item's id and every id that moved into it.
 */
export function purgeItems(doc: Y.Doc, ids: readonly string[], actor: Actor): void {
  const doomed = new Set<string>();
  for (const id of ids) {
    doomed.add(id);
    const at = itemAt(doc, id);
    if (at) [at.id, ...at.movedIn].forEach((x) => doomed.add(x));
  }
  const m = maps(doc);
  transact(doc, actor, () => {
    const queue = doc.getMap(ROOT.queue);
    const highlights = doc.getMap(ROOT.highlights);
    for (const map of [m.items, m.tags, m.reads, m.publications, queue, highlights]) {
      for (const key of [...map.keys()]) if (doomed.has(splitKey(key)[0])) map.delete(key);
    }
    for (const id of doomed) if (m.moves.has(id)) m.moves.delete(id);
    for (const id of doomed) emptyNote(doc, id);
  });
}

/** The items in Trash: what Empty Trash deletes. */
function trashedItemIds(doc: Y.Doc): string[] {
  const out: string[] = [];
  for (const id of savedItemIds(maps(doc).items)) {
    const at = itemAt(doc, id);
    if (at?.id === id && readItemAt(doc, at)?.fields.deletedAt != null) out.push(id);
  }
  return out;
}

export function emptyTrash(doc: Y.Doc, actor: Actor): number {
  const ids = trashedItemIds(doc);
  if (ids.length) purgeItems(doc, ids, actor);
  return ids.length;
}

/**
 * Writes to the item's note through `write`, which gets its primary text, started under this
 * replica's key when the note has none: the note editor's first words, before it has a text to
 * bind to, and tests that type as the editor does.
 */
export function writeNote(
  doc: Y.Doc,
  id: string,
  write: (text: Y.Text) => void,
  actor: Actor,
): void {
  transact(doc, actor, () => write(noteForWriting(doc, id)));
}

/** Appends a paragraph to the item's note; the note editor binds to its primary text directly. */
export function appendNote(doc: Y.Doc, id: string, text: string, actor: Actor): void {
  if (!text) return;
  const at = itemAt(doc, id);
  transact(doc, actor, () => appendNoteIn(doc, at?.id ?? id, text));
}

/**
 * Writes this member's own record, and with it the schema version: the library calls this when it
 * opens a collection. In a document newer than this client it leaves both alone.
 */
export function upsertMember(doc: Y.Doc, member: Member, actor: Actor): void {
  const parsed = MemberSchema.parse(member);
  const check = schemaCheck(doc);
  if (!check.writable) return;
  const members = maps(doc).members;
  const current = readMember(parsed.id, members.get(parsed.id));
  const same = current?.name === parsed.name && current.color === parsed.color;
  if (same && check.version === SCHEMA_VERSION) return;
  transact(doc, actor, () => {
    if (!same) members.set(parsed.id, parsed);
  });
}

export function setCollectionMeta(doc: Y.Doc, patch: CollectionMeta, actor: Actor): void {
  const meta = maps(doc).meta;
  transact(doc, actor, () => {
    for (const [k, v] of Object.entries(patch))
      if (v !== undefined && meta.get(k) !== v) meta.set(k, v);
  });
}

/** The item's publication record for a target (the latest, when it moved), or null. */
export function getPublication(
  doc: Y.Doc,
  itemId: string,
  target: PublishTarget,
): PublicationRecord | null {
  const at = itemAt(doc, itemId) ?? { id: itemId, movedIn: [] };
  const publications = maps(doc).publications;
  let found: PublicationRecord | null = null;
  for (const id of [at.id, ...at.movedIn]) {
    const read = readPublication(target, publications.get(compositeKey(id, target)));
    if (read) found = read.record;
  }
  return found;
}

/** Writes the item's publication record for a target (before the network call, and as it progresses). */
export function recordPublication(
  doc: Y.Doc,
  itemId: string,
  record: PublicationRecord,
  actor: Actor,
): void {
  const parsed = PublicationRecordSchema.parse(record);
  const at = itemAt(doc, itemId) ?? { id: itemId, movedIn: [] };
  transact(doc, actor, () => setKey(maps(doc).publications, at, parsed.target, parsed));
}

/** Writes a note exactly as given into an empty note (restoring an export); false if not empty. */
export function writeNoteExactly(doc: Y.Doc, id: string, text: string, actor: Actor): boolean {
  if (!text || noteParts(doc, id).some((part) => part.length > 0)) return false;
  transact(doc, actor, () => noteForWriting(doc, id).insert(0, text));
  return true;
}
