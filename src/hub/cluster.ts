// A hub that serves its rooms together with other hubs, through one PostgreSQL database: the
// rooms' logs, announcements of other hubs' commits (each loaded room fetches what it lacks by
// number), presence passed between hubs, and revocations every hub sees within a second.
import type pg from 'pg';
import type { HubClock } from './clock';
import { PgRoomStore, type PgRoomStoreOptions } from './pg-store';
import { PresenceRelay } from './pg/presence';
import { PgRevocations } from './pg/revocations';
import type { RoomCluster } from './room';
import type { Rooms } from './rooms';

export interface ClusterOptions {
  /** `postgres://USER@HOST/DB`, or `pg` settings. */
  connection: string | pg.ClientConfig;
  /** The schema holding the hub's tables (default `curio`). */
  schema?: string;
  /** Pooled connections for reads and writes (default 10). */
  poolSize?: number;
  /** How often every loaded room's newest number is compared with the database (default 5 s). */
  checkEveryMs?: number;
  listener?: PgRoomStoreOptions['listener'];
}

/** Revoked token ids, kept in memory so an upgrade is checked without a round trip. */
export class ClusterRevocations {
  private readonly revoked = new Set<string>();

  private constructor(private readonly shared: PgRevocations) {}

  static async open(options: ClusterOptions): Promise<ClusterRevocations> {
    const revocations = new ClusterRevocations(await PgRevocations.open(options));
    await revocations.revokedSince(0);
    return revocations;
  }

  isRevoked(id: string): boolean {
    return this.revoked.has(id);
  }

  async revokedSince(cursor: number): Promise<{ ids: string[]; cursor: number }> {
    const found = await this.shared.revokedSince(cursor);
    for (const id of found.ids) this.revoked.add(id);
    return found;
  }

  close(): Promise<void> {
    return this.shared.close();
  }
}

export class Cluster {
  private timer: (() => void) | null = null;
  private checking = false;

  private constructor(
    readonly store: PgRoomStore,
    readonly revocations: ClusterRevocations,
    private readonly presence: PresenceRelay,
    private readonly checkEveryMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Connects, creating the schema if this is the first hub, and starts listening. */
  static async open(options: ClusterOptions, log: (line: string) => void): Promise<Cluster> {
    const store = await PgRoomStore.open({
      connection: options.connection,
      schema: options.schema,
      poolSize: options.poolSize,
      listener: options.listener,
    });
    try {
      const revocations = await ClusterRevocations.open(options);
      const presence = new PresenceRelay(
        store.clientConfig,
        store.presenceChannel,
        store.origin,
        log,
      );
      return new Cluster(store, revocations, presence, options.checkEveryMs ?? 5000, log);
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** What each room uses to reach the other hubs. */
  get forRooms(): RoomCluster {
    return {
      updatesSince: (room, seq) => this.store.updatesSince(room, seq),
      publishPresence: (room, update) => this.presence.publish({ room, update }),
    };
  }

  /**
   * Routes other hubs' announcements to the loaded rooms. Listening starts before any room
   * loads, so no commit falls between a room's read and its first announcement.
   */
  async attach(rooms: Rooms, clock: HubClock): Promise<void> {
    this.store.on('appended', ({ room, seq, at, updates }) =>
      rooms.find(room)?.heard(seq, at, updates),
    );
    this.store.on('presence', (payload) => {
      const change = this.presence.receive(payload);
      if (change) rooms.find(change.room)?.heardPresence(change.update);
    });
    this.store.on('lost', (error) => this.log(`stopped hearing other hubs: ${error.message}`));
    this.store.on('resumed', () => {
      this.log('hearing other hubs again; catching every room up');
      for (const room of rooms.all()) room.catchUp();
    });
    await this.store.listen();
    // A dropped announcement (or connection) costs at most this long.
    const schedule = () => {
      this.timer = clock.after(this.checkEveryMs, () => {
        void this.check(rooms).finally(() => {
          if (this.timer) schedule();
        });
      });
    };
    schedule();
  }

  async close(): Promise<void> {
    this.timer?.();
    this.timer = null;
    await this.presence.close();
    await this.store.close();
    await this.revocations.close();
  }

  private async check(rooms: Rooms): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const loaded = [...rooms.all()];
      const heads = await this.store.heads(loaded.map((room) => room.name));
      for (const room of loaded) {
        if ((heads.get(room.name) ?? 0) > room.applied) room.catchUp();
      }
    } catch {
      // The database is away; the listener says when it is back, and rooms catch up then.
    } finally {
      this.checking = false;
    }
  }
}
