// The collection's mutations and rows in the reference model (./merge-model.ts): each mutation as
// the writes docs/data-model.md says it makes, each row as the document schema says to read it.
import { cleanUrl, displayHost, isHttpUrl, itemIdForKey, normalizeTag, urlKey } from '../../model';
import { FIELD_DEFAULTS } from '../read';
import type { ModelReplica, MapName } from './merge-model';

const ITEM_ID = /^[2-7a-z]{20}$/;

/** What a row says, in terms both the model and the materialiser can give. */
export interface ModelRow {
  id: string;
  url: string;
  host: string;
  title: string;
  description: string;
  tags: string[];
  /** The note's paragraphs, sorted: concurrent appends may land in either order. */
  note: string[];
  addedAt: number;
  addedBy: string;
  deletedAt: number | null;
  readBy: Record<string, number>;
  status: 'unread' | 'read' | 'trash';
  publications: Record<string, unknown>;
}

interface At {
  id: string;
  movedIn: string[];
}

export class ModelCollection {
  constructor(
    readonly replica: ModelReplica,
    /** Yjs's client id of the real replica: its tag keys carry it. */
    private readonly clientId: number,
  ) {}

  // Reading.

  private owner(key: string): [string, string] {
    const i = key.indexOf('/');
    return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
  }

  private movedTo(id: string): string | undefined {
    const to = this.replica.get('moves', id);
    return typeof to === 'string' && ITEM_ID.test(to) && to !== id ? to : undefined;
  }

  /** The link's saved record: the fields it was first saved with, as one value. */
  private saved(id: string): Record<string, unknown> {
    const value = this.replica.get('items', `${id}/saved`);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  }

  /** A field of the item under `id`: its own key, else (`record`) its saved record's value. */
  private stored(id: string, field: string, record = true): unknown {
    const value = this.replica.get('items', `${id}/${field}`);
    return value !== undefined || !record ? value : this.saved(id)[field];
  }

  resolve(id: string): string {
    const path = [id];
    for (let at = id; ;) {
      const next = this.movedTo(at);
      if (next === undefined || this.stored(next, 'url') === undefined) return at;
      if (path.includes(next)) return path.slice(path.indexOf(next)).sort()[0]!;
      path.push(next);
      at = next;
    }
  }

  private group(root: string): string[] {
    const moved = this.replica.keys('moves');
    return moved.filter((id) => id !== root && this.resolve(id) === root).sort();
  }

  itemAt(id: string): At | null {
    const root = this.resolve(id);
    if (this.stored(root, 'url') === undefined) return null;
    return { id: root, movedIn: this.group(root) };
  }

  private url(id: string): string | undefined {
    const url = this.stored(id, 'url');
    return isHttpUrl(url) ? (url as string) : undefined;
  }

  /**
   * Item fields, a value under an id that moved in winning over the item's own. Under those ids a
   * saved record is their old link, not a later edit: only their own keys count.
   */
  private fields(at: At): Record<string, unknown> {
    const out: Record<string, unknown> = { ...FIELD_DEFAULTS };
    for (const id of [at.id, ...at.movedIn]) {
      for (const field of Object.keys(FIELD_DEFAULTS)) {
        const value = this.stored(id, field, id === at.id);
        if (value !== undefined) out[field] = value;
      }
    }
    return out;
  }

  private tagKeys(ids: readonly string[], tag?: string): string[] {
    return this.replica.keys('tags').filter((key) => {
      const [id, part] = this.owner(key);
      const name = part.includes('@') ? part.slice(0, part.lastIndexOf('@')) : part;
      return ids.includes(id) && (tag === undefined || name === tag);
    });
  }

  private tags(ids: readonly string[]): string[] {
    const out = new Set<string>();
    for (const key of this.tagKeys(ids)) {
      const part = this.owner(key)[1];
      out.add(part.includes('@') ? part.slice(0, part.lastIndexOf('@')) : part);
    }
    return [...out].sort();
  }

