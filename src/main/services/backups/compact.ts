// A backup's two files from the collection's update log: the document compacted into one update
// (what Curio restores from) and the same collection as Curio JSON (what any tool can read).
import * as Y from 'yjs';
import type { BackupRequest } from '../../../shared/backups';
import { documentExport, serializeCurioJson } from '../../../shared/export';

export interface CompactedBackup {
  document: Uint8Array;
  json: string;
  /** Links in the collection, Trash included. */
  items: number;
}

export function compactBackup(request: BackupRequest, takenAt: number): CompactedBackup {
  const doc = new Y.Doc();
  try {
    // In the log's order, each in its own encoding; Yjs holds back what arrives before its causes.
    doc.transact(() =>
      request.updates.forEach((update, i) => {
        if (request.encodings?.[i] === 2) Y.applyUpdateV2(doc, update);
        else Y.applyUpdate(doc, update);
      }),
    );
    const data = documentExport(doc, { collectionId: request.collectionId, exportedAt: takenAt });
    return {
      document: Y.encodeStateAsUpdate(doc),
      json: serializeCurioJson(data),
      items: data.rows.length,
    };
  } finally {
    doc.destroy();
  }
}
