// Starts Curio's web mode (src/web/cli.ts) as a child process against the renderer already built in
// out/web, on a free loopback port with a throwaway data folder, the way a curator would start it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface WebMode {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  /** The server's --data folder, deleted when it stops. */
  readonly dataDir: string;
  /** Resolves with the first line it printed after its URL that matches. */
  printed(pattern: RegExp): Promise<string>;
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const URL_LINE = /^Curio web: (http:\/\/127\.0\.0\.1:\d+\/)$/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export async function startWebMode(): Promise<WebMode> {
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-e2e-data-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/web/cli.ts', '--port', '0', '--data', dataDir],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  // Everything printed after the URL line; read on so the child never blocks on a full pipe.
  const printedLines: string[] = [];
  const waiters = new Set<() => void>();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      lines.close();
      child.kill('SIGKILL');
      reject(new Error(`Curio web mode ${why}.${stderr ? `\n${stderr}` : ''}`));
    };
    const timer = setTimeout(
      () => fail(`printed no URL within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = URL_LINE.exec(line);
      if (!match?.[1]) return fail(`printed "${line}" where its URL should be`);
      settled = true;
      lines.on('line', (next) => {
        printedLines.push(next);
        for (const waiter of waiters) waiter();
      });
      resolve(match[1]);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(`exited with code ${code} before printing its URL (was out/web built?)`);
    });
  });

  return {
    url,
    dataDir,
    printed(pattern) {
      return new Promise((resolve) => {
        const look = () => {
          const line = printedLines.find((l) => pattern.test(l));
          if (line === undefined) return;
          waiters.delete(look);
          resolve(line);
        };
        waiters.add(look);
        look();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
