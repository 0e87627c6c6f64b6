// Tags and read marks. A tag is an add-wins set element: each replica that adds it writes its
// own key `<itemId>/<tag>@<replica>` (Yjs's client id), and the tag is on the item while any key
// for it holds `true`. A removal deletes the keys it has seen, so an add it had not seen, from
// any replica, survives it. (One key per tag would be a register: of two concurrent adds only one
// survives, and a removal that saw that one would take the tag away.) A read mark is per member.
import type * as Y from 'yjs';
import { normalizeTag } from '../model';
import { readReadMark, readTag } from './read';
import { compositeKey, isItemId, maps, perDocument, splitKey } from './schema';
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

/** The tag a key part names: the part before the replica suffix (keys of schema 1 have none). */
function tagOfPart(part: string): string {
  const at = part.lastIndexOf('@');
  return at < 0 ? part : part.slice(0, at);
}

/** Which tags each item has and under which keys, kept current as the document changes. */
export class TagIndex {
  private readonly byItem = new Map<string, Map<string, Set<string>>>();
  private readonly unreadable = new Map<string, Set<string>>();

  constructor(private readonly map: Y.Map<unknown>) {
    for (const key of map.keys()) this.refresh(key);
    map.observe((event) => event.keysChanged.forEach((key) => this.refresh(key)));
  }

  /** Re-reads one key; returns its item id, or undefined when the key names no item. */
  refresh(key: string): string | undefined {
    const [id, part] = splitKey(key);
    if (!isItemId(id)) return undefined;
    const tag = tagOfPart(part);
    const present = this.map.has(key);
    const readable = present && readTag(tag, this.map.get(key));
    const tags = this.byItem.get(id);
    const keys = tags?.get(tag);
    if (readable) {
      if (keys) keys.add(key);
      else if (tags) tags.set(tag, new Set([key]));
      else this.byItem.set(id, new Map([[tag, new Set([key])]]));
    } else if (tags && keys?.delete(key) && !keys.size) {
      tags.delete(tag);
      if (!tags.size) this.byItem.delete(id);
    }
    const bad = this.unreadable.get(id);
    if (present && !readable) {
      if (bad) bad.add(key);
      else this.unreadable.set(id, new Set([key]));
    } else if (bad?.delete(key) && !bad.size) {
      this.unreadable.delete(id);
    }
    return id;
  }

  /** The tags written under one id, each with its keys. */
  of(id: string): ReadonlyMap<string, ReadonlySet<string>> {
    return this.byItem.get(id) ?? EMPTY;
  }

  hasUnreadable(id: string): boolean {
    return this.unreadable.has(id);
  }

  /** Every id with at least one tag. */
  ids(): IterableIterator<string> {
    return this.byItem.keys();
  }
}

const EMPTY: ReadonlyMap<string, ReadonlySet<string>> = new Map();
/** The document's tag index, built once and kept current. */
export const tagIndexOf = perDocument((doc) => new TagIndex(maps(doc).tags));

/** The item's tags, including those written under ids that moved into it. */
export function tagsOf(doc: Y.Doc, at: ItemAt): string[] {
  const index = tagIndexOf(doc);
  const out = new Set<string>();
  for (const id of [at.id, ...at.movedIn]) for (const tag of index.of(id).keys()) out.add(tag);
  return [...out].sort();
}

export function addTagsIn(doc: Y.Doc, at: ItemAt, tags: readonly string[]): void {
  const index = tagIndexOf(doc);
  const ids = [at.id, ...at.movedIn];
  for (const raw of tags) {
    const tag = normalizeTag(raw);
    if (!tag || ids.some((id) => index.of(id).has(tag))) continue;
    const key = compositeKey(at.id, `${tag}@${doc.clientID}`);
    maps(doc).tags.set(key, true);
    index.refresh(key);
  }
}

/** Deletes every key of `tag` under the given ids. */
function removeTagIn(doc: Y.Doc, ids: readonly string[], tag: string): void {
  const index = tagIndexOf(doc);
  for (const id of ids) {
    for (const key of [...(index.of(id).get(tag) ?? [])]) {
      maps(doc).tags.delete(key);
      index.refresh(key);
    }
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
  const ids = [...index.ids()].filter((id) => index.of(id).has(source));
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
  const ids = [...index.ids()].filter((id) => index.of(id).has(name));
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
