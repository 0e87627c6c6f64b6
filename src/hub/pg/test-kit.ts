// What the PostgreSQL store's tests share: one throwaway cluster per test file, a fresh schema
// per store (so tests never see each other's rooms), hubs as store instances, and direct SQL for
// holding locks and ending connections the way an operator or a failure would.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import * as Y from 'yjs';
import { startPostgres, type TestPostgres } from '../../../tests/support/postgres';
import {
  PgRoomStore,
  type Appended,
  type ClusterEvents,
  type PgRoomStoreOptions,
} from '../pg-store';

export interface TestDatabase {
  readonly server: TestPostgres;
  readonly connection: pg.ClientConfig;
  /** A schema name no other test of this file uses. */
  freshSchema(): string;
  /** Opens `count` stores on one schema, as `count` hubs of one cluster would. */
  hubs(count: number, options?: Partial<PgRoomStoreOptions>): Promise<PgRoomStore[]>;
  sql<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** A connection of the test's own, for holding a lock across statements. */
  session(): Promise<pg.Client>;
  /** Resolves once `count` sessions wait for a lock (a row, table or advisory lock). */
  waitForLockWaiters(count: number): Promise<void>;
}

export function usePostgres(): TestDatabase {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.remove());
  const started = () => {
    if (!server) throw new Error('PostgreSQL has not started (see the beforeAll error)');
    return server;
  };
  let schemas = 0;
  const db: TestDatabase = {
    get server() {
      return started();
    },
    get connection() {
      return started().connection;
    },
    freshSchema: () => `test_${++schemas}`,
    hubs: (count, options = {}) => {
      const schema = options.schema ?? db.freshSchema();
      return Promise.all(
        Array.from({ length: count }, () =>
          PgRoomStore.open({ connection: db.connection, ...options, schema }),
        ),
      );
    },
    async sql(text, values) {
      const client = await db.session();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    async session() {
      const client = new pg.Client(db.connection);
      await client.connect();
      return client;
    },
    waitForLockWaiters: (count) =>
      pollUntil(async () => {
        const [row] = await db.sql<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
        );
        return Number(row?.n) >= count;
      }),
  };
  return db;
}

/**
 * Resolves once `check` holds. PostgreSQL tells no one when a session starts waiting for a lock,
 * so this asks again, a short pause after each answer; the test's time limit is the only deadline.
 */
export async function pollUntil(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((done) => setTimeout(done, 10));
}

/**
 * Every announcement `store` hears from now on. An announcement can reach a listening hub
 * before the writing hub has its commit's answer, so tests wait on this record, not on the next
 * event after the write.
 */
export function announcements(store: PgRoomStore) {
  const heard: Appended[] = [];
  const waiting = new Set<() => void>();
  store.on('appended', (appended) => {
    heard.push(appended);
    for (const check of [...waiting]) check();
  });
  return {
    heard,
    until: (room: string, seq: number) =>
      new Promise<void>((done) => {
        const check = () => {
          if (!heard.some((n) => n.room === room && n.seq === seq)) return;
          waiting.delete(check);
          done();
        };
        waiting.add(check);
        check();
      }),
  };
}

/** The next `name` event from `store`, as its arguments. */
export function nextEvent<N extends keyof ClusterEvents>(
  store: PgRoomStore,
  name: N,
): Promise<Parameters<ClusterEvents[N]>> {
  return new Promise((done) => {
    const listener = ((...args: Parameters<ClusterEvents[N]>) => {
      store.off(name, listener);
      done(args);
    }) as ClusterEvents[N];
    store.on(name, listener);
  });
}

/** A replica of a collection's document whose every change is one Yjs update. */
export class Editor {
  readonly doc = new Y.Doc();
  private readonly updates: Uint8Array[] = [];

  constructor() {
    this.doc.on('update', (u: Uint8Array) => this.updates.push(u));
  }

  /** Sets `key` and returns the update that carries the change. */
  set(key: string, value: unknown): Uint8Array {
    this.doc.getMap('items').set(key, value);
    return this.updates.at(-1)!;
  }
}

/** The document that applying `updates`, in the order given, builds. */
export function rebuild(updates: Iterable<Uint8Array>): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

export function itemsOf(doc: Y.Doc): Record<string, unknown> {
  return doc.getMap('items').toJSON();
}
