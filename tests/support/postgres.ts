// A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` in a fresh temporary folder,
// a server listening only on a Unix socket inside that folder, removed afterwards. PostgreSQL
// refuses to run as root, so under root the cluster belongs to the `postgres` user.
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PORT = 5432;
/** Readiness is polled this many times, a pause apart, before giving up on the server. */
const READY_ATTEMPTS = 600;
const READY_PAUSE_MS = 100;

export interface TestPostgres {
  /** Settings for `pg` (Pool or Client): the superuser, over the cluster's Unix socket. */
  readonly connection: { host: string; port: number; user: string; database: string };
  /** Stops the server as a crash would (`immediate`: no checkpoint, recovery on next start). */
  crash(): Promise<void>;
  /** Starts the server again after `crash`, and resolves once it accepts connections. */
  restart(): Promise<void>;
  /** Stops the server and removes its folder. Safe to call twice. */
  remove(): Promise<void>;
}

/**
 * Where PostgreSQL's server programs are: $PG_BINDIR, `pg_config --bindir`, the newest
 * /usr/lib/postgresql/<version>/bin (Debian, Ubuntu), or the PATH (Homebrew, most others).
 */
export function findPostgresBinaries(): string {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // No pg_config on the PATH; the other places may still have the server.
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v));
    versions.sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  candidates.push(...(process.env.PATH ?? '').split(':').filter(Boolean));
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')));
  if (!found) {
    throw new Error(
      'These tests need PostgreSQL, and no initdb was found ($PG_BINDIR, pg_config --bindir, ' +
        '/usr/lib/postgresql/*/bin, PATH). Install it (Debian/Ubuntu: apt-get install ' +
        'postgresql; macOS: brew install postgresql) or point PG_BINDIR at its bin folder.',
    );
  }
  return found;
}

/** PostgreSQL will not run as root: under root, the cluster's owner is the `postgres` user. */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    return { uid, gid };
  } catch {
    throw new Error(
      'These tests run as root, and PostgreSQL refuses to: they run it as the `postgres` ' +
        'user, which does not exist here. Create it (useradd --system postgres) or run the ' +
        'tests as an ordinary user.',
    );
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBinaries();
  const owner = clusterOwner();
  // Directly under the system temp folder: the cluster's owner must be able to reach it.
  const folder = mkdtempSync(join(tmpdir(), 'curio-pg-'));
  if (owner) chownSync(folder, owner.uid, owner.gid);
  const data = join(folder, 'data');
  const log = join(folder, 'server.log');
  const asOwner = (program: string, args: string[]) =>
    owner
      ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args])
      : run(join(bin, program), args);

  let running = false;
  const stop = async (mode: 'fast' | 'immediate') => {
    if (!running) return;
    await asOwner('pg_ctl', ['stop', '-D', data, '-m', mode]);
    running = false;
  };
  const start = async () => {
    try {
      // pg_ctl polls the new server's pid file until it reports ready; the bound is a ceiling
      // for a loaded machine, not an expected duration.
      await asOwner('pg_ctl', ['start', '--wait', '--timeout', '300', '-D', data, '-l', log]);
    } catch (error) {
      const text = await readFile(log, 'utf8').catch(() => '(no server log)');
      throw new Error(`PostgreSQL did not start (${String(error)}); its log, ${log}:\n${text}`);
    }
    running = true;
    await waitUntilReady(bin, folder);
  };
  // A test process that ends abruptly still stops its server; the folder goes with it.
  const onExit = () => {
    if (running) {
      try {
        execFileSync(owner ? 'runuser' : join(bin, 'pg_ctl'), [
          ...(owner ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []),
          ...['stop', '-D', data, '-m', 'immediate'],
        ]);
      } catch {
        // Already gone.
      }
    }
    rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  try {
    await asOwner('initdb', [
      ...['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'],
      '--no-sync',
    ]);
    // Only the Unix socket in the cluster's own folder (mode 0700): nothing else can connect.
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        "listen_addresses = ''",
        `unix_socket_directories = '${folder.replaceAll("'", "''")}'`,
        `port = ${PORT}`,
        'shared_buffers = 32MB',
        'max_connections = 200',
      ].join('\n') + '\n',
    );
    await start();
  } catch (error) {
    await stop('immediate').catch(() => undefined);
    process.off('exit', onExit);
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }

  return {
    connection: { host: folder, port: PORT, user: 'postgres', database: 'postgres' },
    crash: () => stop('immediate'),
    restart: start,
    remove: async () => {
      await stop('fast');
      process.off('exit', onExit);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Confirms the server accepts connections on the socket the tests use. */
async function waitUntilReady(bin: string, socketDir: string): Promise<void> {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt++) {
    const ready = await run(join(bin, 'pg_isready'), ['-q', '-h', socketDir, '-p', String(PORT)])
      .then(() => true)
      .catch(() => false);
    if (ready) return;
    await new Promise((done) => setTimeout(done, READY_PAUSE_MS));
  }
  throw new Error(`PostgreSQL did not accept connections after ${READY_ATTEMPTS} checks`);
}
