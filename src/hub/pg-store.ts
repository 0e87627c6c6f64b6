// The hub's storage when several hubs serve the same collections: one PostgreSQL database that
// every hub reaches. A room's updates are numbered per room without gaps (the number is taken
// under the room's row lock, in the transaction that stores the update), and each commit is
// announced with `pg_notify`, so a hub hears of another hub's updates and reads exactly the ones
// it lacks by number. The store keeps bytes only: it never decodes an update.
import { randomUUID } from 'node:crypto';
import { ObservableV2 } from 'lib0/observable';
import type pg from 'pg';
import type { LogEntry, RoomStore, RoomUpdate, StoredLog } from './room-store';

export type { LogEntry } from './room-store';
import {
  inTransaction,
  openDatabase,
  reason,
  type Database,
  type PgConnectionOptions,
} from './pg/database';
import {
  AppendListener,
  announcementSql,
  DEFAULT_LISTENER_OPTIONS,
  type ClusterEvents,
  type ListenerOptions,
} from './pg/listener';
import { LatencyHistogram, type StoreStats } from './pg/stats';

export type { Appended, ClusterEvents, ListenerOptions } from './pg/listener';
export type { StoreStats, LatencySnapshot } from './pg/stats';

export interface PgRoomStoreOptions extends PgConnectionOptions {
  /** Connections this hub may hold for reads and writes (default 10). */
  poolSize?: number;
  listener?: Partial<ListenerOptions>;
}

export interface StoreHealth {
  ok: boolean;
  /** The round trip of a trivial query, in milliseconds. */
  latencyMs: number;
  /** Whether this hub hears other hubs' commits right now (false until `listen`). */
  listening: boolean;
  problem?: string;
}

/** Keeps an announcement, room name included, under PostgreSQL's 8000-byte payload limit. */
const MAX_ROOM_LENGTH = 1000;
/**
 * A commit's updates to a room ride along in its announcement when their bytes are this few (the
 * base64 text is only built for them), so that a listening hub applies a keystroke without
 * reading it back; and only when the announcement with them stays under the payload limit.
 */
const CARRIED_BYTES = 4096;
/** PostgreSQL refuses a notification payload of 8000 bytes or more, failing the commit. */
const PAYLOAD_LIMIT = 8000;

export class PgRoomStore extends ObservableV2<ClusterEvents> implements RoomStore {
  private readonly pool: pg.Pool;
  private readonly listener: AppendListener;
  private readonly commitLatency = new LatencyHistogram();
  private readonly counters = {
    updatesCommitted: 0,
    commits: 0,
    commitFailures: 0,
    loads: 0,
    catchUpFetches: 0,
    compactions: 0,
    compactionsSkipped: 0,
  };
  private readonly sql;
  /** This store's id in announcements, so that it does not hear its own. */
  readonly origin: string;
  /** Where hubs pass presence to each other, and how to connect to say something there. */
  readonly presenceChannel: string;
  readonly clientConfig: pg.ClientConfig;

  /** Connects, and creates or upgrades the schema (safe when several hubs start at once). */
  static async open(options: PgRoomStoreOptions): Promise<PgRoomStore> {
    const idle = { errors: 0 };
    const db = await openDatabase(options, options.poolSize ?? 10, () => idle.errors++);
    return new PgRoomStore(db, idle, { ...DEFAULT_LISTENER_OPTIONS, ...options.listener });
  }

