// The PostgreSQL store against a real server: the RoomStore contract, sequence numbers under
// concurrent hubs, group commits, compactions racing across hubs, and the schema's migrations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PgRoomStore } from './pg-store';
import { Editor, itemsOf, rebuild, usePostgres } from './pg/test-kit';
import { roomStoreContract } from './room-store.contract';

const db = usePostgres();

roomStoreContract('PostgreSQL', () =>
  PgRoomStore.open({ connection: db.connection, schema: db.freshSchema() }),
);

const bytes = (n: number) => Uint8Array.from([n & 0xff, n >> 8, 1]);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('sequence numbers', () => {
  it('are unique and gap-free when two hubs append to one room at once', async () => {
    const hubs = await db.hubs(2);
    const seen: number[][] = [];
    let appending = true;
    // A third reader keeps reading while the appends run: what it sees never has a hole.
    const reader = (async () => {
      while (appending) seen.push((await hubs[0]!.updatesSince('r', 0)).map((e) => e.seq));
    })();
    const appends = hubs.flatMap((hub, h) =>
      range(1, 60).map((i) => hub.append('r', bytes(h * 100 + i))),
    );
    const seqs = await Promise.all(appends);
    appending = false;
    await reader;

    expect([...seqs].sort((a, b) => a - b)).toEqual(range(1, 120));
    for (const prefix of seen) expect(prefix).toEqual(range(1, prefix.length));
    const byValue = new Map(
      seqs.map((seq, i) => [seq, Array.from(bytes(Math.floor(i / 60) * 100 + (i % 60) + 1))]),
    );
    const log = await hubs[1]!.load('r');
    expect(log.head).toBe(120);
    expect(log.updates.map((u) => Array.from(u))).toEqual(range(1, 120).map((s) => byValue.get(s)));
    await Promise.all(hubs.map((h) => h.close()));
  });

  it('are counted per room', async () => {
    const [hub] = await db.hubs(1);
    expect(await hub!.append('a', bytes(1))).toBe(1);
    expect(await hub!.append('b', bytes(2))).toBe(1);
    expect(await hub!.append('a', bytes(3))).toBe(2);
    expect(await hub!.head('a')).toBe(2);
    expect(await hub!.head('nowhere')).toBe(0);
    await hub!.close();
  });
});

it('reports commit latency as a cumulative histogram of every commit', async () => {
  const [hub] = await db.hubs(1);
  await hub!.append('r', bytes(1));
  await hub!.appendMany([1, 2, 3].map((n) => ({ room: 'r', update: bytes(n) })));
  const { commits, updatesCommitted, commitLatency } = hub!.stats();
  expect({ commits, updatesCommitted }).toEqual({ commits: 2, updatesCommitted: 4 });
  expect(commitLatency.count).toBe(2);
  expect(commitLatency.buckets.at(-1)).toEqual([Infinity, 2]);
  const counts = commitLatency.buckets.map(([, n]) => n);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  expect(commitLatency.sumMs).toBeGreaterThan(0);
  await hub!.close();
});

