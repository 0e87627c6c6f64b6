// Opening the PostgreSQL database that a cluster of hubs shares: the connection pool, the
// schema (created and upgraded by whichever hub starts first, one hub at a time), and a check
// that the server really makes a commit durable before it answers.
import pg from 'pg';

export interface PgConnectionOptions {
  /** A connection string (`postgres://…`) or `pg` settings; hubs of one cluster use the same. */
  connection: string | pg.ClientConfig;
  /**
   * The PostgreSQL schema holding the hub's tables, so that one database can serve several
   * clusters (default `curio`). Lower-case letters, digits and `_`.
   */
  schema?: string;
}

export interface Database {
  pool: pg.Pool;
  /** The schema's name, quoted for use in SQL. */
  schema: string;
  /** The `LISTEN` channel on which appends are announced. */
  channel: string;
  /** The channel on which hubs pass presence to each other. */
  presenceChannel: string;
  clientConfig: pg.ClientConfig;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;
/** First half of the advisory lock key that serialises migrations ("CU"); the schema is the other. */
const MIGRATION_LOCK = 0x4355;
/** How long a hub waits for a new connection before calling the database unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Each entry upgrades the schema by one version; entries are never edited once released. */
const MIGRATIONS: ((schema: string) => string)[] = [
  (s) => `
    -- One row per room: its newest sequence number (taken under this row's lock, so numbers
    -- are gap-free) and the newest sequence number folded into a snapshot.
    CREATE TABLE ${s}.rooms (
      room text PRIMARY KEY,
      head bigint NOT NULL,
      compacted_through bigint NOT NULL DEFAULT 0
    );
    CREATE TABLE ${s}.room_updates (
      room text NOT NULL,
      seq bigint NOT NULL,
      data bytea NOT NULL,
      PRIMARY KEY (room, seq)
    );
    -- n is allocated under a table lock, so a hub polling "revoked after n" never skips one.
    CREATE TABLE ${s}.revoked_tokens (
      n bigint PRIMARY KEY,
      id text NOT NULL UNIQUE,
      revoked_at bigint NOT NULL
    );
  `,
];

export function clientConfig(connection: PgConnectionOptions['connection']): pg.ClientConfig {
  const base = typeof connection === 'string' ? { connectionString: connection } : connection;
  return {
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'curio-hub',
    ...base,
  };
}

/** Connects, creates or upgrades the schema, and checks the server's durability settings. */
export async function openDatabase(
  options: PgConnectionOptions,
  poolSize: number,
  onPoolError: (error: Error) => void,
): Promise<Database> {
  const name = options.schema ?? 'curio';
  if (!SCHEMA_NAME.test(name)) {
    throw new Error(
      `"${name}" cannot name the hub's PostgreSQL schema: use up to 48 lower-case letters, ` +
        'digits and underscores, starting with a letter or underscore.',
    );
  }
  const config = clientConfig(options.connection);
  const pool = new pg.Pool({ ...config, max: poolSize });
  // A server restart breaks idle connections; the pool drops them and the next query reconnects.
  pool.on('error', onPoolError);
  const schema = pg.escapeIdentifier(name);
  try {
    await migrate(pool, name, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    pool,
    schema,
    channel: `${name}_appended`,
    presenceChannel: `${name}_presence`,
    clientConfig: config,
  };
}

async function migrate(pool: pg.Pool, name: string, schema: string): Promise<void> {
  await inTransaction(pool, 'connect to PostgreSQL', async (client) => {
    await refuseLossyCommits(client);
    // Held until COMMIT: a second hub starting now waits here, then finds the schema current.
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK, name]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${schema}.schema_migrations`,
    );
    const current = rows[0]?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `The PostgreSQL schema "${name}" is at version ${current}, newer than this hub ` +
          `understands (${MIGRATIONS.length}): upgrade this hub to the version the others run.`,
      );
    }
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version - 1]!(schema));
      await client.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [
        version,
      ]);
    }
  });
}

/**
 * Runs `work` in a transaction on a pooled connection: committed if it returns, rolled back if
 * it throws. A connection that cannot even roll back is broken and is dropped from the pool,
 * not handed to the next caller. A failure to connect is reported as "Could not <action>".
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  action: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw new Error(`Could not ${action}: ${reason(error)}`, { cause: error });
  }
  let broken: Error | undefined;
  // A connection that fails between two statements reports it as an event: without a listener
  // that would end the process; the statement in flight, or the next one, fails instead.
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((failure: Error) => (broken = failure));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * A hub confirms an update once PostgreSQL says it is committed; with `fsync` or
 * `synchronous_commit` off that answer can come before the disk has it, and a crash would lose
 * confirmed updates. Such a server is refused rather than trusted.
 */
async function refuseLossyCommits(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ fsync: string; synchronous_commit: string }>(
    "SELECT current_setting('fsync') AS fsync, " +
      "current_setting('synchronous_commit') AS synchronous_commit",
  );
  const settings = rows[0]!;
  for (const setting of ['fsync', 'synchronous_commit'] as const) {
    if (settings[setting] === 'off') {
      throw new Error(
        `PostgreSQL runs with ${setting} = off, so a commit can be lost in a crash after the ` +
          `hub confirmed it: set ${setting} = on for the hub's database.`,
      );
    }
  }
}

/** What went wrong, in the driver's words (Node's connection errors can have an empty message). */
export function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return error.message || (typeof code === 'string' ? code : error.name);
}
