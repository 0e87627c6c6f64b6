// Real-process fixtures for the hub's tests and e2e: spawn the CLI exactly as `npm run hub` does,
// read the URL from its first line, and talk to it over real sockets.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  readServerMessage,
  type ServerMessage,
} from './protocol';
import { mintToken, type Role } from './token';

const CLI = resolve(fileURLToPath(new URL('.', import.meta.url)), 'cli.ts');
export const TEST_SECRET = 'test-secret-0123456789abcdef';

/**
 * A fresh data folder for a hub. Under Vitest it sits in the run's own temporary folder, which
 * is removed when the run ends (tests/temp-root.ts).
 */
export function tempDataDir(): string {
  return mkdtempSync(join(process.env.CURIO_TEST_TMP ?? tmpdir(), 'curio-hub-'));
}

export function tokenFor(collection: string, role: Role = 'editor', member = 'ann'): string {
  return mintToken({ collection, member, role, ttlSeconds: 3600, secret: TEST_SECRET }).token;
}

export interface HubProcess {
  url: string;
  httpUrl: string;
  child: ChildProcess;
  /** Every stdout line after the first. */
  lines: string[];
  exited: Promise<number | null>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnHub(dataDir: string, args: string[] = []): Promise<HubProcess> {
  const argv = ['--import', 'tsx', CLI, '--port', '0', '--data', dataDir, ...args];
  const child = spawn(process.execPath, argv, {
    env: { ...process.env, HUB_SECRET: TEST_SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((done, fail) => {
    reader.once('line', done);
    void exited.then((code) => fail(new Error(`hub exited (${code}) before listening: ${stderr}`)));
  });
  reader.on('line', (line) => lines.push(line));
  const url = /listening on (ws:\/\/\S+)$/.exec(first)?.[1];
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

/**
 * A bare protocol client holding a Y.Doc: what the hub sends is applied to `doc`; local edits
 * are sent as updates. Lets tests see exactly which messages arrive.
 */
export class TestClient {
  readonly doc = new Y.Doc();
  readonly received: ServerMessage[] = [];
  closeCode: number | null = null;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const message = readServerMessage(new Uint8Array(data));
      this.received.push(message);
      if (message.type === 'sync-step1') {
        this.sendRaw(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
      } else if (message.type === 'sync-step2' || message.type === 'update') {
        Y.applyUpdate(this.doc, message.update, this);
      }
      this.notify();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.notify();
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.sendRaw(encodeUpdate(update));
    });
  }

  static async connect(url: string, room: string, token: string): Promise<TestClient> {
    const ws = new WebSocket(`${url}/${room}?token=${encodeURIComponent(token)}`);
    const client = new TestClient(ws);
    await new Promise<void>((done, fail) => {
      ws.once('open', () => done());
      ws.once('error', fail);
    });
    client.sendRaw(encodeSyncStep1(client.doc));
    return client;
  }

  sendRaw(bytes: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  /** Resolves when `check` holds, re-checked on every message; fails after `ms`. */
  waitFor(check: () => boolean, ms = 10_000): Promise<void> {
    return new Promise((done, fail) => {
      const test = () => {
        if (check()) {
          cleanup();
          done();
        } else if (this.closeCode !== null) {
          cleanup();
          fail(new Error(`the hub closed the connection (${this.closeCode})`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        fail(new Error('timed out waiting for the hub'));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(test);
      };
      this.listeners.add(test);
      test();
    });
  }

  synced(): Promise<void> {
    return this.waitFor(() => this.received.some((m) => m.type === 'sync-step2'));
  }

  /**
   * Sends a sync step 1 and waits for its reply. The hub handles a connection's messages in
   * order, so everything sent before has been handled (stored or dropped) when this resolves.
   */
  async roundTrip(): Promise<void> {
    const count = () => this.received.filter((m) => m.type === 'sync-step2').length;
    const before = count();
    this.sendRaw(encodeSyncStep1(this.doc));
    await this.waitFor(() => count() > before);
  }

  closed(): Promise<void> {
    return this.waitFor(() => this.closeCode !== null);
  }

  close(): void {
    this.ws.close();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