describe('group commit (appendMany)', () => {
  it('numbers a batch across rooms in the order given, as single appends would', async () => {
    const [hub] = await db.hubs(1);
    await hub!.append('a', bytes(0));
    const seqs = await hub!.appendMany([
      { room: 'a', update: bytes(1) },
      { room: 'b', update: bytes(2) },
      { room: 'a', update: bytes(3) },
      { room: 'b', update: bytes(4) },
      { room: 'a', update: bytes(5) },
    ]);
    expect(seqs).toEqual([2, 1, 3, 2, 4]);
    expect(await hub!.append('a', bytes(6))).toBe(5);
    const log = await hub!.load('a');
    expect(log.updates.map((u) => u[0])).toEqual([0, 1, 3, 5, 6]);
    expect((await hub!.load('b')).updates.map((u) => u[0])).toEqual([2, 4]);
    expect(await hub!.appendMany([])).toEqual([]);
    await hub!.close();
  });

  it('stores every byte of every update in a batch, whatever their sizes', async () => {
    const [hub] = await db.hubs(1);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 3000 }), { minLength: 1, maxLength: 12 }),
        async (updates) => {
          const room = `r${++run}`;
          await hub!.appendMany(updates.map((update) => ({ room, update })));
          const log = await hub!.load(room);
          expect(log.updates.map((u) => Array.from(u))).toEqual(updates.map((u) => Array.from(u)));
        },
      ),
      { numRuns: 30 },
    );
    const large = Uint8Array.from({ length: 3_000_000 }, (_, i) => (i * 31) % 251);
    await hub!.append('large', large);
    expect(Buffer.compare((await hub!.load('large')).updates[0]!, large)).toBe(0);
    await hub!.close();
  });

  it('stores all of a batch or none of it, and a failed batch takes no number', async () => {
    const [hub] = await db.hubs(1);
    await hub!.append('a', bytes(1));
    // PostgreSQL text cannot hold NUL, so the second room fails the whole transaction.
    const failed = hub!.appendMany([
      { room: 'a', update: bytes(2) },
      { room: 'bad\u0000room', update: bytes(3) },
    ]);
    await expect(failed).rejects.toThrow(
      /PostgreSQL did not commit 2 updates .* none was confirmed/,
    );
    expect((await hub!.load('a')).updates.map((u) => u[0])).toEqual([1]);
    expect(await hub!.append('a', bytes(4))).toBe(2);
    expect(hub!.stats()).toMatchObject({ commits: 2, updatesCommitted: 2, commitFailures: 1 });
    await hub!.close();
  });

  it('lets two hubs commit batches over the same rooms in opposite orders without deadlock', async () => {
    const hubs = await db.hubs(2);
    const rooms = ['a', 'b', 'c'];
    const batch = (order: string[], n: number) => order.map((room) => ({ room, update: bytes(n) }));
    const runs = hubs.map((hub, h) =>
      Promise.all(
        range(1, 30).map((n) => hub.appendMany(batch(h ? [...rooms].reverse() : rooms, n))),
      ),
    );
    await Promise.all(runs);
    for (const room of rooms) expect(await hubs[0]!.head(room)).toBe(60);
    await Promise.all(hubs.map((h) => h.close()));
  });

  it('refuses a room name too long to announce, storing nothing', async () => {
    const [hub] = await db.hubs(1);
    await expect(hub!.append('x'.repeat(1001), bytes(1))).rejects.toThrow(
      /at most 1000 characters/,
    );
    expect(hub!.stats().commits).toBe(0);
    await hub!.close();
  });
});

