// Revoked token ids, in the hub's database so that `hub revoke` (another process) and a running
// hub share them: the hub checks every new connection against it and polls it to drop live ones.
import type { Db } from './sqlite-store';
import { openHubDatabase } from './sqlite-store';

/** What the hub needs of a revocation list: one machine's SQLite file, or a cluster's. */
export interface RevocationList {
  /** Answered from memory or a local file: an upgrade waits for no network. */
  isRevoked(id: string): boolean;
  /** Ids revoked after `cursor`, and the cursor to pass next time. */
  revokedSince(
    cursor: number,
  ): { ids: string[]; cursor: number } | Promise<{ ids: string[]; cursor: number }>;
  close(): void | Promise<void>;
}

export class Revocations implements RevocationList {
  private readonly db: Db;
  private readonly statements;

  constructor(file: string) {
    this.db = openHubDatabase(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS revoked_tokens (
        n INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        revoked_at INTEGER NOT NULL
      );
    `);
    this.statements = {
      has: this.db.prepare<[string], { n: number }>('SELECT n FROM revoked_tokens WHERE id = ?'),
      add: this.db.prepare<[string, number]>(
        'INSERT OR IGNORE INTO revoked_tokens (id, revoked_at) VALUES (?, ?)',
      ),
      since: this.db.prepare<[number], { n: number; id: string }>(
        'SELECT n, id FROM revoked_tokens WHERE n > ? ORDER BY n',
      ),
    };
  }

  isRevoked(id: string): boolean {
    return this.statements.has.get(id) !== undefined;
  }

  /** Returns false when the id was already revoked. */
  revoke(id: string, now: number = Date.now()): boolean {
    return this.statements.add.run(id, now).changes > 0;
  }

  /** Ids revoked after `cursor`, and the cursor to pass next time. */
  revokedSince(cursor: number): { ids: string[]; cursor: number } {
    const rows = this.statements.since.all(cursor);
    return { ids: rows.map((r) => r.id), cursor: rows.at(-1)?.n ?? cursor };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
