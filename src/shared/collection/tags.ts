// Tags and read marks. A tag is an add-wins set element: each replica that adds it writes its
// own key `<itemId>/<tag>@<replica>` (Yjs's client id), and the tag is on the item while any key
// for it holds `true`. A removal deletes the keys it has seen, so an add it had not seen, from
// any replica, survives it. (One key per tag would be a register: of two concurrent adds only one
// survives, and a removal that saw that one would take the tag away.) A read mark is per member.
import type * as Y from 'yjs';
import { normalizeTag } from '../model';
import { readReadMark, readTag } from './read';
import { PartIndex } from './part-index';
import { compositeKey, maps, perDocument } from './schema';
import {
  clearKey,
  clock,
  eachItem,
  itemAt,
  setKey,
  transact,
  type Actor,
  type ItemAt,
} from './write';

/** The tag a key part marks, when its value is `true` (keys of schema 1 have no `@replica`). */
function readTagPart(part: string, value: unknown): string | undefined {
  const at = part.lastIndexOf('@');
  const tag = at < 0 ? part : part.slice(0, at);
  return readTag(tag, value) ? tag : undefined;
}

/** The document's tags by item (values: the tag each key marks), kept current. */
export const tagIndexOf = perDocument((doc) => {
  const tags = maps(doc).tags;
  const index = new PartIndex(tags, readTagPart);
  tags.observe((event) => event.keysChanged.forEach((key) => index.update(key)));
  return index;
});

/** Whether a tag is written under any of the ids. */
function hasTag(index: PartIndex<string>, ids: readonly string[], tag: string): boolean {
  return ids.some((id) => [...index.get(id).values()].includes(tag));
}

/** The keys of a tag under the ids. */
function keysOfTag(index: PartIndex<string>, ids: readonly string[], tag: string): string[] {
  const keys: string[] = [];
  for (const id of ids)
    for (const [part, name] of index.get(id)) if (name === tag) keys.push(compositeKey(id, part));
  return keys;
}

/** The item's tags, including those written under ids that moved into it. */
export function tagsOf(doc: Y.Doc, at: ItemAt): string[] {
  const index = tagIndexOf(doc);
  const out = new Set<string>();
  for (const id of [at.id, ...at.movedIn]) for (const tag of index.get(id).values()) out.add(tag);
  return [...out].sort();
}

export function addTagsIn(doc: Y.Doc, at: ItemAt, tags: readonly string[]): void {
  const index = tagIndexOf(doc);
  const ids = [at.id, ...at.movedIn];
  for (const raw of tags) {
    const tag = normalizeTag(raw);
    if (!tag || hasTag(index, ids, tag)) continue;
    const key = compositeKey(at.id, `${tag}@${doc.clientID}`);
    maps(doc).tags.set(key, true);
    index.update(key);
  }
}

/** Deletes every key of `tag` under the given ids. */
function removeTagIn(doc: Y.Doc, ids: readonly string[], tag: string): void {
  const index = tagIndexOf(doc);
  for (const key of keysOfTag(index, ids, tag)) {
    maps(doc).tags.delete(key);
    index.update(key);
  }
}

export function addTags(
  doc: Y.Doc,
  ids: readonly string[],
  tags: readonly string[],
  actor: Actor,
): void {
  transact(doc, actor, () => eachItem(doc, ids, (at) => addTagsIn(doc, at, tags)));
}

export function removeTags(
  doc: Y.Doc,
  ids: readonly string[],
  tags: readonly string[],
  actor: Actor,
): void {
  transact(doc, actor, () =>
    eachItem(doc, ids, (at) => {
      for (const tag of tags) removeTagIn(doc, [at.id, ...at.movedIn], normalizeTag(tag));
    }),
  );
}

/** Makes the item's tags exactly `tags`, touching only the keys that change (so merges stay add-wins). */
export function setTags(doc: Y.Doc, id: string, tags: readonly string[], actor: Actor): void {
  const at = itemAt(doc, id);
  if (!at) return;
  const next = new Set(tags.map(normalizeTag).filter(Boolean));
  const current = tagsOf(doc, at);
  transact(doc, actor, () => {
    for (const tag of current) if (!next.has(tag)) removeTagIn(doc, [at.id, ...at.movedIn], tag);
    addTagsIn(doc, at, [...next]);
  });
}

/** Renames a tag on every item that has it; merging into an existing tag is allowed. */
export function renameTag(doc: Y.Doc, from: string, to: string, actor: Actor): number {
  const source = normalizeTag(from);
  const target = normalizeTag(to);
  if (!source || !target || source === target) return 0;
  const index = tagIndexOf(doc);
  const ids = [...index.ids()].filter((id) => hasTag(index, [id], source));
  transact(doc, actor, () => {
    for (const id of ids) {
      removeTagIn(doc, [id], source);
      // Under the id it was written under: an id that moved is still read with its item.
      addTagsIn(doc, { id, movedIn: [] }, [target]);
    }
  });
  return ids.length;
}

/** Removes a tag from every item. */
export function deleteTag(doc: Y.Doc, tag: string, actor: Actor): number {
  const name = normalizeTag(tag);
  const index = tagIndexOf(doc);
  const ids = [...index.ids()].filter((id) => hasTag(index, [id], name));
  transact(doc, actor, () => removeTagIn(doc, ids, name));
  return ids.length;
}

export function markRead(doc: Y.Doc, ids: readonly string[], actor: Actor): void {
  const reads = maps(doc).reads;
  const now = clock(actor);
  transact(doc, actor, () => {
    for (const id of ids) {
      const at = itemAt(doc, id);
      if (!at) continue;
      const read = [at.id, ...at.movedIn].some(
        (x) =>
          readReadMark(actor.memberId, reads.get(compositeKey(x, actor.memberId))) !== undefined,
      );
      if (!read) setKey(reads, at, actor.memberId, now);
    }
  });
}

export function markUnread(doc: Y.Doc, ids: readonly string[], actor: Actor): void {
  transact(doc, actor, () =>
    eachItem(doc, ids, (at) => clearKey(maps(doc).reads, at, actor.memberId)),
  );
}