describe('compaction across hubs', () => {
  /** Two hubs on one room; `first` holds updates 1..3, the other has appended 4..5 since. */
  async function twoHubsAhead() {
    const schema = db.freshSchema();
    const [first, second] = await db.hubs(2, { schema });
    const editor = new Editor();
    for (const i of range(1, 5))
      await (i <= 3 ? first! : second!).append('r', editor.set(`k${i}`, i));
    const stale = await first!.updatesSince('r', 0);
    return { schema, first: first!, second: second!, editor, stale: stale.slice(0, 3) };
  }

  it('keeps the newer snapshot when a hub that fell behind compacts after another', async () => {
    const { first, second, editor, stale } = await twoHubsAhead();
    const behind = rebuild(stale.map((e) => e.update));
    const current = rebuild((await second.load('r')).updates);
    await second.compact('r', 5, Y.encodeStateAsUpdate(current));
    await first.compact('r', 3, Y.encodeStateAsUpdate(behind));

    const log = await first.load('r');
    expect(log).toMatchObject({ head: 5 });
    expect(log.updates).toHaveLength(1);
    expect(itemsOf(rebuild(log.updates))).toEqual(itemsOf(editor.doc));
    expect(first.stats()).toMatchObject({ compactions: 0, compactionsSkipped: 1 });
    await Promise.all([first.close(), second.close()]);
  });

  for (const order of ['older first', 'newer first'] as const) {
    it(`never loses the only copy when two hubs compact at once (${order})`, async () => {
      const { schema, first, second, editor, stale } = await twoHubsAhead();
      const older = {
        hub: first,
        through: 3,
        snapshot: Y.encodeStateAsUpdate(rebuild(stale.map((e) => e.update))),
      };
      const newer = {
        hub: second,
        through: 5,
        snapshot: Y.encodeStateAsUpdate(rebuild((await second.load('r')).updates)),
      };
      // Both compactions wait on the room's lock, then run one after the other in that order.
      const holder = await db.session();
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ${schema}.rooms WHERE room = 'r' FOR UPDATE`);
      const [a, b] = order === 'older first' ? [older, newer] : [newer, older];
      const doneA = a.hub.compact('r', a.through, a.snapshot);
      await db.waitForLockWaiters(1);
      const doneB = b.hub.compact('r', b.through, b.snapshot);
      await db.waitForLockWaiters(2);
      // And an update that another hub appends meanwhile, after both snapshots' points.
      const appended = second.append('r', editor.set('k6', 6));
      await db.waitForLockWaiters(3);
      await holder.query('COMMIT');
      await holder.end();
      const [, , late] = await Promise.all([doneA, doneB, appended]);

      const log = await first.updatesSince('r', 0);
      expect(log.map((e) => e.seq)).toEqual([5, late]);
      expect(itemsOf(rebuild(log.map((e) => e.update)))).toEqual(itemsOf(editor.doc));
      await Promise.all([first.close(), second.close()]);
    });
  }

  it('refuses to compact beyond the newest update, and changes nothing', async () => {
    const [hub] = await db.hubs(1);
    await hub!.append('r', bytes(1));
    await expect(hub!.compact('r', 2, bytes(9))).rejects.toThrow(
      'Cannot compact room "r" through update 2: its newest update is 1.',
    );
    expect((await hub!.load('r')).updates.map((u) => u[0])).toEqual([1]);
    await hub!.compact('nowhere', 1, bytes(9));
    expect(await hub!.load('nowhere')).toEqual({ updates: [], head: 0 });
    await hub!.close();
  });

  it('serves a hub catching up past a compaction the snapshot that covers what it lacks', async () => {
    const [hub] = await db.hubs(1);
    const editor = new Editor();
    for (const i of range(1, 6)) await hub!.append('r', editor.set(`k${i}`, i));
    await hub!.compact(
      'r',
      4,
      Y.encodeStateAsUpdate(
        rebuild((await hub!.updatesSince('r', 0)).slice(0, 4).map((e) => e.update)),
      ),
    );
    const behind = rebuild([]);
    const caughtUp = await hub!.updatesSince('r', 2);
    expect(caughtUp.map((e) => e.seq)).toEqual([4, 5, 6]);
    for (const entry of caughtUp) Y.applyUpdate(behind, entry.update);
    expect(itemsOf(behind)).toEqual(itemsOf(editor.doc));
    expect(await hub!.updatesSince('r', 6)).toEqual([]);
    await hub!.close();
  });
});

describe('schema', () => {
  it('is created once when several hubs start at the same moment', async () => {
    const schema = db.freshSchema();
    const hubs = await db.hubs(6, { schema });
    const versions = await db.sql<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations`,
    );
    expect(versions).toEqual([{ version: 1 }]);
    await Promise.all(hubs.map((h) => h.close()));
  });

  it('is refused when a newer hub has migrated it', async () => {
    const schema = db.freshSchema();
    await (await PgRoomStore.open({ connection: db.connection, schema })).close();
    await db.sql(`INSERT INTO ${schema}.schema_migrations (version) VALUES (99)`);
    await expect(PgRoomStore.open({ connection: db.connection, schema })).rejects.toThrow(
      `The PostgreSQL schema "${schema}" is at version 99, newer than this hub understands (1)`,
    );
  });

  it('refuses a schema name it would have to quote', async () => {
    await expect(
      PgRoomStore.open({ connection: db.connection, schema: 'Curio"; DROP' }),
    ).rejects.toThrow(/cannot name the hub's PostgreSQL schema/);
  });

  it('refuses a database that may lose a commit it acknowledged', async () => {
    await db.sql('CREATE DATABASE lossy');
    await db.sql('ALTER DATABASE lossy SET synchronous_commit = off');
    const connection = { ...db.connection, database: 'lossy' };
    await expect(PgRoomStore.open({ connection })).rejects.toThrow(
      'PostgreSQL runs with synchronous_commit = off',
    );
  });

  it('names the problem when the database cannot be reached', async () => {
    const connection = { ...db.connection, port: 1 };
    await expect(PgRoomStore.open({ connection })).rejects.toThrow(
      /^Could not connect to PostgreSQL: /,
    );
  });
});
