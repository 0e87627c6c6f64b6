// Document -> rows. The Materializer keeps per-item indexes of tags, read marks and publication
// records, and after each transaction recomputes only the items that transaction touched, so a
// keystroke in a note or a toggle of read state costs one row, not a rebuild.
import type * as Y from 'yjs';
import {
  PublicationRecordSchema,
  displayHost,
  type ItemRow,
  type PublicationRecord,
  type PublishTarget,
} from '../model';
import {
  NOTE_PREFIX,
  maps,
  noteName,
  splitKey,
  type CollectionMaps,
  type ItemFields,
} from './schema';

export interface RowChanges {
  upserts: ItemRow[];
  /** Ids whose item no longer exists (purged). */
  removals: string[];
}

export class Materializer {
  private readonly m: CollectionMaps;
  private readonly tags = new Map<string, Set<string>>();
  private readonly reads = new Map<string, Map<string, number>>();
  private readonly pubs = new Map<string, Map<PublishTarget, PublicationRecord>>();
  private readonly noteIds = new WeakMap<object, string>();
  private readonly listeners = new Set<(changes: RowChanges) => void>();
  private readonly onTransaction = (tr: Y.Transaction) => this.apply(tr);

  constructor(
    private readonly doc: Y.Doc,
    private readonly memberId: string,
  ) {
    this.m = maps(doc);
    for (const key of this.m.tags.keys()) this.indexTag(key);
    for (const key of this.m.reads.keys()) this.indexRead(key);
    for (const key of this.m.publications.keys()) this.indexPublication(key);
    doc.on('afterTransaction', this.onTransaction);
  }

  destroy(): void {
    this.doc.off('afterTransaction', this.onTransaction);
    this.listeners.clear();
  }

  subscribe(listener: (changes: RowChanges) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  itemIds(): string[] {
    const ids: string[] = [];
    for (const key of this.m.items.keys()) {
      const [id, field] = splitKey(key);
      if (field === 'url') ids.push(id);
    }
    return ids;
  }

  rows(): ItemRow[] {
    const out: ItemRow[] = [];
    for (const id of this.itemIds()) {
      const row = this.row(id);
      if (row) out.push(row);
    }
    return out;
  }

  row(id: string): ItemRow | null {
    const get = <F extends keyof ItemFields>(f: F) =>
      this.m.items.get(`${id}/${f}`) as ItemFields[F] | undefined;
    const url = get('url');
    if (typeof url !== 'string') return null;
    const readBy = Object.fromEntries(this.reads.get(id) ?? []);
    const readAt = readBy[this.memberId] ?? null;
    const deletedAt = get('deletedAt') ?? null;
    const note = this.doc.share.has(noteName(id)) ? this.doc.getText(noteName(id)).toString() : '';
    return {
      id,
      url,
      key: get('key') ?? '',
      host: displayHost(url),
      title: get('title') || url,
      description: get('description') ?? '',
      image: get('image') ?? null,
      tags: [...(this.tags.get(id) ?? [])].sort(),
      note,
      addedAt: get('addedAt') ?? 0,
      addedBy: get('addedBy') ?? '',
      deletedAt,
      readBy,
      readAt,
      status: deletedAt != null ? 'trash' : readAt != null ? 'read' : 'unread',
      publications: Object.fromEntries(this.pubs.get(id) ?? []),
    };
  }

  private indexTag(key: string): void {
    const [id, tag] = splitKey(key);
    const set = this.tags.get(id) ?? new Set<string>();
    if (this.m.tags.has(key)) set.add(tag);
    else set.delete(tag);
    if (set.size) this.tags.set(id, set);
    else this.tags.delete(id);
  }

  private indexRead(key: string): void {
    const [id, member] = splitKey(key);
    const byMember = this.reads.get(id) ?? new Map<string, number>();
    const at = this.m.reads.get(key);
    if (typeof at === 'number') byMember.set(member, at);
    else byMember.delete(member);
    if (byMember.size) this.reads.set(id, byMember);
    else this.reads.delete(id);
  }

  private indexPublication(key: string): void {
    const [id] = splitKey(key);
    const byTarget = this.pubs.get(id) ?? new Map<PublishTarget, PublicationRecord>();
    const parsed = PublicationRecordSchema.safeParse(this.m.publications.get(key));
    const target = splitKey(key)[1] as PublishTarget;
    if (parsed.success && parsed.data.target === target) byTarget.set(target, parsed.data);
    else byTarget.delete(target);
    if (byTarget.size) this.pubs.set(id, byTarget);
    else this.pubs.delete(id);
  }

  /** Which item a root note type belongs to; rescans the document's roots once on a miss. */
  private noteItemId(type: object): string | undefined {
    const known = this.noteIds.get(type);
    if (known !== undefined) return known;
    for (const [name, root] of this.doc.share) {
      if (name.startsWith(NOTE_PREFIX)) this.noteIds.set(root, name.slice(NOTE_PREFIX.length));
    }
    return this.noteIds.get(type);
  }

  private apply(tr: Y.Transaction): void {
    if (!this.listeners.size && tr.changed.size === 0) return;
    const touched = new Set<string>();
    for (const [changedType, keys] of tr.changed) {
      const type: object = changedType;
      const collect = (index?: (key: string) => void) => {
        for (const key of keys) {
          if (key === null) continue;
          index?.(key);
          touched.add(splitKey(key)[0]);
        }
      };
      if (type === this.m.items) collect();
      else if (type === this.m.tags) collect((k) => this.indexTag(k));
      else if (type === this.m.reads) collect((k) => this.indexRead(k));
      else if (type === this.m.publications) collect((k) => this.indexPublication(k));
      else if (changedType._item === null) {
        const id = this.noteItemId(type);
        if (id !== undefined) touched.add(id);
      }
    }
    if (!touched.size || !this.listeners.size) return;
    const changes: RowChanges = { upserts: [], removals: [] };
    for (const id of touched) {
      const row = this.row(id);
      if (row) changes.upserts.push(row);
      else changes.removals.push(id);
    }
    for (const listener of this.listeners) listener(changes);
  }
}

/** All rows of a document, for one member's point of view. */
export function materializeAll(doc: Y.Doc, memberId: string): ItemRow[] {
  const m = new Materializer(doc, memberId);
  const rows = m.rows();
  m.destroy();
  return rows;
}
