// A Curio JSON export of a collection document: its rows (all of them, or those chosen), members,
// settings and import records. Both the window's Export and the backups in the data folder use it.
import type * as Y from 'yjs';
import {
  clip,
  listImports,
  maps,
  materializeAll,
  movesOf,
  readCollectionMeta,
  wholeNote,
} from '../collection';
import { MemberSchema, type ItemRow, type Member } from '../model';
import { CURIO_JSON_MAX_NOTE, type CurioExportInput, type ImportRecord } from './curio-json';

export function documentMembers(doc: Y.Doc): Member[] {
  const out: Member[] = [];
  for (const [id, value] of maps(doc).members.entries()) {
    const member = MemberSchema.safeParse(value);
    if (member.success && member.data.id === id) out.push(member.data);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function documentImports(doc: Y.Doc): ImportRecord[] {
  return listImports(doc).map((record) => ({
    id: record.id,
    at: record.at,
    by: record.by,
    format: record.format,
    ...(record.source ? { fileName: record.source } : {}),
    itemIds: record.created,
  }));
}

export interface DocumentExportOptions {
  collectionId: string;
  exportedAt: number;
  /** The rows to export; every item of the document when left out. */
  rows?: readonly ItemRow[];
}

/**
 * Rows with their whole notes: a row's own note is cut to what a list shows, an export and a
 * backup carry every word the format holds.
 */
export function withWholeNotes(doc: Y.Doc, rows: readonly ItemRow[]): ItemRow[] {
  const moves = movesOf(doc);
  return rows.map((row) => {
    const note = wholeNote(doc, [row.id, ...moves.group(row.id)]);
    return {
      ...row,
      note: clip(note, CURIO_JSON_MAX_NOTE),
    };
  });
}

export function documentExport(doc: Y.Doc, options: DocumentExportOptions): CurioExportInput {
  return {
    rows: withWholeNotes(doc, options.rows ?? materializeAll(doc, '')),
    members: documentMembers(doc),
    collection: { id: options.collectionId, ...readCollectionMeta(doc) },
    imports: documentImports(doc),
    exportedAt: options.exportedAt,
  };
}
