// The hub's command line: run the hub, mint an invite, revoke one. See USAGE. The first line a
// running hub prints is the URL it listens on; scripts and tests read it.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatInvite } from '../shared/model';
import { ROLES, TokenIdSchema, isPlainRemoteHubUrl } from '../shared/sync';
import { describeSecret, hubPaths, loadOrCreateSecret, type HubSecret } from './data-dir';
import { HUB_DEFAULTS, startHub, type HubOptions } from './hub';
import { PgRevocations } from './pg/revocations';
import { Revocations } from './revocations';
import { mintToken, parseDuration, verifyToken } from './token';

const USAGE = `Curio sync hub

  npm run hub -- [--port N] [--host H] [--data DIR] [--store postgres://USER@HOST/DB]
                 [--tls-cert FILE --tls-key FILE]            run the hub
  npm run hub -- token --collection ID --member NAME --role editor|reader
                       [--expires 30d] [--hub wss://HOST:PORT] [--data DIR]
                                                             mint an invite
  npm run hub -- revoke TOKEN_OR_ID [--data DIR] [--store postgres://…]
                                                             withdraw an invite at once

  --host 127.0.0.1 (default) serves this machine only; --host 0.0.0.0 serves others too,
  and they need the hub's address in their invite (--hub wss://your-host:4455). Beyond this
  machine, serve TLS (--tls-cert, --tls-key: PEM files) or run behind a proxy that does.
  --store keeps every room in PostgreSQL, shared by any number of hubs (give them all the same
  HUB_SECRET); without it, rooms live in SQLite in the data folder.
  token and revoke must use the running hub's secret (its data folder or HUB_SECRET); revoke
  also its store. Both say which secret they used.

  Tuning: --compact-after UPDATES  --max-message-bytes N  --max-connections-per-address N
          (0 = no limit; set it on the proxy instead when the hub is behind one)
  Environment: HUB_PORT, HUB_HOST, HUB_DATA (default ./hub-data), HUB_URL (for token --hub),
          HUB_SECRET (instead of DATA/secret, which is generated on first use), HUB_STORE,
          HUB_TLS_CERT, HUB_TLS_KEY
`;

const env = process.env;

const PortSchema = z.coerce.number().int().min(0).max(65_535);
const Positive = (min: number) => z.coerce.number().int().min(min);

function dataDirOf(value: string | undefined): string {
  return resolve(value ?? env.HUB_DATA ?? './hub-data');
}

function secretFor(dataDir: string): HubSecret {
  return loadOrCreateSecret(dataDir, env.HUB_SECRET || undefined);
}

const COMMANDS = ['token', 'revoke'];

/** Commands come first; any other word where options are expected is a mistake. */
function refuseStrayWords(positionals: string[], allowed = 0): void {
  const extra = positionals[allowed];
  if (extra !== undefined) {
    throw new Error(`"${extra}" is not an option here; commands (token, revoke) come first.`);
  }
}

const SERVE_OPTIONS = {
  port: { type: 'string' },
  data: { type: 'string' },
  host: { type: 'string' },
  'compact-after': { type: 'string' },
  'max-message-bytes': { type: 'string' },
  'max-connections-per-address': { type: 'string' },
  store: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
} as const;

/** `--store`: a PostgreSQL URL; nothing (SQLite in the data folder) by default. */
function clusterOf(value: string | undefined): HubOptions['cluster'] {
  const store = value ?? (env.HUB_STORE || undefined);
  if (store === undefined || store === 'sqlite') return undefined;
  if (!/^postgres(ql)?:\/\//.test(store)) {
    throw new Error(
      `--store ${store}: give a PostgreSQL URL (postgres://USER@HOST/DB), or leave it out for ` +
        'SQLite in the data folder.',
    );
  }
  return { connection: store };
}

/** `--tls-cert` and `--tls-key` go together; both are PEM files. */
function tlsOf(certFile: string | undefined, keyFile: string | undefined): HubOptions['tls'] {
  const cert = certFile ?? (env.HUB_TLS_CERT || undefined);
  const key = keyFile ?? (env.HUB_TLS_KEY || undefined);
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    throw new Error(
      'TLS needs both --tls-cert FILE and --tls-key FILE (or HUB_TLS_CERT, HUB_TLS_KEY).',
    );
  }
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`Could not read the TLS ${what} ${file}: ${(error as Error).message}`);
    }
  };
  return { cert: read(cert, 'certificate'), key: read(key, 'key') };
}

function readServeArgs(args: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: SERVE_OPTIONS,
      allowPositionals: true,
    });
    refuseStrayWords(positionals);
    return values;
  } catch (error) {
    // `hub --data DIR token …`: the command's options mean nothing to the server.
    const command = args.find((a) => COMMANDS.includes(a));
    if (command) refuseStrayWords([command]);
    throw error;
  }
}

