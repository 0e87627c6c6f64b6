// A Curio JSON export of a collection document: its rows (all of them, or those chosen), members,
// settings and import records. Both the window's Export and the backups in the data folder use it.
import type * as Y from 'yjs';
import { listImports, maps, materializeAll, readCollectionMeta } from '../collection';
import { MemberSchema, type ItemRow, type Member } from '../model';
import type { CurioExportInput, ImportRecord } from './curio-json';

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

export function documentExport(doc: Y.Doc, options: DocumentExportOptions): CurioExportInput {
  return {
    rows: options.rows ?? materializeAll(doc, ''),
    members: documentMembers(doc),
    collection: { id: options.collectionId, ...readCollectionMeta(doc) },
    imports: documentImports(doc),
    exportedAt: options.exportedAt,
  };
}
