// Curio JSON read back. As drafts it previews and merges like any import; into an empty
// collection, restoreCurioExport rebuilds the same collection: members, every item with its
// author, date, tags, note, each member's read marks, Trash and publication records.
import type * as Y from 'yjs';
import type { ItemDraft } from '../model';
import {
  addItem,
  itemIdForUrl,
  markRead,
  moveToTrash,
  recordPublication,
  setCollectionMeta,
  upsertMember,
  writeNoteExactly,
  type Actor,
} from '../collection';
import {
  CURIO_JSON_FORMAT,
  CURIO_JSON_VERSION,
  CurioExportSchema,
  CurioItemSchema,
  type CurioExport,
  type CurioItem,
} from '../export/curio-json';
import { DraftCollector } from './collect';
import type { ImportRun } from './result';

/** The item's own fields; a title equal to the URL is how an untitled link was written. */
function itemDraft(item: CurioItem): ItemDraft {
  return {
    url: item.url,
    title: item.title === item.url ? '' : item.title,
    description: item.description,
    image: item.image,
    tags: item.tags,
    note: item.note,
    addedAt: item.addedAt,
  };
}

export interface CurioJsonRead {
  out: DraftCollector;
  /** The whole export, when its head is valid; items that failed validation are left out of it. */
  data: CurioExport | null;
}

export async function parseCurioJson(json: unknown, run: ImportRun): Promise<CurioJsonRead> {
  const out = new DraftCollector();
  const head = CurioExportSchema.omit({ items: true }).safeParse(json);
  const rawItems = (json as { items?: unknown }).items;
  const version = (json as { version?: unknown }).version;
  if (typeof version === 'number' && version > CURIO_JSON_VERSION) {
    out.problem(
      '',
      `the file was written by a newer Curio (format version ${version}); update Curio to import it`,
    );
    return { out, data: null };
  }
  if (!head.success || !Array.isArray(rawItems)) {
    const issue = head.success
      ? 'no "items" list'
      : `${head.error.issues[0]?.path.join('.')}: ${head.error.issues[0]?.message}`;
    out.problem('', `the file is not a ${CURIO_JSON_FORMAT} export Curio can read (${issue})`);
    return { out, data: null };
  }
  const items: CurioExport['items'] = [];
  for (const [i, raw] of rawItems.entries()) {
    const where = `item ${i + 1}`;
    const parsed = CurioItemSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      out.problem(
        where,
        `it is not an item Curio can read (${issue?.path.join('.')}: ${issue?.message})`,
      );
      continue;
    }
    const item = parsed.data;
    const reads = Object.values(item.readBy);
    const added = out.add(where, {
      ...itemDraft(item),
      read: reads.length > 0,
      readAt: reads.length ? Math.max(...reads) : undefined,
      highlights: item.highlights.map((h) => ({ quote: h.exact, note: h.note, createdAt: h.at })),
      publications: item.publications.map(({ by: _by, error: _error, blurb: _blurb, ...p }) => p),
    });
    if (added) items.push(item);
    if ((i + 1) % 2_000 === 0) await run.checkpoint(i + 1, rawItems.length);
  }
  return { out, data: { ...head.data, items } };
}

/**
 * Writes a whole export into a collection document in one transaction, through the collection's
 * own mutations. Meant for an empty collection; on a filled one, existing items are left as they
 * are, as addItem leaves them. Returns the ids of the items written.
 */
export function restoreCurioExport(doc: Y.Doc, data: CurioExport, actor: Actor): string[] {
  const ids: string[] = [];
  const as = (memberId: string, at?: number): Actor => ({
    memberId: memberId || actor.memberId,
    origin: actor.origin,
    now: at === undefined ? actor.now : () => at,
  });
  doc.transact(() => {
    const { id: _id, ...meta } = data.collection;
    setCollectionMeta(doc, meta, actor);
    for (const member of data.members) upsertMember(doc, member, actor);
    for (const item of data.items) {
      const id = itemIdForUrl(item.url);
      const { created } = addItem(doc, { ...itemDraft(item), note: '' }, as(item.addedBy));
      if (!created) continue;
      ids.push(id);
      // As written, not as appended: a note typed without a final line break stays so.
      writeNoteExactly(doc, id, item.note, actor);
      for (const [member, at] of Object.entries(item.readBy)) markRead(doc, [id], as(member, at));
      for (const record of item.publications) recordPublication(doc, id, record, actor);
      if (item.deletedAt !== null) moveToTrash(doc, [id], as(item.addedBy, item.deletedAt));
    }
  }, actor.origin ?? null);
  return ids;
}