async function serve(args: string[]): Promise<void> {
  const values = readServeArgs(args);
  const optional = (value: string | undefined, min: number) =>
    value === undefined ? undefined : Positive(min).parse(value);
  const dataDir = dataDirOf(values.data);
  const secret = secretFor(dataDir);
  const hub = await startHub({
    port: PortSchema.parse(values.port ?? env.HUB_PORT ?? HUB_DEFAULTS.port),
    host: values.host ?? env.HUB_HOST ?? HUB_DEFAULTS.host,
    dataDir,
    secret: secret.secret,
    compactAfter: optional(values['compact-after'], 2),
    maxMessageBytes: optional(values['max-message-bytes'], 1024),
    maxConnectionsPerAddress: optional(values['max-connections-per-address'], 0),
    cluster: clusterOf(values.store),
    tls: tlsOf(values['tls-cert'], values['tls-key']),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  console.log(`Curio hub listening on ${hub.url}`);
  const where = values.store || env.HUB_STORE ? 'Rooms in PostgreSQL' : `Data in ${dataDir}`;
  console.log(`${where}; invites are checked with ${describeSecret(secret)}.`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void hub.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function token(args: string[]): void {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      collection: { type: 'string' },
      member: { type: 'string' },
      role: { type: 'string' },
      expires: { type: 'string', default: '30d' },
      hub: { type: 'string' },
      data: { type: 'string' },
    },
  });
  refuseStrayWords(positionals);
  const options = z
    .object({
      collection: z.string({ error: '--collection ID is required' }),
      member: z.string({ error: '--member NAME is required' }).min(1),
      role: z.enum(ROLES, { error: '--role must be editor or reader' }),
    })
    .parse(values);
  const scheme = env.HUB_TLS_CERT ? 'wss' : 'ws';
  const hubUrl =
    values.hub ?? env.HUB_URL ?? `${scheme}://127.0.0.1:${env.HUB_PORT ?? HUB_DEFAULTS.port}`;
  const dataDir = dataDirOf(values.data);
  const secret = secretFor(dataDir);
  const { token } = mintToken({
    ...options,
    ttlSeconds: parseDuration(values.expires),
    secret: secret.secret,
  });
  process.stdout.write(`${token}\n${formatInvite({ hub: hubUrl, ...options, token })}\n`);
  console.error(`Signed with ${describeSecret(secret)}: a hub run with the same one accepts it.`);
  if (secret.source === 'created') {
    console.error(`No hub has used ${dataDir} yet: start it with --data ${dataDir}.`);
  }
  if (!values.hub && !env.HUB_URL) {
    console.error(`The invite points at ${hubUrl}; give --hub wss://HOST:PORT for other machines.`);
  } else if (isPlainRemoteHubUrl(hubUrl)) {
    console.error(
      `The invite points at ${hubUrl}: over plain ws:// its token can be read on the network. ` +
        'Serve the hub with TLS (--tls-cert, --tls-key) or behind a TLS proxy, and use wss://.',
    );
  }
}

async function revoke(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { data: { type: 'string' }, store: { type: 'string' } },
  });
  refuseStrayWords(positionals, 1);
  const [tokenOrId] = positionals;
  if (!tokenOrId) throw new Error('Usage: npm run hub -- revoke TOKEN_OR_ID [--data DIR]');
  const dataDir = dataDirOf(values.data);
  const cluster = clusterOf(values.store);
  const database = hubPaths(dataDir).database;
  if (!cluster && !existsSync(database)) {
    throw new Error(
      `No hub has run with ${dataDir} (there is no hub.sqlite): give the running hub's --data.`,
    );
  }
  const id = tokenIdOf(tokenOrId, dataDir);
  if (cluster) {
    const revocations = await PgRevocations.open(cluster);
    const added = await revocations.revoke(id).finally(() => revocations.close());
    console.log(added ? `Revoked token ${id}.` : `Token ${id} was already revoked.`);
    console.error('Recorded in PostgreSQL; every hub of the cluster closes its connections.');
    return;
  }
  const revocations = new Revocations(database);
  const added = revocations.revoke(id);
  revocations.close();
  console.log(added ? `Revoked token ${id}.` : `Token ${id} was already revoked.`);
  console.error(`Recorded in ${database}; a hub running on it closes the token's connections.`);
}

/** The id of a token given whole (checked against this hub's secret) or as its id. */
function tokenIdOf(tokenOrId: string, dataDir: string): string {
  let id = tokenOrId;
  if (tokenOrId.includes('.')) {
    // A whole token: accept it even when expired, but only if this hub signed it.
    const secret = secretFor(dataDir);
    const verdict = verifyToken(tokenOrId, secret.secret, 0);
    if (!verdict.ok) {
      throw new Error(
        `That token was not signed with ${describeSecret(secret)}: give the --data (or ` +
          'HUB_SECRET) of the hub that issued it.',
      );
    }
    id = verdict.claims.id;
  } else if (!TokenIdSchema.safeParse(tokenOrId).success) {
    throw new Error(`"${tokenOrId}" is neither a token nor a token id.`);
  }
  return id;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'help' || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
  } else if (command === 'token') token(rest);
  else if (command === 'revoke') await revoke(rest);
  else await serve(argv);
}

// `npm run -s hub -- token … | head -1` closes the pipe after the line it wants: not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).catch((error: unknown) => {
  const message =
    error instanceof z.ZodError
      ? error.issues.map((i) => i.message).join('; ')
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`hub: ${message}\nRun \`npm run hub -- --help\` for usage.`);
  process.exit(1);
});
