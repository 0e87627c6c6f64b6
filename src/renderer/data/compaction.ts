// Compacting the update log without the window's document: the log's rows are replayed into a
// document of their own, which is written as a snapshot in parts that replace them in one
// transaction. Encoding a 100,000-link document takes seconds; done this way it runs on a worker
// (compaction.worker.ts) and the window goes on. The log is the source of truth, so the snapshot
// of its rows is the snapshot of everything it has saved.
import * as Y from 'yjs';
import { encodeStateInParts } from '../../shared/collection/snapshot-parts';
import type { CollectionDb, UpdateRow } from './db';

/** Origin of updates replayed from the log, which must not be appended again. */
export const PERSISTENCE_ORIGIN = Symbol('curio-persistence');

export const MATERIALISED_SEQ = 'materialisedSeq';

/** A compaction snapshot of the whole document: its parts, as log rows in order. */
export function encodeSnapshot(doc: Y.Doc, structsPerPart?: number): UpdateRow[] {
  return encodeStateInParts(doc, structsPerPart).map((data) => ({
    data,
    format: 2,
    snapshot: true,
  }));
}

export function applyLogRow(doc: Y.Doc, row: UpdateRow): void {
  if (row.format === 2) Y.applyUpdateV2(doc, row.data, PERSISTENCE_ORIGIN);
  else Y.applyUpdate(doc, row.data, PERSISTENCE_ORIGIN);
}

export interface Compacted {
  /** Rows of the snapshot that replaced the log, and their bytes. */
  rows: number;
  bytes: number;
}

/**
 * Replaces the log's rows with a snapshot of them, in one transaction; null when it did not (a row
 * it could not apply, or a log that changed while the snapshot was being made). The items table
 * stays as it is: it showed the log, and still does, so its marker moves to the snapshot's last row.
 */
export async function compactLog(
  db: CollectionDb,
  structsPerPart?: number,
): Promise<Compacted | null> {
  const rows = await db.updates.orderBy('seq').toArray();
  if (!rows.length) return null;
  const doc = new Y.Doc();
  let written: UpdateRow[];
  try {
    for (const row of rows) applyLogRow(doc, row);
    // What waits for something the log does not hold would be left out of the snapshot.
    if (doc.store.pendingStructs || doc.store.pendingDs) return null;
    written = encodeSnapshot(doc, structsPerPart);
  } catch {
    return null;
  } finally {
    doc.destroy();
  }
  const read = rows.map((row) => row.seq!);
  const last = read.at(-1)!;
  return db.transaction('rw', db.updates, db.meta, async () => {
    const now = await db.updates.orderBy('seq').primaryKeys();
    if (now.length !== read.length || now.some((seq, i) => seq !== read[i])) return null;
    const marker = (await db.meta.get(MATERIALISED_SEQ))?.value;
    await db.updates.clear();
    const seq = (await db.updates.bulkAdd(written, { allKeys: true })).at(-1);
    if (marker === last) await db.meta.put({ key: MATERIALISED_SEQ, value: seq });
    return { rows: written.length, bytes: written.reduce((n, row) => n + row.data.byteLength, 0) };
  });
}

/** Compacts a collection's log, wherever it is done. */
export type Compactor = (db: CollectionDb, structsPerPart?: number) => Promise<Compacted | null>;

export interface CompactionRequest {
  collectionId: string;
  structsPerPart?: number;
}

export type CompactionReply = { done: Compacted | null } | { failed: string };

const COLLECTION_DB_PREFIX = 'curio-collection-';

/**
 * On a worker of its own, started for each compaction and ended after it (the document it builds
 * is as large as the window's); in this thread where there are no workers (tests in Node), or for
 * a database that is not one of the app's own.
 */
export const compactOffThread: Compactor = (db, structsPerPart) => {
  if (typeof Worker === 'undefined' || !db.name.startsWith(COLLECTION_DB_PREFIX))
    return compactLog(db, structsPerPart);
  const worker = new Worker(new URL('./compaction.worker.ts', import.meta.url), {
    type: 'module',
  });
  return new Promise<Compacted | null>((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<CompactionReply>) => {
      worker.terminate();
      if ('done' in data) resolve(data.done);
      else reject(new Error(`The log could not be compacted: ${data.failed}`));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`The log could not be compacted: ${event.message || 'the worker failed'}`));
    };
    const request: CompactionRequest = {
      collectionId: db.name.slice(COLLECTION_DB_PREFIX.length),
      ...(structsPerPart ? { structsPerPart } : {}),
    };
    worker.postMessage(request);
  });
};
