// Imports: committing a confirmed import in one transaction and recording it in the document.
// The record names the import's own writes by their Yjs ids (one transaction writes one unbroken
// clock range of one client), so an undo (import-undo.ts) can tell what the import wrote from what
// anyone wrote since, whatever arrived through sync in between.
// docs/data-model.md ("Imports") is the contract; docs/decisions.md says why.
import * as Y from 'yjs';
import { z } from 'zod';
import type { ImportedItem, PublicationDraft } from '../import/draft';
import { PublicationRecordSchema, TID_PATTERN } from '../model';
import { movesOf } from './moves';
import { getPublication, recordPublication } from './mutations';
import { appendNoteIn, readNote } from './notes';
import { ROOT, compositeKey, maps, type ItemFields } from './schema';
import { addTagsIn, markRead } from './tags';
import {
  clock,
  itemAt,
  readItemAt,
  setField,
  transact,
  writeNewItem,
  type Actor,
  type ItemAt,
} from './write';

/** The key part under which an undo is recorded: `<importId>/undone`. */
export const UNDONE = 'undone';

const memberId = z.string().min(1).max(64);
const time = z.number().int().nonnegative();
const itemId = z.string().min(1).max(64);

/** An import as the document keeps it, under `imports[<id>]`. */
export const StoredImportSchema = z.object({
  id: z.string().regex(TID_PATTERN),
  at: time,
  by: memberId,
  /** The format it was read from ("netscape", "pocket-csv", "bluesky", …). */
  format: z.string().min(1).max(40),
  /** The file's name or the account's handle. */
  source: z.string().max(500).optional(),
  /** Links the import created. */
  created: z.array(itemId),
  /** How many links already saved it added to (tags, note, read mark, publication, Trash). */
  merged: z.number().int().nonnegative(),
  /** The import's own writes: `length` structs of `client` from `clock` on. */
  writes: z.object({
    client: z.number().int().nonnegative(),
    clock: z.number().int().nonnegative(),
    length: z.number().int().positive(),
  }),
  /** Links it brought back from Trash, with what Trash said, so an undo can put them back. */
  restored: z.array(
    z.object({ id: itemId, deletedAt: time, deletedBy: z.string().max(64).nullable() }),
  ),
});
export type StoredImport = z.infer<typeof StoredImportSchema>;

/** `imports[<id>/undone]`: written once by whoever undid it. */
export const ImportUndoneSchema = z.object({
  at: time,
  by: memberId,
  removed: z.number().int().nonnegative(),
  kept: z.number().int().nonnegative(),
});
export type ImportUndone = z.infer<typeof ImportUndoneSchema>;

export interface ImportView extends StoredImport {
  undone: ImportUndone | null;
}

export function importsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.imports);
}

/** One link of a confirmed preview, with its id and urlKey worked out where the file was read. */
export interface ImportEntry {
  id: string;
  key: string;
  item: ImportedItem;
}

export interface ImportInput {
  /** A TID, so records sort by time. */
  id: string;
  format: string;
  source?: string;
  entries: readonly ImportEntry[];
}

export interface CommitOutcome {
  /** Null when the import changed nothing (every link was already there as the file has it). */
  record: StoredImport | null;
  created: number;
  merged: number;
}

/** Writes a new link, leaving unwritten the fields a reader assumes (write.ts, writeNewItem). */
function createItem(doc: Y.Doc, entry: ImportEntry, addedAt: number, actor: Actor): void {
  const { item } = entry;
  const fields: ItemFields = {
    url: item.url,
    key: entry.key,
    title: item.title,
    description: item.description,
    image: item.image ?? null,
    addedAt: item.addedAt ?? addedAt,
    addedBy: actor.memberId,
    deletedAt: null,
    deletedBy: null,
  };
  const { items, moves } = maps(doc);
  // The id once moved to another URL (mutations.ts, addItem): this link is saved afresh under it.
  if (moves.has(entry.id)) {
    moves.delete(entry.id);
    movesOf(doc).refresh(entry.id);
  }
  writeNewItem(items, { id: entry.id, movedIn: [] }, fields);
}

/** The link saved under this id itself (not one it moved to), or null: then the import creates it. */
function savedAt(doc: Y.Doc, id: string): ItemAt | null {
  const at = itemAt(doc, id);
  return at?.id === id && readItemAt(doc, at) ? at : null;
}