  private constructor(
    db: Database,
    private readonly idle: { errors: number },
    listenerOptions: ListenerOptions,
  ) {
    super();
    this.pool = db.pool;
    const origin = randomUUID();
    this.origin = origin;
    this.presenceChannel = db.presenceChannel;
    this.clientConfig = db.clientConfig;
    this.listener = new AppendListener(
      db.clientConfig,
      db.channel,
      db.presenceChannel,
      origin,
      listenerOptions,
      this,
    );
    const s = db.schema;
    this.sql = {
      // One statement, so one round trip and one implicit transaction: number the updates under
      // their rooms' row locks (taken in room order, so two batches cannot deadlock), store them,
      // and announce each room's newest number. The announcements go out only on commit.
      append: `
        WITH batch AS (
          SELECT room, substring($2::bytea FROM start FOR length) AS data, ord
          FROM unnest($1::text[], $3::int[], $4::int[]) WITH ORDINALITY AS b (room, start, length, ord)
        ), heads AS (
          INSERT INTO ${s}.rooms AS r (room, head)
          SELECT room, count(*) FROM batch GROUP BY room ORDER BY room
          ON CONFLICT (room) DO UPDATE SET head = r.head + excluded.head
          RETURNING room, head
        ), numbered AS (
          SELECT b.room, b.data,
            h.head - count(*) OVER (PARTITION BY b.room)
              + row_number() OVER (PARTITION BY b.room ORDER BY b.ord) AS seq
          FROM batch b JOIN heads h ON h.room = b.room
        ), stored AS (
          INSERT INTO ${s}.room_updates (room, seq, data) SELECT room, seq, data FROM numbered
        ), small AS (
          SELECT room FROM numbered GROUP BY room HAVING sum(length(data)) <= ${CARRIED_BYTES}
        ), carried AS (
          SELECT room, array_agg(translate(encode(data, 'base64'), E'\n', '') ORDER BY seq) AS updates
          FROM numbered WHERE room IN (SELECT room FROM small) GROUP BY room
        ), announced AS (
          SELECT h.room, h.head,
            ${announcementSql('h.room', 'h.head', '$6::text', 'c.updates')} AS with_updates,
            ${announcementSql('h.room', 'h.head', '$6::text')} AS without_updates
          FROM heads h LEFT JOIN carried c ON c.room = h.room
        )
        SELECT room, head, pg_notify($5::text,
          CASE WHEN octet_length(with_updates) < ${PAYLOAD_LIMIT} THEN with_updates ELSE without_updates END)
        FROM announced`,
      appendParams: [db.channel, origin],
      readAfter: `SELECT seq, data FROM ${s}.room_updates WHERE room = $1 AND seq > $2 ORDER BY seq`,
      head: `SELECT head FROM ${s}.rooms WHERE room = $1`,
      heads: `SELECT room, head FROM ${s}.rooms WHERE room = ANY($1::text[])`,
      lockRoom: `SELECT head, compacted_through FROM ${s}.rooms WHERE room = $1 FOR UPDATE`,
      deleteThrough: `DELETE FROM ${s}.room_updates WHERE room = $1 AND seq <= $2`,
      insertAt: `INSERT INTO ${s}.room_updates (room, seq, data) VALUES ($1, $2, $3)`,
      markCompacted: `UPDATE ${s}.rooms SET compacted_through = $2 WHERE room = $1`,
    };
  }

  async load(room: string): Promise<StoredLog> {
    this.counters.loads++;
    const entries = await this.readAfter(room, 0);
    return { updates: entries.map((e) => e.update), head: entries.at(-1)?.seq ?? 0 };
  }

  async append(room: string, update: Uint8Array): Promise<number> {
    const [seq] = await this.appendMany([{ room, update }]);
    return seq!;
  }

  /**
   * Commits updates to one or several rooms in one transaction and returns each one's sequence
   * number, in the order given. Resolves only once all of them are durable; rejects when none
   * is confirmed.
   */
  async appendMany(updates: readonly RoomUpdate[]): Promise<number[]> {
    if (updates.length === 0) return [];
    for (const { room } of updates) checkRoom(room);
    const rooms = updates.map((u) => u.room);
    // The updates travel as one binary parameter, cut apart in SQL: an array of bytea would be
    // sent as hex text, twice the bytes and six times the time for a large first sync. The
    // concatenation is also the copy that lets the caller reuse its buffers at once.
    const data = Buffer.concat(updates.map((u) => u.update));
    const starts: number[] = [];
    let offset = 1;
    for (const { update } of updates) {
      starts.push(offset);
      offset += update.length;
    }
    const lengths = updates.map((u) => u.update.length);
    const started = performance.now();
    let heads: Map<string, number>;
    try {
      const { rows } = await this.pool.query<{ room: string; head: string }>(this.sql.append, [
        rooms,
        data,
        starts,
        lengths,
        ...this.sql.appendParams,
      ]);
      heads = new Map(rows.map((r) => [r.room, Number(r.head)]));
    } catch (error) {
      this.counters.commitFailures++;
      const where = [...new Set(rooms)].map((r) => `"${r}"`).join(', ');
      throw new Error(
        `PostgreSQL did not commit ${updates.length === 1 ? 'an update' : `${updates.length} updates`} ` +
          `to ${where}, so none was confirmed: ${reason(error)}`,
        { cause: error },
      );
    }
    this.commitLatency.observe(performance.now() - started);
    this.counters.commits++;
    this.counters.updatesCommitted += updates.length;
    // The statement numbered each room's updates in the order given, ending at its new head.
    const remaining = new Map<string, number>();
    for (const room of rooms) remaining.set(room, (remaining.get(room) ?? 0) + 1);
    return rooms.map((room) => {
      const left = remaining.get(room)!;
      remaining.set(room, left - 1);
      return heads.get(room)! - left + 1;
    });
  }

