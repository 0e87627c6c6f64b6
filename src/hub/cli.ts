// `npm run hub -- [--port N] [--data DIR] [--host H]`            run the hub
//    tuning: [--compact-after UPDATES] [--max-message-bytes N]
//    environment: HUB_PORT, HUB_DATA, HUB_HOST, HUB_SECRET (else generated into DATA/secret)
// `npm run hub -- token --collection ID --member NAME --role R`   mint an invite
// `npm run hub -- revoke TOKEN_OR_ID`                             revoke an invite
// The first line a running hub prints is the URL it listens on; scripts and tests read it.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { hubPaths, loadOrCreateSecret } from './data-dir';
import { startHub } from './hub';
import { Revocations } from './revocations';
import { ROLES, inviteLink, mintToken, parseDuration, verifyToken } from './token';

const env = process.env;
const DEFAULT_PORT = 4455;

const PortSchema = z.coerce.number().int().min(0).max(65_535);

function dataDirOf(value: string | undefined): string {
  return value ?? env.HUB_DATA ?? './hub-data';
}

function secretFor(dataDir: string): string {
  return loadOrCreateSecret(dataDir, env.HUB_SECRET || undefined);
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      host: { type: 'string' },
      'compact-after': { type: 'string' },
      'max-message-bytes': { type: 'string' },
    },
  });
  const compactAfter = values['compact-after'];
  const maxMessageBytes = values['max-message-bytes'];
  const port = PortSchema.parse(values.port ?? env.HUB_PORT ?? DEFAULT_PORT);
  const hub = await startHub({
    port,
    host: values.host ?? env.HUB_HOST ?? '127.0.0.1',
    dataDir: dataDirOf(values.data),
    secret: env.HUB_SECRET || undefined,
    compactAfter: compactAfter ? z.coerce.number().int().min(2).parse(compactAfter) : undefined,
    maxMessageBytes: maxMessageBytes
      ? z.coerce.number().int().min(1024).parse(maxMessageBytes)
      : undefined,
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  console.log(`Curio hub listening on ${hub.url}`);
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
  const { values } = parseArgs({
    args,
    options: {
      collection: { type: 'string' },
      member: { type: 'string' },
      role: { type: 'string' },
      expires: { type: 'string', default: '30d' },
      hub: { type: 'string' },
      data: { type: 'string' },
    },
  });
  const options = z
    .object({
      collection: z.string({ error: '--collection ID is required' }),
      member: z.string({ error: '--member NAME is required' }).min(1),
      role: z.enum(ROLES, { error: '--role must be editor or reader' }),
    })
    .parse(values);
  const hubUrl = values.hub ?? env.HUB_URL ?? `ws://127.0.0.1:${env.HUB_PORT ?? DEFAULT_PORT}`;
  const { token } = mintToken({
    ...options,
    ttlSeconds: parseDuration(values.expires),
    secret: secretFor(dataDirOf(values.data)),
  });
  console.log(token);
  console.log(inviteLink(hubUrl, options.collection, token));
}

function revoke(args: string[]): void {
  const { values, positionals } = parseArgs({
    args,
    options: { data: { type: 'string' } },
    allowPositionals: true,
  });
  const [tokenOrId] = positionals;
  if (!tokenOrId || positionals.length > 1) throw new Error('Usage: hub revoke TOKEN_OR_ID');
  const dataDir = dataDirOf(values.data);
  let id = tokenOrId;
  if (tokenOrId.includes('.')) {
    // A whole token: accept it even when expired, but only if this hub signed it.
    const verdict = verifyToken(tokenOrId, secretFor(dataDir), 0);
    if (!verdict.ok) {
      throw new Error('That token was not issued by this hub (check --data or HUB_SECRET).');
    }
    id = verdict.claims.id;
  } else if (!/^[A-Za-z0-9_-]{8,64}$/.test(tokenOrId)) {
    throw new Error(`"${tokenOrId}" is neither a token nor a token id.`);
  }
  const revocations = new Revocations(hubPaths(dataDir).database);
  const added = revocations.revoke(id);
  revocations.close();
  console.log(added ? `Revoked token ${id}.` : `Token ${id} was already revoked.`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'token') token(rest);
  else if (command === 'revoke') revoke(rest);
  else await serve(argv);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message =
    error instanceof z.ZodError
      ? error.issues.map((i) => i.message).join('; ')
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`hub: ${message}`);
  process.exit(1);
});
