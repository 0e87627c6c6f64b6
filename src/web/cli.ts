// `npm run web -- [--port N] [--data DIR]`: serves the built renderer (out/web) and DesktopApi on
// 127.0.0.1. The first line printed is the URL, as `Curio web: http://127.0.0.1:PORT/`.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BackupStore } from '../main/services/backups/backup-store';
import { createNodeDesktopApi } from '../main/services/desktop-api';
import { createPublishingApi } from '../main/services/publish';
import { FileCredentialVault } from '../main/services/vault';
import { defaultAppDataDir } from './app-data-dir';
import { startWebServer } from './server';

/**
 * A fixed default port, because the browser keys the library it keeps in IndexedDB by origin,
 * port included: a new port each launch would look like an empty library.
 */
const DEFAULT_PORT = 4456;

const OptionsSchema = z.object({
  port: z.coerce
    .number({ error: '--port must be a number' })
    .int('--port must be a whole number')
    .min(0, '--port must be between 0 and 65535')
    .max(65_535, '--port must be between 0 and 65535'),
  data: z.string().min(1, '--data must name a folder'),
});

function fail(message: string): never {
  console.error(`curio web: ${message}`);
  process.exit(1);
}

function readOptions() {
  let values: { port?: string; data?: string };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { port: { type: 'string' }, data: { type: 'string' } },
    }));
  } catch (error) {
    fail(
      `${error instanceof Error ? error.message : String(error)}. Usage: npm run web -- [--port N] [--data DIR]`,
    );
  }
  const parsed = OptionsSchema.safeParse({
    port: values.port ?? DEFAULT_PORT,
    data: values.data ?? defaultAppDataDir(),
  });
  if (!parsed.success) fail(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

function appVersion(): string {
  const manifest = readFileSync(
    fileURLToPath(new URL('../../package.json', import.meta.url)),
    'utf8',
  );
  return z.object({ version: z.string() }).parse(JSON.parse(manifest)).version;
}

/**
 * The library lives in the browser's storage for this exact address, not in the data folder:
 * another port or another browser shows an empty library, which looks like a lost one.
 */
function whereTheLibraryLives(origin: string, port: number, dataDir: string): string[] {
  return [
    `Your library is stored in the browser at ${origin}: open that address, in the same browser, to find it again.`,
    ...(port === 0
      ? [
          'This port was picked at random, so the next start gets another one, with an empty library; start without --port for your everyday library.',
        ]
      : []),
    `Data folder: ${dataDir}`,
  ];
}

async function main(): Promise<void> {
  const options = readOptions();
  const staticDir = fileURLToPath(new URL('../../out/web/', import.meta.url));
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    fail(`no built renderer in ${staticDir}; run \`npm run build:web\` first.`);
  }
  const dataDir = resolve(options.data);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const api = createNodeDesktopApi({
    mode: 'web',
    version: appVersion(),
    publishing: createPublishingApi({
      vault: new FileCredentialVault(dataDir),
      credentialStorage: 'private-file',
      cacheDir: join(dataDir, 'cache', 'site'),
    }),
    backups: new BackupStore({ dataDir }),
  });
  const server = await startWebServer({ staticDir, api, port: options.port }).catch(
    (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE'
          ? `port ${options.port} is in use (is Curio already open? Then use that one). ` +
              'Another port with --port N works too, but shows a library of its own: the browser keeps one per address.'
          : error.message,
      ),
  );
  // The first line is the URL alone: scripts and tests read it.
  console.log(`Curio web: ${server.url}`);
  for (const line of whereTheLibraryLives(new URL(server.url).origin, options.port, dataDir))
    console.log(line);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
