// The hub's storage on one machine: SQLite in WAL mode with synchronous=FULL, so an append has
// reached the disk (fsync) when it returns, and a kill -9 or power cut loses nothing that was
// acknowledged. better-sqlite3 is synchronous, which also keeps each append atomic with respect
// to the event loop.
import Database from 'better-sqlite3';
import type { RoomStore, StoredLog } from './room-store';

export type Db = Database.Database;

export function openHubDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // The revoke command writes while a hub reads; wait for the lock instead of failing.
  db.pragma('busy_timeout = 5000');
  return db;
}

export class SqliteRoomStore implements RoomStore {
  private readonly db: Db;
  private readonly statements;

  constructor(file: string) {
    this.db = openHubDatabase(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS room_updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS room_updates_by_room ON room_updates (room, seq);
    `);
    this.statements = {
      load: this.db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM room_updates WHERE room = ? ORDER BY seq',
      ),
      append: this.db.prepare<[string, Buffer]>(
        'INSERT INTO room_updates (room, data) VALUES (?, ?)',
      ),
      deleteThrough: this.db.prepare<[string, number]>(
        'DELETE FROM room_updates WHERE room = ? AND seq <= ?',
      ),
      insertAt: this.db.prepare<[number, string, Buffer]>(
        'INSERT INTO room_updates (seq, room, data) VALUES (?, ?, ?)',
      ),
    };
  }

  async load(room: string): Promise<StoredLog> {
    const rows = this.statements.load.all(room);
    return {
      updates: rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length)),
      head: rows.at(-1)?.seq ?? 0,
    };
  }

  async append(room: string, update: Uint8Array): Promise<number> {
    const info = this.statements.append.run(room, Buffer.from(update));
    return Number(info.lastInsertRowid);
  }

  async compact(room: string, throughSeq: number, snapshot: Uint8Array): Promise<void> {
    this.db.transaction(() => {
      const removed = this.statements.deleteThrough.run(room, throughSeq).changes;
      // The snapshot takes the newest replaced slot, so it still sorts before later updates.
      if (removed > 0) this.statements.insertAt.run(throughSeq, room, Buffer.from(snapshot));
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
