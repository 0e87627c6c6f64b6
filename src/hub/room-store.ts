// Where a room's updates live. The hub only needs an append-only log per room that can be
// folded into a snapshot; keeping it this small is what lets another engine (PostgreSQL, Redis)
// replace SQLite when rooms are sharded across hubs (docs/scaling.md). Every backend must pass
// room-store.contract.ts.

export interface StoredLog {
  /** Yjs v1 updates, oldest first. Applying them all, in any order, rebuilds the room. */
  updates: Uint8Array[];
  /** Sequence number of the newest update; 0 for an empty room. */
  head: number;
}

export interface RoomStore {
  load(room: string): Promise<StoredLog>;
  /**
   * Appends one update and resolves only once it is durable: the hub acknowledges and forwards
   * an update after this resolves. Returns its sequence number, increasing per room.
   */
  append(room: string, update: Uint8Array): Promise<number>;
  /**
   * Appends updates to one or several rooms in one transaction (group commit) and returns each
   * one's sequence number, in the order given. Resolves only once all are durable; when it
   * rejects, none of them may be confirmed.
   */
  appendMany(updates: readonly RoomUpdate[]): Promise<number[]>;
  /**
   * Replaces every update with a sequence number <= `throughSeq` by `snapshot`, atomically, and
   * keeps the later ones. `snapshot` must contain everything it replaces.
   */
  compact(room: string, throughSeq: number, snapshot: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** One stored update and its number. */
export interface LogEntry {
  seq: number;
  update: Uint8Array;
}

export interface RoomUpdate {
  room: string;
  update: Uint8Array;
}

/** In-memory backend: for tests and for embedding a throwaway hub. Nothing survives a restart. */
export class MemoryRoomStore implements RoomStore {
  private readonly rooms = new Map<string, LogEntry[]>();
  private seq = 0;

  async load(room: string): Promise<StoredLog> {
    const entries = this.rooms.get(room) ?? [];
    return {
      updates: entries.map((e) => e.update.slice()),
      head: entries.at(-1)?.seq ?? 0,
    };
  }

  async append(room: string, update: Uint8Array): Promise<number> {
    const [seq] = await this.appendMany([{ room, update }]);
    return seq as number;
  }

  async appendMany(updates: readonly RoomUpdate[]): Promise<number[]> {
    return updates.map(({ room, update }) => {
      const entries = this.rooms.get(room) ?? [];
      this.rooms.set(room, entries);
      entries.push({ seq: ++this.seq, update: update.slice() });
      return this.seq;
    });
  }

  async compact(room: string, throughSeq: number, snapshot: Uint8Array): Promise<void> {
    const entries = this.rooms.get(room) ?? [];
    const later = entries.filter((e) => e.seq > throughSeq);
    if (later.length === entries.length) return;
    this.rooms.set(room, [{ seq: throughSeq, update: snapshot.slice() }, ...later]);
  }

  async close(): Promise<void> {
    this.rooms.clear();
  }
}
