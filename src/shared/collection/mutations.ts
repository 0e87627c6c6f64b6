// Every change to a collection. The UI, importers, the publisher and tests call these; nothing
// else writes to the document. Each mutation is one Yjs transaction tagged with the actor's
// origin, so undo can be scoped to the local member.
import type * as Y from 'yjs';
import {
  cleanUrl,
  itemIdForKey,
  normalizeTag,
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
import { compositeKey, maps, noteText, splitKey, type ItemField, type ItemFields } from './schema';

/** Who makes a change, and the transaction origin that undo tracks. */
export interface Actor {
  memberId: string;
  /** Clock, injectable for tests. */
  now?: () => number;
  origin?: unknown;
}

const clock = (actor: Actor) => (actor.now ?? Date.now)();

function transact<T>(doc: Y.Doc, actor: Actor, fn: () => T): T {
  let result!: T;
  doc.transact(() => {
    result = fn();
  }, actor.origin ?? null);
  return result;
}

function getField<F extends ItemField>(
  doc: Y.Doc,
  id: string,
  field: F,
): ItemFields[F] | undefined {
  return maps(doc).items.get(compositeKey(id, field)) as ItemFields[F] | undefined;
}

function setField<F extends ItemField>(
  doc: Y.Doc,
  id: string,
  field: F,
  value: ItemFields[F],
): void {
  const items = maps(doc).items;
  const key = compositeKey(id, field);
  if (items.get(key) !== value || !items.has(key)) items.set(key, value);
}

export function itemExists(doc: Y.Doc, id: string): boolean {
  return maps(doc).items.has(compositeKey(id, 'url'));
}

/** The id an item with this URL has (or would have). Throws InvalidUrlError for non-links. */
export function itemIdForUrl(url: string): string {
  return itemIdForKey(urlKey(url));
}

/** The id of the saved item with the same identity as this URL, live or in Trash. */
export function findItemByUrl(doc: Y.Doc, url: string): string | null {
  const id = itemIdForUrl(url);
  return itemExists(doc, id) ? id : null;
}

export interface AddResult {
  id: string;
  /** false when the link was already saved: the caller should show the existing item. */
  created: boolean;
}

/**
 * Saves a link. An already saved link (same urlKey) is not duplicated: a live one is left alone,
 * one in Trash is restored with the new tags and note merged in.
 */
export function addItem(doc: Y.Doc, draft: ItemDraft, actor: Actor): AddResult {
  const input = ItemDraftSchema.parse(draft);
  const url = cleanUrl(input.url);
  const key = urlKey(url);
  const id = itemIdForKey(key);
  return transact(doc, actor, () => {
    if (itemExists(doc, id)) {
      if (getField(doc, id, 'deletedAt') == null) return { id, created: false };
      setField(doc, id, 'deletedAt', null);
      setField(doc, id, 'deletedBy', null);
      if (input.tags) addTagsIn(doc, id, input.tags);
      if (input.note) appendNoteIn(doc, id, input.note);
      return { id, created: false };
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
    for (const field of Object.keys(fields) as ItemField[]) setField(doc, id, field, fields[field]);
    if (input.tags) addTagsIn(doc, id, input.tags);
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
  if (!itemExists(doc, id)) return false;
  transact(doc, actor, () => {
    if (input.title !== undefined) setField(doc, id, 'title', input.title.trim());
    if (input.description !== undefined) setField(doc, id, 'description', input.description.trim());
    if (input.image !== undefined) setField(doc, id, 'image', input.image);
  });
  return true;
}

function addTagsIn(doc: Y.Doc, id: string, tags: readonly string[]): void {
  const map = maps(doc).tags;
  for (const raw of tags) {
    const tag = normalizeTag(raw);
    if (tag && !map.has(compositeKey(id, tag))) map.set(compositeKey(id, tag), true);
  }
}

function removeTagsIn(doc: Y.Doc, id: string, tags: readonly string[]): void {
  const map = maps(doc).tags;
  for (const raw of tags) {
    const key = compositeKey(id, normalizeTag(raw));
    if (map.has(key)) map.delete(key);
  }
}

export function tagsOf(doc: Y.Doc, id: string): string[] {
  const prefix = compositeKey(id, '');
  const out: string[] = [];
  for (const key of maps(doc).tags.keys()) if (key.startsWith(prefix)) out.push(splitKey(key)[1]);
  return out.sort();
}

export function addTags(
  doc: Y.Doc,
  ids: readonly string[],
  tags: readonly string[],
  actor: Actor,
): void {
  transact(doc, actor, () => {
    for (const id of ids) if (itemExists(doc, id)) addTagsIn(doc, id, tags);
  });
}

export function removeTags(
  doc: Y.Doc,
  ids: readonly string[],
  tags: readonly string[],
  actor: Actor,
): void {
  transact(doc, actor, () => {
    for (const id of ids) removeTagsIn(doc, id, tags);
  });
}

/** Makes the item's tags exactly `tags`, touching only the keys that change (so merges stay add-wins). */
export function setTags(doc: Y.Doc, id: string, tags: readonly string[], actor: Actor): void {
  if (!itemExists(doc, id)) return;
  const next = new Set(tags.map(normalizeTag).filter(Boolean));
  const current = tagsOf(doc, id);
  transact(doc, actor, () => {
    removeTagsIn(
      doc,
      id,
      current.filter((t) => !next.has(t)),
    );
    addTagsIn(doc, id, [...next]);
  });
}

/** Renames a tag on every item that has it; merging into an existing tag is allowed. */
export function renameTag(doc: Y.Doc, from: string, to: string, actor: Actor): number {
  const source = normalizeTag(from);
  const target = normalizeTag(to);
  if (!source || !target || source === target) return 0;
  const map = maps(doc).tags;
  const ids = [...map.keys()]
    .map(splitKey)
    .filter(([, tag]) => tag === source)
    .map(([id]) => id);
  transact(doc, actor, () => {
    for (const id of ids) {
      map.delete(compositeKey(id, source));
      if (!map.has(compositeKey(id, target))) map.set(compositeKey(id, target), true);
    }
  });
  return ids.length;
}

/** Removes a tag from every item. */
export function deleteTag(doc: Y.Doc, tag: string, actor: Actor): number {
  const name = normalizeTag(tag);
  const map = maps(doc).tags;
  const keys = [...map.keys()].filter((k) => splitKey(k)[1] === name);
  transact(doc, actor, () => keys.forEach((k) => map.delete(k)));
  return keys.length;
}

export function markRead(doc: Y.Doc, ids: readonly string[], actor: Actor): void {
  const reads = maps(doc).reads;
  const at = clock(actor);
  transact(doc, actor, () => {
    for (const id of ids) {
      const key = compositeKey(id, actor.memberId);
      if (itemExists(doc, id) && !reads.has(key)) reads.set(key, at);
    }
  });
}

export function markUnread(doc: Y.Doc, ids: readonly string[], actor: Actor): void {
  const reads = maps(doc).reads;
  transact(doc, actor, () => {
    for (const id of ids) {
      const key = compositeKey(id, actor.memberId);
      if (reads.has(key)) reads.delete(key);
    }
  });
}

/** Soft delete: the item goes to Trash with everything on it, and edits made meanwhile survive. */
export function moveToTrash(doc: Y.Doc, ids: readonly string[], actor: Actor): void {
  const at = clock(actor);
  transact(doc, actor, () => {
    for (const id of ids) {
      if (!itemExists(doc, id) || getField(doc, id, 'deletedAt') != null) continue;
      setField(doc, id, 'deletedAt', at);
      setField(doc, id, 'deletedBy', actor.memberId);
    }
  });
}

export function restoreFromTrash(doc: Y.Doc, ids: readonly string[], actor: Actor): void {
  transact(doc, actor, () => {
    for (const id of ids) {
      if (!itemExists(doc, id) || getField(doc, id, 'deletedAt') == null) continue;
      setField(doc, id, 'deletedAt', null);
      setField(doc, id, 'deletedBy', null);
    }
  });
}

/** Deletes items for good: every field, tag, read mark, publication record and the note. */
export function purgeItems(doc: Y.Doc, ids: readonly string[], actor: Actor): void {
  const doomed = new Set(ids);
  const m = maps(doc);
  transact(doc, actor, () => {
    for (const map of [m.items, m.tags, m.reads, m.publications] as Y.Map<unknown>[]) {
      for (const key of [...map.keys()]) if (doomed.has(splitKey(key)[0])) map.delete(key);
    }
    for (const id of doomed) {
      const note = noteText(doc, id);
      if (note.length) note.delete(0, note.length);
    }
  });
}

export function trashedItemIds(doc: Y.Doc): string[] {
  const out: string[] = [];
  for (const [key, value] of maps(doc).items.entries()) {
    const [id, field] = splitKey(key);
    if (field === 'deletedAt' && value != null && itemExists(doc, id)) out.push(id);
  }
  return out;
}

export function emptyTrash(doc: Y.Doc, actor: Actor): number {
  const ids = trashedItemIds(doc);
  if (ids.length) purgeItems(doc, ids, actor);
  return ids.length;
}

function appendNoteIn(doc: Y.Doc, id: string, text: string): void {
  const note = noteText(doc, id);
  const body = text.endsWith('\n') ? text : text + '\n';
  const prefix = note.length && !note.toString().endsWith('\n') ? '\n' : '';
  note.insert(note.length, prefix + body);
}

/** Appends a paragraph to the item's note (imports, tests); the editor binds to noteText directly. */
export function appendNote(doc: Y.Doc, id: string, text: string, actor: Actor): void {
  if (!text) return;
  transact(doc, actor, () => appendNoteIn(doc, id, text));
}

export function upsertMember(doc: Y.Doc, member: Member, actor: Actor): void {
  const parsed = MemberSchema.parse(member);
  const members = maps(doc).members;
  const current = members.get(parsed.id);
  if (current && current.name === parsed.name && current.color === parsed.color) return;
  transact(doc, actor, () => members.set(parsed.id, parsed));
}

export interface CollectionMeta {
  name?: string;
  siteTitle?: string;
  siteBaseUrl?: string;
  siteDescription?: string;
}

export function setCollectionMeta(doc: Y.Doc, patch: CollectionMeta, actor: Actor): void {
  const meta = maps(doc).meta;
  transact(doc, actor, () => {
    for (const [k, v] of Object.entries(patch))
      if (v !== undefined && meta.get(k) !== v) meta.set(k, v);
  });
}

export function readCollectionMeta(doc: Y.Doc): CollectionMeta {
  const meta = maps(doc).meta;
  const str = (k: string) =>
    typeof meta.get(k) === 'string' ? (meta.get(k) as string) : undefined;
  return {
    name: str('name'),
    siteTitle: str('siteTitle'),
    siteBaseUrl: str('siteBaseUrl'),
    siteDescription: str('siteDescription'),
  };
}

export function getPublication(
  doc: Y.Doc,
  itemId: string,
  target: PublishTarget,
): PublicationRecord | null {
  const raw = maps(doc).publications.get(compositeKey(itemId, target));
  const parsed = PublicationRecordSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Writes the item's publication record for a target (before the network call, and as it progresses). */
export function recordPublication(
  doc: Y.Doc,
  itemId: string,
  record: PublicationRecord,
  actor: Actor,
): void {
  const parsed = PublicationRecordSchema.parse(record);
  transact(doc, actor, () =>
    maps(doc).publications.set(compositeKey(itemId, parsed.target), parsed),
  );
}
