// Keeps a collection's Y.Doc durable in IndexedDB. Every update the document emits (local edits
// and updates from the hub alike) is appended to the log, together with the rows it changed, in
// one strict-durability transaction; only then does it stop counting as pending. The log is
// compacted into a snapshot once it grows, atomically, so a crash at any point leaves either the
// old rows or the snapshot, never neither. The snapshot is written in parts that each apply within
// a frame, and the log replays row by row, so opening a large collection never holds the window.
import * as Y from 'yjs';
import { ObservableV2 } from 'lib0/observable';
import type { ItemRow } from '../../shared/model';
import { ROWS_VERSION, type Materializer, type RowChanges } from '../../shared/collection';
import {
  MATERIALISED_SEQ,
  PERSISTENCE_ORIGIN,
  applyLogRow,
  compactOffThread,
  type Compactor,
} from './compaction';
import { readInPages, type CollectionDb, type UpdateRow } from './db';
import { timeSlices } from './next-task';
import { STATUS_COUNTS_KEY, countRows, keepStatusCounts } from './status-counts';

export { PERSISTENCE_ORIGIN, encodeSnapshot } from './compaction';

/** Rows written per request batch: a few tens of milliseconds of cloning each. */
const ROWS_PER_PUT = 1_000;

export interface CompactionPolicy {
  /** Compact when this many rows have been appended since the last snapshot… */
  maxRows: number;
  /**
   * …or this many bytes have (or as many as the snapshot itself holds, if that is more: a large
   * collection is not re-encoded on every change just because its snapshot is large).
   */
  maxBytes: number;
  /** Yjs structs per part of the snapshot (see snapshot-parts.ts). */
  structsPerPart?: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = { maxRows: 500, maxBytes: 2_000_000 };

export interface LoadReport {
  rows: number;
  bytes: number;
  /** Rows and bytes of the snapshot the log starts with, once it has been compacted. */
  snapshotRows: number;
  snapshotBytes: number;
  /** Log rows that could not be decoded; they are kept aside (meta `corrupt:<seq>`) and skipped. */
  corrupt: number[];
  /** Whether the items table had to be rebuilt from the document. */
  rebuilt: boolean;
}

/**
 * Log rows per read. A read's rows are copied into the window in one task: at 100,000 links the
 * whole log (85 MB) took 0.3–0.4 s, and a compaction snapshot's part is a few hundred kilobytes.
 */
export const LOG_ROWS_PER_READ = 8;

/**
 * The log in order, `perRead` rows per read, each read's rows handed to `each` before the next
 * is asked for. Reads that a compaction comes between are still the whole document: its snapshot
 * follows every row it replaced, and applying a row twice changes nothing.
 */
export function readLog(
  db: CollectionDb,
  perRead: number,
  each: (rows: UpdateRow[]) => void | Promise<void>,
): Promise<void> {
  return readInPages(db.updates, (row) => row.seq!, perRead, each);
}

/** How long the replay may hold the window before it lets a frame through, in milliseconds. */
const REPLAY_SLICE_MS = 12;

/**
 * Replays the log into `doc`, row by row, letting the window paint and take input between
 * slices. The caller creates the Materializer afterwards. A row that cannot be decoded costs only
 * itself: it is kept aside (meta `corrupt:<seq>`) and skipped.
 */
export async function loadDocFromLog(
  db: CollectionDb,
  doc: Y.Doc,
  perRead = LOG_ROWS_PER_READ,
): Promise<Omit<LoadReport, 'rebuilt'> & { lastSeq: number }> {
  const report = {
    rows: 0,
    bytes: 0,
    snapshotRows: 0,
    snapshotBytes: 0,
    corrupt: [] as number[],
    lastSeq: 0,
  };
  const slice = timeSlices(REPLAY_SLICE_MS);
  await readLog(db, perRead, async (rows) => {
    for (const row of rows) {
      report.rows++;
      report.bytes += row.data.byteLength;
      if (row.snapshot) {
        report.snapshotRows++;
        report.snapshotBytes += row.data.byteLength;
      }
      report.lastSeq = row.seq!;
      try {
        applyLogRow(doc, row);
      } catch {
        report.corrupt.push(row.seq!);
      }
      await slice();
    }
  });
  if (report.corrupt.length) {
    await db.transaction('rw', db.updates, db.meta, async () => {
      for (const seq of report.corrupt) {
        const row = await db.updates.get(seq);
        if (row) await db.meta.put({ key: `corrupt:${seq}`, value: row.data });
        await db.updates.delete(seq);
      }
    });
  }
  return report;
}

/** Brings the items table in line with the document when it is behind the log (or empty). */
export async function reconcileRows(
  db: CollectionDb,
  materializer: Materializer,
  lastSeq: number,
): Promise<{ rebuilt: boolean; rows: ItemRow[] | null }> {
  const materialised = (await db.meta.get(MATERIALISED_SEQ))?.value;
  if (materialised === lastSeq && (await rowsAreCurrent(db))) return { rebuilt: false, rows: null };
  const rows = materializer.rows();
  await db.transaction('rw', db.items, db.meta, async () => {
    await db.items.clear();
    await db.items.bulkPut(rows);
    await db.meta.put({ key: STATUS_COUNTS_KEY, value: countRows(rows) });
    await db.meta.put({ key: MATERIALISED_SEQ, value: lastSeq });
    await db.meta.put({ key: ROWS_VERSION_KEY, value: ROWS_VERSION });
  });
  return { rebuilt: true, rows };
}

const ROWS_VERSION_KEY = 'rowsVersion';

/** Whether the items table holds rows of this version's shape; others are rebuilt on load. */
export async function rowsAreCurrent(db: CollectionDb): Promise<boolean> {
  return (await db.meta.get(ROWS_VERSION_KEY))?.value === ROWS_VERSION;
}

/** One log row of a batch of updates, in their encoding (the second, if the batch mixes them). */
function mergedRow(batch: readonly UpdateRow[]): UpdateRow {
  if (batch.length === 1) return { ...batch[0]! };
  if (batch.every((row) => row.format !== 2))
    return { data: Y.mergeUpdates(batch.map((r) => r.data)) };
  const v2 = batch.map((r) => (r.format === 2 ? r.data : Y.convertUpdateFormatV1ToV2(r.data)));
  return { data: Y.mergeUpdatesV2(v2), format: 2 };
}

export class UpdateLog extends ObservableV2<{
  /** `pending` changed. */
  change: () => void;
  /** A write failed; it is retried. */
  error: (error: unknown) => void;
}> {
  private queue: UpdateRow[] = [];
  /** The update encoding taken from the document (see useEncoding). */
  private encoding: 1 | 2 = 2;
  private rowChanges = new Map<string, ItemRow | null>();
  private tail: Promise<void> = Promise.resolve();
  private scheduled = false;
  private rowsSinceSnapshot: number;
  private bytesSinceSnapshot: number;
  private snapshotBytes: number;
  /** After a compaction that did not happen, how many rows since the snapshot before another try. */
  private compactAgainAfter = 0;
  private inFlight = 0;
  private closed = false;
  private readonly unsubscribeRows: () => void;
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === PERSISTENCE_ORIGIN || this.closed) return;
    this.queue.push({ data: update });
    this.schedule();
  };
  private readonly onUpdateV2 = (update: Uint8Array, origin: unknown) => {
    if (origin === PERSISTENCE_ORIGIN || this.closed) return;
    this.queue.push({ data: update, format: 2 });
    this.schedule();
  };

  constructor(
    private readonly db: CollectionDb,
    private readonly doc: Y.Doc,
    materializer: Materializer,
    loaded: { rows: number; bytes: number; snapshotRows: number; snapshotBytes: number },
    private readonly policy: CompactionPolicy = DEFAULT_COMPACTION,
    private readonly compactor: Compactor = compactOffThread,
  ) {
    super();
    this.rowsSinceSnapshot = loaded.rows - loaded.snapshotRows;
    this.bytesSinceSnapshot = loaded.bytes - loaded.snapshotBytes;
    this.snapshotBytes = loaded.snapshotBytes;
    doc.on('updateV2', this.onUpdateV2);
    this.unsubscribeRows = materializer.subscribe((changes: RowChanges) => {
      if (this.closed) return;
      for (const row of changes.upserts) this.rowChanges.set(row.id, row);
      for (const id of changes.removals) this.rowChanges.set(id, null);
    });
  }

  private get current() {
    return this.encoding === 2 ? this.onUpdateV2 : this.onUpdate;
  }

  /**
   * Which of Yjs's update encodings the log takes from the document. Yjs encodes a transaction
   * once for each encoding someone listens to, and the second writes a 100,000-link import in two
   * thirds of the time of the first; but while the hub connection listens to the first (the
   * y-websocket protocol speaks only that), the log takes the same bytes rather than have every
   * change encoded twice.
   */
  useEncoding(encoding: 1 | 2): void {
    if (encoding === this.encoding || this.closed) return;
    this.doc.off(this.encoding === 2 ? 'updateV2' : 'update', this.current);
    this.encoding = encoding;
    this.doc.on(encoding === 2 ? 'updateV2' : 'update', this.current);
  }

  /** Updates emitted but not yet durable. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves once everything emitted so far is durable. */
  async flushed(): Promise<void> {
    while (this.queue.length || this.inFlight || this.scheduled) {
      await this.tail;
      await Promise.resolve();
    }
  }

  /** Stops listening; whatever was not flushed yet is dropped (as a crash would). */
  close(): void {
    this.closed = true;
    this.destroy();
    this.doc.off(this.encoding === 2 ? 'updateV2' : 'update', this.current);
    this.unsubscribeRows();
  }

  private schedule(): void {
    this.emit('change', []);
    if (this.scheduled) return;
    this.scheduled = true;
    // A microtask batches the updates of one synchronous burst (a paste of 50 links) into one write.
    queueMicrotask(() => {
      this.scheduled = false;
      this.tail = this.tail.then(() => this.flush());
    });
  }

  private flush(): Promise<void> {
    return this.persist();
  }

  /**
   * Replaces the log with a snapshot of it (compaction.ts), off the main thread where it can be.
   * It runs in the write queue, so nothing is appended meanwhile; changes made meanwhile wait in
   * the queue and are written after it.
   */
  private async compact(): Promise<void> {
    if (this.closed) return;
    let done = null;
    try {
      done = await this.compactor(this.db, this.policy.structsPerPart);
    } catch (error) {
      console.error(error);
    }
    if (this.closed) return;
    if (!done) {
      this.compactAgainAfter = this.rowsSinceSnapshot + this.policy.maxRows;
      return;
    }
    this.rowsSinceSnapshot = 0;
    this.bytesSinceSnapshot = 0;
    this.snapshotBytes = done.bytes;
    this.compactAgainAfter = 0;
  }

  /**
   * Appends the queued updates as one log row, with the rows they changed, in one transaction:
   * the items table and its `materialisedSeq` marker move with the log, never apart.
   */
  private async persist(): Promise<void> {
    if (this.closed || !this.queue.length) return;
    const batch = this.queue;
    const rows = this.rowChanges;
    this.queue = [];
    this.rowChanges = new Map();
    this.inFlight += batch.length;
    const written = mergedRow(batch);
    const bytes = written.data.byteLength;
    try {
      await this.db.transaction('rw', this.db.updates, this.db.items, this.db.meta, async () => {
        const seq = await this.db.updates.add(written);
        const writeCounts = await keepStatusCounts(this.db, rows);
        const upserts = [...rows.values()].filter((r): r is ItemRow => r !== null);
        const removals = [...rows].filter(([, r]) => r === null).map(([id]) => id);
        // In parts, each awaited inside the same transaction: one bulkPut of 100,000 rows clones
        // them all in one task of seconds, while parts leave the window frames in between.
        for (let start = 0; start < upserts.length; start += ROWS_PER_PUT)
          await this.db.items.bulkPut(upserts.slice(start, start + ROWS_PER_PUT));
        if (removals.length) await this.db.items.bulkDelete(removals);
        await writeCounts();
        await this.db.meta.put({ key: MATERIALISED_SEQ, value: seq });
      });
      this.rowsSinceSnapshot += 1;
      this.bytesSinceSnapshot += bytes;
    } catch (error) {
      // Not durable: put the batch back so the next flush retries it, and tell the UI.
      this.queue = [...batch, ...this.queue];
      for (const [id, row] of rows) if (!this.rowChanges.has(id)) this.rowChanges.set(id, row);
      this.emit('error', [error]);
      setTimeout(() => this.schedule(), 1000);
      return;
    } finally {
      this.inFlight -= batch.length;
      this.emit('change', []);
    }
    const grown =
      this.rowsSinceSnapshot > this.policy.maxRows ||
      this.bytesSinceSnapshot > Math.max(this.policy.maxBytes, this.snapshotBytes);
    if (grown && this.rowsSinceSnapshot > this.compactAgainAfter) await this.compact();
  }

  /** Writes what is queued, then compacts, e.g. from tests or on quit. */
  compactNow(): Promise<void> {
    this.tail = this.tail.then(() => this.persist()).then(() => this.compact());
    return this.tail;
  }
}