/** Unites what the file says about a link with what the collection has; never overwrites. */
function addToItem(
  doc: Y.Doc,
  at: ItemAt,
  item: ImportedItem,
  actor: Actor,
  restored: StoredImport['restored'] | null,
): void {
  const { id } = at;
  // A link created just now (no list to note restores in) is not in Trash: reading its fields
  // back would cost a quarter of a large import.
  const saved = restored ? readItemAt(doc, at)!.fields : null;
  if (saved && saved.deletedAt !== null) {
    restored!.push({ id, deletedAt: saved.deletedAt, deletedBy: saved.deletedBy });
    setField(doc, at, 'deletedAt', null);
    setField(doc, at, 'deletedBy', null);
  }
  if (item.tags.length) addTagsIn(doc, at, item.tags);
  if (item.note && !readNote(doc, [id, ...at.movedIn]).includes(item.note))
    appendNoteIn(doc, id, item.note);
  if (item.read) markRead(doc, [id], { ...actor, now: () => item.readAt ?? clock(actor) });
  for (const publication of item.publications) {
    if (getPublication(doc, id, publication.target)) continue;
    recordPublication(doc, id, publicationRecord(publication, actor), actor);
  }
}

function publicationRecord(draft: PublicationDraft, actor: Actor) {
  return { ...draft, by: actor.memberId };
}

export class ImportCommitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportCommitError';
  }
}

/** Drafts' links were cleaned where the file was read; this only keeps anything else out. */
const HTTP_LINK = /^https?:\/\/\S+$/;

/**
 * A Yjs transaction cannot be rolled back, so whatever could stop a write halfway is checked
 * before the first one: the link and the records it carries.
 */
function checkEntries(entries: readonly ImportEntry[], actor: Actor): void {
  for (const { item } of entries) {
    const where = item.origin ? `${item.origin}: ` : '';
    if (!HTTP_LINK.test(item.url))
      throw new ImportCommitError(`${where}${item.url.slice(0, 80)} is not an http(s) link.`);
    for (const publication of item.publications) {
      const parsed = PublicationRecordSchema.safeParse(publicationRecord(publication, actor));
      if (!parsed.success)
        throw new ImportCommitError(`${where}its ${publication.target} record cannot be stored.`);
    }
  }
}

/**
 * Commits a confirmed preview in one transaction: new links are created, links already saved get
 * what the file adds (tags, note, read mark, publication records, out of Trash), and the import is
 * recorded with the range of its writes. Links without a date are dated a millisecond apart in
 * the order given, the first newest (data-model.md, "Links saved together").
 */
export function commitImport(doc: Y.Doc, input: ImportInput, actor: Actor): CommitOutcome {
  checkEntries(input.entries, actor);
  const now = clock(actor);
  const outcome: CommitOutcome = { record: null, created: 0, merged: 0 };
  transact(doc, actor, () => {
    const client = doc.clientID;
    const start = Y.getState(doc.store, client);
    const created: string[] = [];
    const restored: StoredImport['restored'] = [];
    input.entries.forEach((entry, index) => {
      const before = Y.getState(doc.store, client);
      const saved = savedAt(doc, entry.id);
      if (saved) {
        addToItem(doc, saved, entry.item, actor, restored);
        if (Y.getState(doc.store, client) > before) outcome.merged++;
        return;
      }
      createItem(doc, entry, now - index, actor);
      created.push(entry.id);
      // A new link gets its tags, note, read mark and records the way a saved one does.
      addToItem(doc, itemAt(doc, entry.id)!, entry.item, actor, null);
    });
    outcome.created = created.length;
    const length = Y.getState(doc.store, client) - start;
    if (length === 0) return;
    const record: StoredImport = {
      id: input.id,
      at: now,
      by: actor.memberId,
      format: input.format,
      ...(input.source ? { source: input.source.slice(0, 500) } : {}),
      created,
      merged: outcome.merged,
      writes: { client, clock: start, length },
      restored,
    };
    // Written right after the range it names: readImport checks that, so a record cannot claim
    // writes it did not make.
    importsMap(doc).set(record.id, record);
    outcome.record = record;
  });
  return outcome;
}

/** The record as stored, if it is well formed and was written right after the writes it names. */
export function readImport(doc: Y.Doc, id: string): ImportView | null {
  const map = importsMap(doc);
  const parsed = StoredImportSchema.safeParse(map.get(id));
  if (!parsed.success || parsed.data.id !== id) return null;
  const { client, clock, length } = parsed.data.writes;
  const stored = map._map.get(id);
  if (!stored || stored.id.client !== client || stored.id.clock !== clock + length) return null;
  const undone = ImportUndoneSchema.safeParse(map.get(compositeKey(id, UNDONE)));
  return { ...parsed.data, undone: undone.success ? undone.data : null };
}

/** Every readable import, newest first. */
export function listImports(doc: Y.Doc): ImportView[] {
  const out: ImportView[] = [];
  for (const key of importsMap(doc).keys()) {
    if (key.includes('/')) continue;
    const view = readImport(doc, key);
    if (view) out.push(view);
  }
  return out.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
