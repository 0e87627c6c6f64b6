// The hub as its users run it: a separate process started by the CLI, real sockets, real disk.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { mintToken } from './token';
import { TestClient } from './test-client';
import {
  TEST_SECRET,
  rawUpgrade,
  spawnHub,
  tempDataDir,
  tokenFor,
  type HubProcess,
} from './test-kit';

const run = promisify(execFile);
const ROOM = 'reading-list';

describe('hub process', () => {
  let dataDir: string;
  let hub: HubProcess;

  beforeAll(async () => {
    dataDir = tempDataDir();
    hub = await spawnHub(dataDir);
  });
  afterAll(() => hub.stop());

  describe('refuses at the upgrade, before any document byte', () => {
    const expectRefused = async (query: string, status: number) => {
      const response = await rawUpgrade(hub.url, `/${ROOM}${query}`);
      expect(response.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
      const body = response.slice(response.indexOf('\r\n\r\n') + 4);
      // Only the plain-text reason follows the headers: no WebSocket frame, no Yjs bytes.
      expect(body).toMatch(/^[\x20-\x7e]+\n$/);
      return body;
    };

    it('with no token', async () => {
      expect(await expectRefused('', 401)).toContain('no token');
    });

    it('with a forged token', async () => {
      const forged = mintToken({
        collection: ROOM,
        member: 'mallory',
        role: 'editor',
        ttlSeconds: 3600,
        secret: 'some-other-secret-entirely',
      }).token;
      expect(await expectRefused(`?token=${forged}`, 401)).toContain('not signed by this hub');
    });

    it('with an expired token', async () => {
      const expired = mintToken({
        collection: ROOM,
        member: 'ann',
        role: 'editor',
        ttlSeconds: 60,
        secret: TEST_SECRET,
        now: Date.now() - 3600_000,
      }).token;
      expect(await expectRefused(`?token=${expired}`, 401)).toContain('expired');
    });

    it('with a token for another collection', async () => {
      const other = tokenFor('another-collection');
      expect(await expectRefused(`?token=${other}`, 403)).toContain('another collection');
    });

    it('with a revoked token, and drops live connections that use it', async () => {
      const { claims, token } = mintToken({
        collection: ROOM,
        member: 'bob',
        role: 'editor',
        ttlSeconds: 3600,
        secret: TEST_SECRET,
      });
      const live = await TestClient.connect(hub.url, ROOM, token);
      await live.synced();
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', 'src/hub/cli.ts', 'revoke', token, '--data', dataDir],
        { env: { ...process.env, HUB_SECRET: TEST_SECRET } },
      );
      expect(stdout).toContain(`Revoked token ${claims.id}`);
      expect(await expectRefused(`?token=${token}`, 401)).toContain('revoked');
      await live.closed();
      expect(live.closeCode).toBe(4401);
    });

    it('with garbage in place of a token, or a bad room name', async () => {
      await expectRefused('?token=not-a-token', 401);
      const response = await rawUpgrade(hub.url, `/..%2Fetc?token=${tokenFor(ROOM)}`);
      expect(response.startsWith('HTTP/1.1 400 ')).toBe(true);
    });
  });

  it('syncs two stock y-websocket providers', async () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const options = (member: string) => ({
      params: { token: tokenFor('stock-room', 'editor', member) },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    const pa = new WebsocketProvider(hub.url, 'stock-room', a, options('ann'));
    const pb = new WebsocketProvider(hub.url, 'stock-room', b, options('bob'));
    try {
      a.getMap('items').set('x', 'from a');
      b.getText('note:x').insert(0, 'from b');
      pa.awareness.setLocalStateField('user', { id: 'ann', open: 'x' });
      await until(b, () => b.getMap('items').get('x') === 'from a');
      await until(a, () => a.getText('note:x').toString() === 'from b');
      await until(pb.awareness, () => pb.awareness.getStates().get(a.clientID)?.user?.open === 'x');
      expect(pa.synced && pb.synced).toBe(true);
    } finally {
      pa.destroy();
      pb.destroy();
    }
  });

  it('never applies nor forwards a reader’s updates, even across a restart', async () => {
    const room = 'reader-room';
    const editor = await TestClient.connect(hub.url, room, tokenFor(room, 'editor'));
    await editor.synced();
    editor.doc.getMap('items').set('kept', 1);
    const reader = await TestClient.connect(hub.url, room, tokenFor(room, 'reader', 'rita'));
    await reader.synced();
    await reader.waitFor(() => reader.doc.getMap('items').get('kept') === 1);
    reader.doc.getMap('items').set('sneaky', 'reader wrote this');
    await reader.roundTrip();
    editor.doc.getMap('items').set('after', 2);
    // The reader still receives edits; its own was handled, and dropped, before this one.
    await reader.waitFor(() => reader.doc.getMap('items').get('after') === 2);
    const watcher = await TestClient.connect(hub.url, room, tokenFor(room, 'editor', 'wes'));
    await watcher.synced();
    expect(watcher.doc.getMap('items').get('after')).toBe(2);
    expect(editor.doc.getMap('items').has('sneaky')).toBe(false);
    expect(watcher.doc.getMap('items').has('sneaky')).toBe(false);
    for (const client of [editor, reader, watcher]) client.close();

    await hub.stop();
    hub = await spawnHub(dataDir);
    const fresh = await TestClient.connect(hub.url, room, tokenFor(room, 'editor'));
    await fresh.synced();
    expect(fresh.doc.getMap('items').toJSON()).toEqual({ kept: 1, after: 2 });
    fresh.close();
    const metrics = await (await fetch(`${hub.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^curio_hub_rooms \d+$/m);
  });

  it('serves health and metrics over plain HTTP', async () => {
    const health = await fetch(`${hub.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${hub.httpUrl}/metrics`)).text();
    for (const name of ['rooms', 'connections', 'updates_total', 'update_bytes_total']) {
      expect(metrics).toContain(`curio_hub_${name} `);
    }
    expect(metrics).toContain('# TYPE curio_hub_rejected_connections_total counter');
  });
});

/** Resolves once `check` holds, testing it again on each update of the document or presence. */
function until(source: Y.Doc | Awareness, check: () => boolean): Promise<void> {
  return new Promise((done) => {
    const test = () => {
      if (!check()) return;
      source.off('update', test);
      done();
    };
    source.on('update', test);
    test();
  });
}
