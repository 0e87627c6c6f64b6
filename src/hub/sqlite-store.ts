// The hub's storage on one machine: SQLite in WAL mode with synchronous=FULL, so an append has
// reached the disk (fsync) when it resolves, and a kill -9 or power cut loses nothing that was
// acknowledged. better-sqlite3 is synchronous, so the database connection lives on a worker
// thread: an fsync there never stalls the rooms, and a group of updates (one transaction, one
// fsync) is written while the event loop goes on receiving the next group.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { RoomStore, RoomUpdate, StoredLog } from './room-store';

export type Db = Database.Database;

export function openHubDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // The revoke command writes while a hub reads; wait for the lock instead of failing.
  db.pragma('busy_timeout = 5000');
  return db;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS room_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS room_updates_by_room ON room_updates (room, seq);
`;

/**
 * Plain JavaScript, so that it runs the same under tsx, vitest and the built hub. It owns the
 * only connection that writes rooms; requests are answered in the order they came.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const load = db.prepare('SELECT seq, data FROM room_updates WHERE room = ? ORDER BY seq');
const append = db.prepare('INSERT INTO room_updates (room, data) VALUES (?, ?)');
const deleteThrough = db.prepare('DELETE FROM room_updates WHERE room = ? AND seq <= ?');
const insertAt = db.prepare('INSERT INTO room_updates (seq, room, data) VALUES (?, ?, ?)');
const appendMany = db.transaction((updates) =>
  updates.map(({ room, update }) => Number(append.run(room, update).lastInsertRowid)));
// The snapshot takes the newest replaced slot, so it still sorts before later updates.
const compact = db.transaction((room, through, snapshot) => {
  if (deleteThrough.run(room, through).changes > 0) insertAt.run(through, room, snapshot);
});
const ops = {
  load: ({ room }) => {
    const rows = load.all(room);
    const updates = rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length));
    return { result: { updates, head: rows.length ? rows[rows.length - 1].seq : 0 },
             transfer: [...new Set(updates.map((u) => u.buffer))] };
  },
  appendMany: ({ updates }) => ({ result: appendMany(updates.map(({ room, update }) =>
    ({ room, update: Buffer.from(update.buffer, update.byteOffset, update.length) }))) }),
  compact: ({ room, through, snapshot }) => {
    compact(room, through, Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.length));
    return { result: null };
  },
  check: () => ({ result: db.prepare('SELECT 1').get() !== undefined }),
  close: () => { db.close(); return { result: null }; },
};
parentPort.on('message', (request) => {
  try {
    const { result, transfer } = ops[request.op](request);
    parentPort.postMessage({ id: request.id, result }, transfer || []);
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: String((error && error.message) || error) });
  }
});
`;

type Request =
  | { op: 'load'; room: string }
  | { op: 'appendMany'; updates: readonly RoomUpdate[] }
  | { op: 'compact'; room: string; through: number; snapshot: Uint8Array }
  | { op: 'check' }
  | { op: 'close' };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class SqliteRoomStore implements RoomStore {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly file: string) {
    // Created here, on the caller's thread, so that a file the hub cannot open fails at start.
    const db = openHubDatabase(file);
    try {
      db.exec(SCHEMA);
    } finally {
      db.close();
    }
  }

  load(room: string): Promise<StoredLog> {
    return this.request({ op: 'load', room });
  }

  async append(room: string, update: Uint8Array): Promise<number> {
    const [seq] = await this.appendMany([{ room, update }]);
    return seq as number;
  }

  appendMany(updates: readonly RoomUpdate[]): Promise<number[]> {
    if (updates.length === 0) return Promise.resolve([]);
    // Posting copies the bytes, so the caller may reuse its buffers at once.
    return this.request({ op: 'appendMany', updates });
  }

  compact(room: string, throughSeq: number, snapshot: Uint8Array): Promise<void> {
    return this.request({ op: 'compact', room, through: throughSeq, snapshot });
  }

  /** For /healthz: does the database thread answer, and how fast. */
  async check(): Promise<{ ok: boolean; latencyMs: number; problem?: string }> {
    const started = performance.now();
    try {
      await this.request({ op: 'check' });
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, latencyMs: performance.now() - started, problem: String(error) };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const worker = this.worker;
    if (worker) await this.request({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await worker?.terminate();
    this.worker = null;
  }

  private request<T>(request: Request): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the hub database is closed'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    // Referenced only while it owes an answer: an idle store never keeps the process alive.
    if (this.pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, ...request });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file: this.file },
    });
    worker.unref();
    worker.on('message', (answer: { id: number; result?: unknown; error?: string }) => {
      const entry = this.pending.get(answer.id);
      if (!entry) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      if (answer.error !== undefined) {
        entry.reject(new Error(`The hub database (${this.file}) failed: ${answer.error}`));
      } else entry.resolve(answer.result);
    });
    // A worker that died fails what it was asked; the next request starts a new one.
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const entry of this.pending.values()) {
        entry.reject(new Error(`The hub database (${this.file}) stopped: ${why}`));
      }
      this.pending.clear();
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`its thread exited (${code})`));
    this.worker = worker;
    return worker;
  }
}
