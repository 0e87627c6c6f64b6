// How a hub hears that another hub committed updates: one dedicated connection that LISTENs on
// the cluster's channel, re-established with backoff when it fails and checked periodically,
// because a connection whose peer vanished (a dropped NAT entry, a partition) fails silently.
// A notification is only a hint: whoever hears it reads the updates by sequence number, so a
// missed one costs latency, not data. After a reconnection `resumed` tells the hub to catch up.
import type { ObservableV2 } from 'lib0/observable';
import pg from 'pg';
import { z } from 'zod';
import { reason } from './database';

export interface Appended {
  room: string;
  /** The newest sequence number the commit wrote to `room`. */
  seq: number;
  /** When the database committed it, by its clock, in ms since the epoch. */
  at?: number;
  /**
   * The commit's updates to `room`, numbered up to `seq` without a gap, when they were small
   * enough to ride along; otherwise they are read by number.
   */
  updates?: Uint8Array[];
}

export type ClusterEvents = {
  /** Another hub committed updates to a room, the newest of them numbered `seq`. */
  appended: (appended: Appended) => void;
  /** Listening again after `lost`: announcements in between were missed, so catch up rooms. */
  resumed: () => void;
  /** The listening connection failed; a new one is being made. */
  lost: (error: Error) => void;
  /** A payload on the presence channel (pg/presence.ts reads it). */
  presence: (payload: string) => void;
};

export interface ListenerOptions {
  /** How often the listening connection is asked to answer (default 10 s). */
  checkEveryMs: number;
  /** How long it may take to answer before it is replaced (default 5 s). */
  checkTimeoutMs: number;
  /** The first pause before reconnecting; it doubles per failed attempt up to `retryMaxMs`. */
  retryFirstMs: number;
  retryMaxMs: number;
}

export const DEFAULT_LISTENER_OPTIONS: ListenerOptions = {
  checkEveryMs: 10_000,
  checkTimeoutMs: 5_000,
  retryFirstMs: 100,
  retryMaxMs: 5_000,
};

// The announcement, as the appending transaction builds it and the listener reads it. `origin`
// is the announcing store, which does not report its own commits back to its hub.
const announcement = z.object({
  room: z.string(),
  seq: z.number().int().positive(),
  origin: z.string(),
  at: z.number().optional(),
  updates: z.array(z.base64()).nullish(),
});

/** `updates`: an SQL array of the commit's updates in base64, or NULL to leave them out. */
export function announcementSql(
  room: string,
  seq: string,
  origin: string,
  updates = 'NULL::text[]',
): string {
  const at = 'floor(extract(epoch FROM clock_timestamp()) * 1000)';
  return `json_build_object('room', ${room}, 'seq', ${seq}, 'origin', ${origin}, 'at', ${at}, 'updates', ${updates})::text`;
}

/** How the listening connection shows in `pg_stat_activity`. */
export const LISTENER_NAME = 'curio-hub listener';

export interface ListenerStats {
  listening: boolean;
  notifications: number;
  malformedNotifications: number;
  reconnects: number;
}

export class AppendListener {
  readonly stats: ListenerStats = {
    listening: false,
    notifications: 0,
    malformedNotifications: 0,
    reconnects: 0,
  };
  private client: pg.Client | undefined;
  private started: Promise<void> | undefined;
  private stopped = true;
  private attempts = 0;
  /** Counts `stop`s, so that a connection finished after one is closed, not kept. */
  private generation = 0;
  private checking = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    /** A second channel whose payloads are passed on as `presence` events, unread. */
    private readonly presenceChannel: string,
    private readonly origin: string,
    private readonly options: ListenerOptions,
    private readonly events: ObservableV2<ClusterEvents>,
  ) {}

  /** Resolves once LISTEN is in effect: every commit after that is announced to this hub. */
  start(): Promise<void> {
    if (this.started) return this.started;
    this.stopped = false;
    this.started = this.connect().then(
      () => {
        this.checkTimer = setInterval(() => void this.check(), this.options.checkEveryMs);
      },
      (error: unknown) => {
        this.started = undefined;
        this.stopped = true;
        throw new Error(`Could not listen for other hubs' updates: ${reason(error)}`, {
          cause: error,
        });
      },
    );
    return this.started;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    this.started = undefined;
    clearInterval(this.checkTimer);
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.stats.listening = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const generation = this.generation;
    const client = new pg.Client({ ...this.config, application_name: LISTENER_NAME });
    client.on('notification', (n) => this.hear(n));
    client.on('error', (error) => this.lose(client, error));
    client.on('end', () => this.lose(client, new Error('the connection closed')));
    try {
      await client.connect();
      await client.query(
        `LISTEN ${pg.escapeIdentifier(this.channel)}; LISTEN ${pg.escapeIdentifier(this.presenceChannel)}`,
      );
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (generation !== this.generation) {
      // Stopped while connecting.
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.stats.listening = true;
  }

  private hear(notification: pg.Notification): void {
    if (notification.channel === this.presenceChannel) {
      this.events.emit('presence', [notification.payload ?? '']);
      return;
    }
    if (notification.channel !== this.channel) return;
    let parsed;
    try {
      parsed = announcement.safeParse(JSON.parse(notification.payload ?? ''));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      this.stats.malformedNotifications++;
      return;
    }
    if (parsed.data.origin === this.origin) return;
    this.stats.notifications++;
    const { room, seq, at, updates } = parsed.data;
    this.events.emit('appended', [
      {
        room,
        seq,
        ...(at === undefined ? {} : { at }),
        ...(updates
          ? { updates: updates.map((u) => new Uint8Array(Buffer.from(u, 'base64'))) }
          : {}),
      },
    ]);
  }

  private lose(client: pg.Client, error: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.stats.listening = false;
    // With a query still waiting, `end` destroys the socket rather than waiting on a dead peer.
    void client.end().catch(() => undefined);
    this.events.emit('lost', [error]);
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    const pause = Math.min(this.options.retryMaxMs, this.options.retryFirstMs * 2 ** this.attempts);
    this.attempts++;
    // Jitter, so that hubs that lost the database together do not all return at one instant.
    this.retryTimer = setTimeout(() => void this.reconnect(), pause * (0.5 + Math.random() / 2));
  }

  private async reconnect(): Promise<void> {
    const generation = this.generation;
    try {
      await this.connect();
    } catch {
      if (generation === this.generation) this.retry();
      return;
    }
    if (generation !== this.generation) return;
    this.attempts = 0;
    this.stats.reconnects++;
    this.events.emit('resumed', []);
  }

  /** Replaces the listening connection when it does not answer within `checkTimeoutMs`. */
  private async check(): Promise<void> {
    const client = this.client;
    if (!client || this.checking) return;
    this.checking = true;
    let timer: NodeJS.Timeout | undefined;
    const answered = client.query('SELECT 1');
    answered.catch(() => undefined);
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(
        () => fail(new Error(`no answer within ${this.options.checkTimeoutMs} ms`)),
        this.options.checkTimeoutMs,
      );
    });
    try {
      await Promise.race([answered, late]);
    } catch (error) {
      this.lose(client, new Error(`the listening connection stopped answering: ${reason(error)}`));
    } finally {
      clearTimeout(timer);
      this.checking = false;
    }
  }
}
