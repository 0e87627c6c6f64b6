// Real-process fixtures for the hub's tests and e2e: spawn the CLI exactly as `npm run hub` does,
// read the URL from its first line, and talk to it over real sockets; or start it in-process
// with a clock the test moves by hand.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ObservableV2 } from 'lib0/observable';
import type { Role } from '../shared/sync';
import type { HubClock } from './clock';
import { mintToken, type MintOptions } from './token';

export const CLI = resolve(fileURLToPath(new URL('.', import.meta.url)), 'cli.ts');
/** Where `npm run build:hub` writes the hub that `npm run hub` runs under plain node. */
export const BUILT_CLI = resolve(
  fileURLToPath(new URL('../..', import.meta.url)),
  'out/hub/cli.mjs',
);
export const TEST_SECRET = 'test-secret-0123456789abcdef';

/**
 * A fresh data folder for a hub. Under Vitest it sits in the run's own temporary folder, which
 * is removed when the run ends (tests/temp-root.ts).
 */
export function tempDataDir(): string {
  return mkdtempSync(join(process.env.CURIO_TEST_TMP ?? tmpdir(), 'curio-hub-'));
}

export function tokenFor(collection: string, role: Role = 'editor', member = 'ann'): string {
  return testToken({ collection, member, role }).token;
}

/** A token this hub signs: an editor's, Ann's, good for an hour, unless `options` say otherwise. */
export function testToken(options: Partial<MintOptions> & { collection: string }) {
  return mintToken({
    member: 'ann',
    role: 'editor',
    ttlSeconds: 3600,
    secret: TEST_SECRET,
    ...options,
  });
}

export interface HubProcess {
  url: string;
  httpUrl: string;
  child: ChildProcess;
  /** Every stdout line after the first. */
  lines: string[];
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** The first line after the URL that matches, printed already or still to come. */
  lineMatching(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `env` replaces the test's HUB_SECRET and the like; by default the hub signs with TEST_SECRET.
 * `cli` runs another copy of the hub's CLI (benchmarks compare two).
 */
export async function spawnHub(
  dataDir: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = { HUB_SECRET: TEST_SECRET },
  cli = CLI,
): Promise<HubProcess> {
  // The built hub runs under plain node, as in production; the sources through tsx.
  const loader = cli.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const argv = [...loader, cli, '--port', '0', '--data', dataDir, ...args];
  const child = spawn(process.execPath, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Every line is kept from the start: several may arrive in one chunk, in one tick.
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout! });
  reader.on('line', (line) => lines.push(line));
  const first = await new Promise<string>((done, fail) => {
    reader.once('line', done);
    void exited.then((code) => fail(new Error(`hub exited (${code}) before listening: ${stderr}`)));
  });
  lines.shift();
  const url = /listening on (wss?:\/\/\S+)$/.exec(first)?.[1];
  if (!url) throw new Error(`unexpected first line from the hub: ${first}`);
  const halt = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    httpUrl: url.replace(/^ws/, 'http'),
    child,
    lines,
    stderr: () => stderr,
    lineMatching: (pattern) =>
      new Promise((done) => {
        const found = lines.find((line) => pattern.test(line));
        if (found !== undefined) return done(found);
        const check = (line: string) => {
          if (!pattern.test(line)) return;
          reader.off('line', check);
          done(line);
        };
        reader.on('line', check);
      }),
    exited,
    kill9: () => halt('SIGKILL'),
    stop: () => halt('SIGTERM'),
  };
}

/** Everything a refused upgrade sends back, read off a raw socket. */
export function rawUpgrade(url: string, path: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const socket = netConnect(Number(port), hostname, () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: Upgrade\r\n` +
          'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('end', () => done(received));
    socket.on('error', fail);
    socket.setTimeout(5000, () => fail(new Error('the hub kept a refused socket open')));
  });
}

/** Opens a TCP socket to the hub (from `localAddress`, to act as another machine) and says nothing. */
export function silentSocket(url: string, localAddress?: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const socket = netConnect({ port: Number(port), host: hostname, localAddress }, () =>
      done(socket),
    );
    socket.once('error', fail);
  });
}

/** Resolves when the socket has been closed, by either side. */
export function socketClosed(socket: Socket): Promise<void> {
  return socket.closed
    ? Promise.resolve()
    : new Promise((done) => socket.once('close', () => done()));
}

interface Scheduled {
  at: number;
  task: () => void;
}

/** A HubClock that stands still until the test moves it. */
export class ManualClock implements HubClock {
  private time = 0;
  private readonly tasks = new Set<Scheduled>();
  private readonly events = new ObservableV2<{ scheduled: () => void }>();

  now(): number {
    return this.time;
  }

  after(ms: number, task: () => void): () => void {
    const entry = { at: this.time + ms, task };
    this.tasks.add(entry);
    this.events.emit('scheduled', []);
    return () => this.tasks.delete(entry);
  }

  /** Resolves once at least `count` tasks are waiting for their time. */
  waitForScheduled(count: number): Promise<void> {
    return new Promise((done) => {
      const check = () => {
        if (this.tasks.size < count) return;
        this.events.off('scheduled', check);
        done();
      };
      this.events.on('scheduled', check);
      check();
    });
  }

  /** Moves time on by `ms`, running what falls due, earliest (then first scheduled) first. */
  advance(ms: number): void {
    this.time += ms;
    const due = [...this.tasks].filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at);
    for (const entry of due) {
      this.tasks.delete(entry);
      entry.task();
    }
  }
}
