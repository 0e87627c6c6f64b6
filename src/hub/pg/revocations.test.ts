// Revocations shared by a cluster of hubs: the same answers as the single hub's SQLite list, and
// a poll that never skips a revocation, however the revoking transactions interleave.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Revocations } from '../revocations';
import { tempDataDir } from '../test-kit';
import { PgRevocations, type SharedRevocations } from './revocations';
import { usePostgres } from './test-kit';

const db = usePostgres();

/** The SQLite list behind the same promise-returning methods, to hold both to one behaviour. */
function sqliteList(): SharedRevocations {
  const list = new Revocations(join(tempDataDir(), 'hub.sqlite'));
  return {
    isRevoked: async (id) => list.isRevoked(id),
    revoke: async (id, now) => list.revoke(id, now),
    revokedSince: async (cursor) => list.revokedSince(cursor),
    close: async () => list.close(),
  };
}

const lists: [string, () => Promise<SharedRevocations>][] = [
  ['SQLite', async () => sqliteList()],
  ['PostgreSQL', () => PgRevocations.open({ connection: db.connection, schema: db.freshSchema() })],
];

describe.each(lists)('revoked tokens (%s)', (_, open) => {
  it('answers whether an id is revoked, once revoked stays revoked, and lists them in order', async () => {
    const list = await open();
    expect(await list.isRevoked('t1')).toBe(false);
    expect(await list.revoke('t1', 1000)).toBe(true);
    expect(await list.revoke('t1', 2000)).toBe(false);
    expect(await list.revoke('t2')).toBe(true);
    expect(await list.isRevoked('t1')).toBe(true);
    const first = await list.revokedSince(0);
    expect(first.ids).toEqual(['t1', 't2']);
    expect(await list.revokedSince(first.cursor)).toEqual({ ids: [], cursor: first.cursor });
    await list.revoke('t3');
    expect((await list.revokedSince(first.cursor)).ids).toEqual(['t3']);
    await list.close();
  });
});

it('is shared by every hub of the cluster', async () => {
  const schema = db.freshSchema();
  const [cli, hub] = await Promise.all(
    [0, 1].map(() => PgRevocations.open({ connection: db.connection, schema })),
  );
  await cli!.revoke('token-1');
  expect(await hub!.isRevoked('token-1')).toBe(true);
  expect((await hub!.revokedSince(0)).ids).toEqual(['token-1']);
  await Promise.all([cli!.close(), hub!.close()]);
});

it('never lets a poll skip a revocation that commits after a later one', async () => {
  const schema = db.freshSchema();
  const [a, b, poller] = await Promise.all(
    [0, 1, 2].map(() => PgRevocations.open({ connection: db.connection, schema })),
  );
  // Another session is inserting the same id and has not committed: a's revocation must wait
  // for it, and b revokes another id meanwhile.
  const holder = await db.session();
  await holder.query('BEGIN');
  await holder.query(
    `INSERT INTO ${schema}.revoked_tokens (n, id, revoked_at) VALUES (-1, 'x', 0)`,
  );
  const revokedX = a!.revoke('x');
  await db.waitForLockWaiters(1);
  const revokedY = b!.revoke('y');
  await Promise.race([revokedY, db.waitForLockWaiters(2)]);
  const early = await poller!.revokedSince(0);
  await holder.query('ROLLBACK');
  await holder.end();
  expect(await Promise.all([revokedX, revokedY])).toEqual([true, true]);

  const late = await poller!.revokedSince(early.cursor);
  expect([...early.ids, ...late.ids].sort()).toEqual(['x', 'y']);
  await Promise.all([a!.close(), b!.close(), poller!.close()]);
});
