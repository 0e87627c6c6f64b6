// The hub's command line: run the hub, mint an invite, revoke one. See USAGE. The first line a
// running hub prints is the URL it listens on; scripts and tests read it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatInvite } from '../shared/model';
import { ROLES, TokenIdSchema } from '../shared/sync';
import { describeSecret, hubPaths, loadOrCreateSecret, type HubSecret } from './data-dir';
import { HUB_DEFAULTS, startHub } from './hub';
import { Revocations } from './revocations';
import { mintToken, parseDuration, verifyToken } from './token';

const USAGE = `Curio sync hub

  npm run hub -- [--port N] [--host H] [--data DIR]          run the hub
  npm run hub -- token --collection ID --member NAME --role editor|reader
                       [--expires 30d] [--hub ws://HOST:PORT] [--data DIR]
                                                             mint an invite
  npm run hub -- revoke TOKEN_OR_ID [--data DIR]             withdraw an invite at once

  --host 127.0.0.1 (default) serves this machine only; --host 0.0.0.0 serves others too,
  and they need the hub's address in their invite (--hub ws://your-host:4455).
  token and revoke must use the running hub's data folder: its secret signs invites and its
  database holds revocations. Both say which secret they used.

  Tuning: --compact-after UPDATES  --max-message-bytes N  --max-connections-per-address N
          (0 = no limit; set it on the proxy instead when the hub is behind one)
  Environment: HUB_PORT, HUB_HOST, HUB_DATA (default ./hub-data), HUB_URL (for token --hub),
          HUB_SECRET (instead of DATA/secret, which is generated on first use)
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
} as const;

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
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  console.log(`Curio hub listening on ${hub.url}`);
  console.log(`Data in ${dataDir}; invites are checked with ${describeSecret(secret)}.`);
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
  const hubUrl = values.hub ?? env.HUB_URL ?? `ws://127.0.0.1:${env.HUB_PORT ?? HUB_DEFAULTS.port}`;
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
    console.error(`The invite points at ${hubUrl}; give --hub ws://HOST:PORT for other machines.`);
  }
}

function revoke(args: string[]): void {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { data: { type: 'string' } },
  });
  refuseStrayWords(positionals, 1);
  const [tokenOrId] = positionals;
  if (!tokenOrId) throw new Error('Usage: npm run hub -- revoke TOKEN_OR_ID [--data DIR]');
  const dataDir = dataDirOf(values.data);
  const database = hubPaths(dataDir).database;
  if (!existsSync(database)) {
    throw new Error(
      `No hub has run with ${dataDir} (there is no hub.sqlite): give the running hub's --data.`,
    );
  }
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
  const revocations = new Revocations(database);
  const added = revocations.revoke(id);
  revocations.close();
  console.log(added ? `Revoked token ${id}.` : `Token ${id} was already revoked.`);
  console.error(`Recorded in ${database}; a hub running on it closes the token's connections.`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'help' || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
  } else if (command === 'token') token(rest);
  else if (command === 'revoke') revoke(rest);
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