  /** A per-item map's values under the ids, by part; later ids win. */
  private values(map: MapName, ids: readonly string[]): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const id of ids) {
      for (const key of this.replica.keys(map)) {
        const [owner, part] = this.owner(key);
        if (owner === id) out.set(part, this.replica.get(map, key));
      }
    }
    return out;
  }

  private note(ids: readonly string[]): string[] {
    return ids.flatMap((id) => this.replica.note(id));
  }

  rows(me: string): ModelRow[] {
    const rows: ModelRow[] = [];
    const ids = new Set(
      this.replica
        .keys('items')
        .map((key) => this.owner(key))
        .filter(([, field]) => field === 'url' || field === 'saved')
        .map(([id]) => id),
    );
    for (const id of ids) {
      const url = this.url(id);
      if (!ITEM_ID.test(id) || this.resolve(id) !== id || !url) continue;
      const at = { id, movedIn: this.group(id) };
      const ids = [id, ...at.movedIn];
      const fields = this.fields(at);
      const readBy = Object.fromEntries(this.values('reads', ids)) as Record<string, number>;
      const deletedAt = fields.deletedAt as number | null;
      rows.push({
        id,
        url,
        host: displayHost(url),
        title: fields.title as string,
        description: fields.description as string,
        tags: this.tags(ids),
        note: this.note(ids).sort(),
        addedAt: fields.addedAt as number,
        addedBy: fields.addedBy as string,
        deletedAt,
        readBy,
        status: deletedAt !== null ? 'trash' : readBy[me] !== undefined ? 'read' : 'unread',
        publications: Object.fromEntries(this.values('publications', ids)),
      });
    }
    return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  // Writing: the keys each mutation writes.

  private setKey(map: MapName, at: At, part: string, value: unknown): void {
    if (this.replica.get(map, `${at.id}/${part}`) !== value)
      this.replica.set(map, `${at.id}/${part}`, value);
    for (const id of at.movedIn) this.replica.delete(map, `${id}/${part}`);
  }

  private clearKey(map: MapName, at: At, part: string): void {
    for (const id of [at.id, ...at.movedIn]) this.replica.delete(map, `${id}/${part}`);
  }

  private addTags(at: At, tags: readonly string[], absent: readonly string[] = []): void {
    for (const raw of tags) {
      const tag = normalizeTag(raw);
      const ids = [at.id, ...at.movedIn].filter((id) => !absent.includes(id));
      if (!tag || this.tagKeys(ids, tag).length) continue;
      this.replica.set('tags', `${at.id}/${tag}@${this.clientId}`, true);
    }
  }

  private removeTag(ids: readonly string[], tag: string): void {
    for (const key of this.tagKeys(ids, tag)) this.replica.delete('tags', key);
  }

  add(
    url: string,
    title: string,
    tags: readonly string[],
    note: string,
    by: string,
    now: number,
  ): void {
    const clean = cleanUrl(url);
    const key = urlKey(clean);
    const id = itemIdForKey(key);
    const at = this.itemAt(id);
    if (at && at.id === id && this.url(id)) {
      const fields = this.fields(at);
      if (fields.deletedAt === null) return;
      const key = this.stored(id, 'key');
      const restored = { ...fields, url: this.url(id), key: typeof key === 'string' ? key : '' };
      for (const [field, value] of Object.entries({
        ...restored,
        deletedAt: null,
        deletedBy: null,
      })) {
        this.replica.set('items', `${id}/${field}`, value);
        for (const moved of at.movedIn) this.replica.delete('items', `${moved}/${field}`);
      }
      this.addTags(at, tags);
      this.replica.append(id, note ? [note] : []);
      return;
    }
    const fresh = at?.id === id ? at : { id, movedIn: [] };
    this.replica.delete('moves', id);
    const fields = { url: clean, key, title: title.trim(), description: '', image: null };
    const more = { addedAt: now, addedBy: by, deletedAt: null, deletedBy: null };
    // Fields at what a reader assumes for a missing one are left unwritten under a fresh id.
    const unwritten: Record<string, unknown> = {
      description: '',
      image: null,
      deletedAt: null,
      deletedBy: null,
    };
    const all = { ...fields, ...more };
    // Under an id that holds nothing yet, the fields written go into one saved record.
    const empty = ['saved', ...Object.keys(all)].every(
      (field) => this.replica.get('items', `${fresh.id}/${field}`) === undefined,
    );
    if (empty) {
      const saved = Object.fromEntries(
        Object.entries(all).filter(
          ([field, value]) => !(field in unwritten && unwritten[field] === value),
        ),
      );
      this.replica.set('items', `${fresh.id}/saved`, saved);
      for (const field of Object.keys(all))
        for (const moved of fresh.movedIn) this.replica.delete('items', `${moved}/${field}`);
      this.addTags(fresh, tags);
      this.replica.append(id, note ? [note] : []);
      return;
    }
    for (const [field, value] of Object.entries(all)) {
      const absent = this.replica.get('items', `${fresh.id}/${field}`) === undefined;
      if (field in unwritten && unwritten[field] === value && absent)
        for (const id of fresh.movedIn) this.replica.delete('items', `${id}/${field}`);
      else this.setKey('items', fresh, field, value);
    }
    this.addTags(fresh, tags);
    this.replica.append(id, note ? [note] : []);
  }

  update(id: string, patch: { title?: string; description?: string }): void {
    const at = this.itemAt(id);
    if (!at) return;
    if (patch.title !== undefined) this.setKey('items', at, 'title', patch.title.trim());
    if (patch.description !== undefined)
      this.setKey('items', at, 'description', patch.description.trim());
  }

  setTags(id: string, tags: readonly string[]): void {
    const at = this.itemAt(id);
    if (!at) return;
    const next = new Set(tags.map(normalizeTag).filter(Boolean));
    for (const tag of this.tags([at.id, ...at.movedIn]))
      if (!next.has(tag)) this.removeTag([at.id, ...at.movedIn], tag);
    this.addTags(at, [...next]);
  }

  rename(from: string, to: string): void {
    const source = normalizeTag(from);
    const target = normalizeTag(to);
    if (!source || !target || source === target) return;
    const ids = new Set(this.tagKeys(this.allIds(), source).map((key) => this.owner(key)[0]));
    for (const id of ids) {
      this.removeTag([id], source);
      this.addTags({ id, movedIn: [] }, [target]);
    }
  }

  private allIds(): string[] {
    return [...new Set(this.replica.keys('tags').map((key) => this.owner(key)[0]))];
  }

  markRead(id: string, member: string, now: number): void {
    const at = this.itemAt(id);
    if (!at) return;
    const read = [at.id, ...at.movedIn].some(
      (x) => this.replica.get('reads', `${x}/${member}`) !== undefined,
    );
    if (!read) this.setKey('reads', at, member, now);
  }

  markUnread(id: string, member: string): void {
    const at = this.itemAt(id);
    if (at) this.clearKey('reads', at, member);
  }

  trash(id: string, by: string, now: number): void {
    const at = this.itemAt(id);
    if (!at || !this.url(at.id) || this.fields(at).deletedAt !== null) return;
    this.setKey('items', at, 'deletedAt', now);
    this.setKey('items', at, 'deletedBy', by);
  }

  restore(id: string): void {
    const at = this.itemAt(id);
    if (!at || !this.url(at.id) || this.fields(at).deletedAt === null) return;
    this.setKey('items', at, 'deletedAt', null);
    this.setKey('items', at, 'deletedBy', null);
  }

  purge(ids: readonly string[]): void {
    const doomed = new Set<string>();
    for (const id of ids) {
      doomed.add(id);
      const at = this.itemAt(id);
      if (at) [at.id, ...at.movedIn].forEach((x) => doomed.add(x));
    }
    for (const map of ['items', 'tags', 'reads', 'publications', 'moves'] as const)
      for (const key of this.replica.keys(map))
        if (doomed.has(this.owner(key)[0])) this.replica.delete(map, key);
    for (const id of doomed) this.replica.clear(id);
  }

  emptyTrash(): void {
    const trashed = this.rows('').filter((row) => row.status === 'trash');
    if (trashed.length) this.purge(trashed.map((row) => row.id));
  }

  appendNote(id: string, text: string): void {
    this.replica.append(this.itemAt(id)?.id ?? id, [text]);
  }

  publish(id: string, record: object): void {
    this.setKey('publications', this.itemAt(id) ?? { id, movedIn: [] }, 'site', record);
  }

  /** Returns the id the item has afterwards, or an error's name. */
  changeUrl(id: string, url: string): string {
    const clean = cleanUrl(url);
    const key = urlKey(clean);
    const next = itemIdForKey(key);
    const from = this.itemAt(id);
    if (!from || !this.url(from.id)) return 'ItemGoneError';
    if (next === from.id) {
      if (this.url(next) !== clean) this.replica.set('items', `${next}/url`, clean);
      if (this.replica.get('items', `${next}/key`) !== key)
        this.replica.set('items', `${next}/key`, key);
      return next;
    }
    if (this.resolve(next) === next && this.url(next)) return 'UrlTakenError';
    const olds = [from.id, ...from.movedIn];
    const fields = this.fields(from);
    const tags = this.tags(olds);
    const reads = this.values('reads', olds);
    const publications = this.values('publications', olds);
    const note = this.note(olds);
    for (const map of ['items', 'tags', 'reads', 'publications'] as const) {
      for (const k of this.replica.keys(map)) {
        const [owner, part] = this.owner(k);
        const kept = map === 'items' && ['url', 'key', 'saved'].includes(part);
        if (olds.includes(owner) && !kept) this.replica.delete(map, k);
      }
    }
    olds.forEach((old) => this.replica.clear(old));
    this.replica.delete('moves', next);
    for (const [field, value] of Object.entries({ ...fields, url: clean, key }))
      this.replica.set('items', `${next}/${field}`, value);
    this.addTags({ id: next, movedIn: [] }, tags, olds);
    for (const [member, at] of reads) this.replica.set('reads', `${next}/${member}`, at);
    for (const [target, record] of publications)
      this.replica.set('publications', `${next}/${target}`, record);
    this.replica.append(next, note);
    this.replica.set('moves', from.id, next);
    return next;
  }
}