  /**
   * Replaces the updates numbered up to `throughSeq` by `snapshot`, under the room's lock. Does
   * nothing when a snapshot through `throughSeq` or later is already stored (another hub got
   * there first), and refuses a `throughSeq` beyond the room's newest update.
   */
  async compact(room: string, throughSeq: number, snapshot: Uint8Array): Promise<void> {
    const compacted = await inTransaction(this.pool, `compact room "${room}"`, async (client) => {
      const { rows } = await client.query<{ head: string; compacted_through: string }>(
        this.sql.lockRoom,
        [room],
      );
      const state = rows[0];
      if (!state) return false;
      if (throughSeq <= Number(state.compacted_through)) {
        this.counters.compactionsSkipped++;
        return false;
      }
      if (throughSeq > Number(state.head)) {
        throw new Error(
          `Cannot compact room "${room}" through update ${throughSeq}: ` +
            `its newest update is ${state.head}.`,
        );
      }
      await client.query(this.sql.deleteThrough, [room, throughSeq]);
      await client.query(this.sql.insertAt, [room, throughSeq, Buffer.from(snapshot)]);
      await client.query(this.sql.markCompacted, [room, throughSeq]);
      return true;
    });
    if (compacted) this.counters.compactions++;
  }

  /**
   * Every update after `seq`, oldest first, read at one instant. They cover every number from
   * `seq + 1` to the last one's without a gap; an entry whose number was folded into a
   * snapshot comes back as that snapshot, which contains everything up to its number.
   */
  updatesSince(room: string, seq: number): Promise<LogEntry[]> {
    this.counters.catchUpFetches++;
    return this.readAfter(room, seq);
  }

  /** The newest sequence number stored for `room`; 0 when it has none. */
  async head(room: string): Promise<number> {
    const rows = await this.read<{ head: string }>(room, this.sql.head, [room]);
    return Number(rows[0]?.head ?? 0);
  }

  /** The newest sequence number of each of `rooms` that has any. */
  async heads(rooms: readonly string[]): Promise<Map<string, number>> {
    if (rooms.length === 0) return new Map();
    const rows = await this.read<{ room: string; head: string }>(
      `${rooms.length} rooms`,
      this.sql.heads,
      [rooms],
    );
    return new Map(rows.map((r) => [r.room, Number(r.head)]));
  }

  /**
   * Starts hearing other hubs' commits as `appended` events; resolves once every later commit
   * will be heard. Listen before loading a room, so that no commit falls between the two.
   */
  listen(): Promise<void> {
    return this.listener.start();
  }

  unlisten(): Promise<void> {
    return this.listener.stop();
  }

  /** For /healthz: can this hub reach the database now, and is it listening. */
  async check(): Promise<StoreHealth> {
    const started = performance.now();
    try {
      await this.pool.query('SELECT 1');
      return this.health(started);
    } catch (error) {
      return { ...this.health(started), ok: false, problem: reason(error) };
    }
  }

  stats(): StoreStats {
    return {
      ...this.counters,
      ...this.listener.stats,
      idleConnectionErrors: this.idle.errors,
      commitLatency: this.commitLatency.snapshot(),
    };
  }

  async close(): Promise<void> {
    await this.listener.stop();
    await this.pool.end();
    this.destroy();
  }

  private health(started: number): StoreHealth {
    return {
      ok: true,
      latencyMs: performance.now() - started,
      listening: this.listener.stats.listening,
    };
  }

  private async readAfter(room: string, seq: number): Promise<LogEntry[]> {
    const rows = await this.read<{ seq: string; data: Buffer }>(room, this.sql.readAfter, [
      room,
      seq,
    ]);
    return rows.map((r) => ({
      seq: Number(r.seq),
      update: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length),
    }));
  }

  private async read<R extends pg.QueryResultRow>(room: string, text: string, values: unknown[]) {
    try {
      return (await this.pool.query<R>(text, values)).rows;
    } catch (error) {
      throw new Error(`Could not read room "${room}" from PostgreSQL: ${reason(error)}`, {
        cause: error,
      });
    }
  }
}

function checkRoom(room: string): void {
  if (room.length > MAX_ROOM_LENGTH) {
    throw new Error(
      `A room name is at most ${MAX_ROOM_LENGTH} characters; this one has ${room.length}.`,
    );
  }
}
