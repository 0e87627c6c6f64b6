// Revoked token ids for a cluster of hubs, in the PostgreSQL database they share: what
// `Revocations` (revocations.ts) does on one machine's SQLite file, with the same methods, but
// asynchronous. Every hub checks new connections against it and polls `revokedSince` to drop
// live ones, so the numbering must never let a poll skip a revocation.
import type pg from 'pg';
import type { Revocations } from '../revocations';
import { inTransaction, openDatabase, reason, type PgConnectionOptions } from './database';

/** `Revocations`' methods, each answering through a promise. */
export type SharedRevocations = {
  [K in keyof Revocations]: Revocations[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<R>
    : never;
};

export class PgRevocations implements SharedRevocations {
  private readonly sql;

  static async open(options: PgConnectionOptions): Promise<PgRevocations> {
    const db = await openDatabase(options, 2, () => undefined);
    return new PgRevocations(db.pool, db.schema);
  }

  private constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    const table = `${schema}.revoked_tokens`;
    this.sql = {
      has: `SELECT 1 FROM ${table} WHERE id = $1`,
      // With a sequence, a revocation numbered 5 could commit after one numbered 6 had been
      // seen, and a hub polling "after 6" would never drop that token's connections. Numbering
      // under a lock that only revocations take makes the numbers appear in order.
      lock: `LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`,
      add: `INSERT INTO ${table} (n, id, revoked_at)
            SELECT coalesce(max(n), 0) + 1, $1, $2 FROM ${table}
            ON CONFLICT (id) DO NOTHING RETURNING n`,
      since: `SELECT n, id FROM ${table} WHERE n > $1 ORDER BY n`,
    };
  }

  async isRevoked(id: string): Promise<boolean> {
    const { rowCount } = await this.query(this.sql.has, [id]);
    return (rowCount ?? 0) > 0;
  }

  /** Returns false when the id was already revoked. */
  async revoke(id: string, now: number = Date.now()): Promise<boolean> {
    return inTransaction(this.pool, 'revoke the token', async (client) => {
      await client.query(this.sql.lock);
      const { rowCount } = await client.query(this.sql.add, [id, now]);
      return (rowCount ?? 0) > 0;
    });
  }

  /** Ids revoked after `cursor`, and the cursor to pass next time. */
  async revokedSince(cursor: number): Promise<{ ids: string[]; cursor: number }> {
    const { rows } = await this.query<{ n: string; id: string }>(this.sql.since, [cursor]);
    return { ids: rows.map((r) => r.id), cursor: Number(rows.at(-1)?.n ?? cursor) };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]) {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw new Error(`Could not read revoked tokens from PostgreSQL: ${reason(error)}`, {
        cause: error,
      });
    }
  }
}
