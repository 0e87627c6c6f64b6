// Backups over web mode's HTTP transport: bytes cross as base64 in JSON, both ways, and a backup
// may be larger than other calls' bodies.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addItem, materializeAll } from '../shared/collection';
import { BackupStore } from '../main/services/backups/backup-store';
import { compactBackup } from '../main/services/backups/compact';
import { createNodeDesktopApi } from '../main/services/desktop-api';
import { MAX_API_BODY_BYTES } from './api-route';
import { startWebServer, type WebServer } from './server';

let base: string;
let web: WebServer;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'curio-web-backups-'));
  await mkdir(join(base, 'web'));
  await writeFile(join(base, 'web', 'index.html'), '<!doctype html><html><head></head></html>');
  const backups = new BackupStore({
    dataDir: base,
    compact: (request, at) => Promise.resolve(compactBackup(request, at)),
  });
  web = await startWebServer({
    staticDir: join(base, 'web'),
    port: 0,
    api: createNodeDesktopApi({ mode: 'web', version: '1', backups }),
    log: () => undefined,
  });
});

afterAll(async () => {
  await web.close();
  await rm(base, { recursive: true, force: true });
});

const call = (method: string, body: string) =>
  fetch(new URL(`api/${method}`, web.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${web.token}`,
      origin: web.url.replace(/\/$/, ''),
    },
    body,
  });

describe('backups over HTTP', () => {
  it('takes a log larger than other calls may send and hands the document back as bytes', async () => {
    const doc = new Y.Doc();
    // Incompressible titles, so the log is larger than an ordinary call's body limit.
    const noise = (n: number) =>
      Array.from({ length: n }, () => Math.random().toString(36)).join('');
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 40; i++)
      addItem(
        doc,
        {
          url: `https://e.example/${i}`,
          title: noise(40_000).slice(0, 500),
          description: noise(60_000).slice(0, 5000),
        },
        { memberId: 'm' },
      );
    const padding = new Uint8Array(MAX_API_BODY_BYTES);
    const body = JSON.stringify([
      {
        collectionId: 'c1',
        collectionName: 'Links',
        reason: 'by-hand',
        updates: [...updates, Y.encodeStateAsUpdate(new Y.Doc())].map((u) => ({
          $bytes: Buffer.from(u).toString('base64'),
        })),
        padding: { $bytes: Buffer.from(padding).toString('base64') },
      },
    ]);
    expect(body.length).toBeGreaterThan(MAX_API_BODY_BYTES);
    const written = await call('writeBackup', body);
    expect(written.status).toBe(200);
    const info = (await written.json()) as { id: string; items: number };
    expect(info.items).toBe(40);

    const read = await call('readBackup', JSON.stringify([info.id]));
    const answer = (await read.json()) as { $bytes: string };
    const restored = new Y.Doc();
    Y.applyUpdate(restored, Buffer.from(answer.$bytes, 'base64'));
    expect(materializeAll(restored, 'm')).toEqual(materializeAll(doc, 'm'));

    const other = await call('unfurl', JSON.stringify(['x'.repeat(MAX_API_BODY_BYTES + 1)]));
    expect(other.status).toBe(413);
  });
});
