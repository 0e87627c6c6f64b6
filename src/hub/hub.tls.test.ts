// The hub as production runs it: built into out/hub by `npm run build:hub` and started under
// plain node, serving wss:// and https:// with a certificate the test makes (self-signed, for
// 127.0.0.1), which the clients are told to trust.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  BUILT_CLI,
  TEST_SECRET,
  spawnHub,
  tempDataDir,
  tokenFor,
  type HubProcess,
} from './test-kit';

const run = promisify(execFile);
let hub: HubProcess;
let ca: Buffer;
let certFiles: { cert: string; key: string };

beforeAll(async () => {
  await run('npm', ['run', '-s', 'build:hub']);
  const dir = tempDataDir();
  certFiles = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  await run('openssl', [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-keyout', certFiles.key, '-out', certFiles.cert, '-days', '1', '-subj', '/CN=127.0.0.1'],
    ...['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
  ]);
  ca = readFileSync(certFiles.cert);
  hub = await spawnHub(
    tempDataDir(),
    ['--tls-cert', certFiles.cert, '--tls-key', certFiles.key],
    { HUB_SECRET: TEST_SECRET },
    BUILT_CLI,
  );
}, 120_000);
afterAll(() => hub?.stop());

/** The WebSocket y-websocket should use: ws, trusting the test's certificate. */
function trusting(trust: Buffer) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { ca: trust });
    }
  } as unknown as typeof globalThis.WebSocket;
}

it('runs built, under plain node, and serves wss:// to stock y-websocket clients', async () => {
  expect(hub.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
  const room = 'over-tls';
  const [a, b] = [new Y.Doc(), new Y.Doc()];
  const options = (member: string) => ({
    params: { token: tokenFor(room, 'editor', member) },
    WebSocketPolyfill: trusting(ca),
    disableBc: true,
  });
  const pa = new WebsocketProvider(hub.url, room, a, options('ann'));
  const pb = new WebsocketProvider(hub.url, room, b, options('bob'));
  try {
    a.getMap('items').set('x', 'sent over TLS');
    await new Promise<void>((done) => {
      const check = () => {
        if (b.getMap('items').get('x') !== 'sent over TLS') return;
        b.off('update', check);
        done();
      };
      b.on('update', check);
      check();
    });
  } finally {
    pa.destroy();
    pb.destroy();
  }
});

it('answers /healthz over https, and nothing over plain ws://', async () => {
  const body = await new Promise<string>((done, fail) => {
    get(`${hub.httpUrl}/healthz`, { ca }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done(text));
    }).on('error', fail);
  });
  expect(JSON.parse(body)).toMatchObject({ ok: true, store: { kind: 'sqlite', ok: true } });
  const plain = new WebSocket(`${hub.url.replace('wss:', 'ws:')}/r?token=${tokenFor('r')}`);
  const outcome = await new Promise<string>((done) => {
    plain.once('open', () => done('open'));
    plain.once('error', () => done('refused'));
  });
  expect(outcome).toBe('refused');
});

it('refuses a client that does not trust the certificate', async () => {
  const untrusting = new WebSocket(`${hub.url}/r?token=${tokenFor('r')}`);
  const error = await new Promise<Error>((done) => untrusting.once('error', done));
  expect(error.message).toMatch(/self[- ]signed|certificate/i);
});

it('mints invites that say wss:// when the hub serves TLS', async () => {
  const { stdout } = await run(
    process.execPath,
    [BUILT_CLI, 'token', '--collection', 'c1', '--member', 'ann', '--role', 'editor'],
    { env: { ...process.env, HUB_SECRET: TEST_SECRET, HUB_TLS_CERT: certFiles.cert } },
  );
  const invite = new URL(stdout.trim().split('\n')[1]!);
  expect(invite.searchParams.get('hub')).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
});
