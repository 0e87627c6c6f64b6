import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dispatchDesktopCall } from '../../../shared/api';
import { MAX_BACKUP_BYTES, type BackupRequest } from '../../../shared/backups';
import {
  addItem,
  commitImport,
  materializeAll,
  moveToTrash,
  upsertMember,
} from '../../../shared/collection';
import { importEntry } from '../../../shared/collection/imports.testing';
import { CurioExportSchema } from '../../../shared/export';
import { createNodeDesktopApi } from '../desktop-api';
import { BackupStore, type Compact } from './backup-store';
import { compactBackup } from './compact';

const DAY = 24 * 60 * 60 * 1000;
let dataDir: string;
let clock: number;
const now = () => clock;
/** The same compaction as the worker's, in-process, for tests about the store itself. */
const inline: Compact = (request, takenAt) => Promise.resolve(compactBackup(request, takenAt));

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'curio-backups-'));
  clock = Date.UTC(2026, 4, 20, 9);
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

/** A collection's log as the window stores it: several updates, not yet compacted. */
function collectionLog(): { updates: Uint8Array[]; doc: Y.Doc } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const ana = { memberId: 'ana', now: () => 1 };
  upsertMember(doc, { id: 'ana', name: 'Ana', color: '#112233' }, ana);
  addItem(doc, { url: 'https://a.example/', title: 'A', tags: ['raft'], note: 'n' }, ana);
  const { id } = addItem(doc, { url: 'https://b.example/' }, ana);
  moveToTrash(doc, [id], ana);
  commitImport(
    doc,
    {
      id: '3lbimport2aaa',
      format: 'netscape',
      entries: [importEntry({ url: 'https://c.example/' })],
    },
    ana,
  );
  return { updates, doc };
}

const request = (updates: Uint8Array[], reason: BackupRequest['reason'] = 'daily') => ({
  collectionId: '3lbcoll2aaaaa',
  collectionName: 'My links',
  reason,
  updates,
});

describe('BackupStore', () => {
  it('writes the compacted document and the Curio JSON, and lists and reads them back', async () => {
    const store = new BackupStore({ dataDir, now });
    const { updates, doc } = collectionLog();
    // The real worker thread, as the app runs it.
    const info = await store.write(request(updates));
    expect(info).toEqual({
      id: '3lbcoll2aaaaa/2026-05-20T09-00-00-000Z-daily',
      collectionId: '3lbcoll2aaaaa',
      collectionName: 'My links',
      takenAt: clock,
      reason: 'daily',
      items: 3,
      bytes: expect.any(Number),
    });
    expect(await store.list()).toEqual([info]);

    const restored = new Y.Doc();
    Y.applyUpdate(restored, await store.readDocument(info.id));
    expect(materializeAll(restored, 'ana')).toEqual(materializeAll(doc, 'ana'));

    const folder = join(dataDir, 'backups', '3lbcoll2aaaaa', '2026-05-20T09-00-00-000Z-daily');
    expect((await readdir(folder)).sort()).toEqual([
      'backup.json',
      'collection.json',
      'collection.yjs',
    ]);
    const json = CurioExportSchema.parse(
      JSON.parse(await readFile(join(folder, 'collection.json'), 'utf8')),
    );
    expect(json.items.map((i) => i.url).sort()).toEqual([
      'https://a.example/',
      'https://b.example/',
      'https://c.example/',
    ]);
    expect(json.members).toEqual([{ id: 'ana', name: 'Ana', color: '#112233' }]);
    expect(json.imports).toEqual([
      expect.objectContaining({
        id: '3lbimport2aaa',
        itemIds: [importEntry({ url: 'https://c.example/' }).id],
      }),
    ]);
  });

  it('keeps the last 7 daily and 4 weekly backups as the days go by', async () => {
    const store = new BackupStore({ dataDir, now, compact: inline });
    const { updates } = collectionLog();
    for (let day = 0; day < 40; day++) {
      await store.write(request(updates));
      clock += DAY;
    }
    const left = await store.list();
    expect(left.length).toBeLessThanOrEqual(11);
    expect(left[0]!.takenAt).toBe(clock - DAY);
    expect(new Set(left.map((b) => new Date(b.takenAt).toISOString().slice(0, 10))).size).toBe(
      left.length,
    );
  });

  it('gives two backups in one millisecond names of their own', async () => {
    const store = new BackupStore({ dataDir, now, compact: inline });
    const { updates } = collectionLog();
    const [a, b] = await Promise.all([
      store.write(request(updates, 'before-undo-import')),
      store.write(request(updates, 'before-undo-import')),
    ]);
    expect(a!.id).not.toBe(b!.id);
    expect(await store.list()).toHaveLength(2);
  });

  it('leaves nothing behind when a backup fails, and clears what a crash left', async () => {
    const failing: Compact = () => Promise.reject(new Error('disk on fire'));
    const store = new BackupStore({ dataDir, now, compact: failing });
    await expect(store.write(request(collectionLog().updates))).rejects.toThrow('disk on fire');
    expect(await store.list()).toEqual([]);

    const crashed = join(dataDir, 'backups', '.incoming-left-by-a-crash');
    await mkdir(crashed, { recursive: true });
    await writeFile(join(crashed, 'collection.yjs'), 'half');
    await utimes(crashed, clock / 1000, clock / 1000);
    const working = new BackupStore({ dataDir, now, compact: inline });
    await working.write(request(collectionLog().updates));
    expect(existsSync(crashed)).toBe(true);
    clock += 2 * 60 * 60 * 1000;
    await working.prune();
    expect(existsSync(crashed)).toBe(false);
    expect(await working.list()).toHaveLength(1);
  });

  it('refuses ids that are not backups and ignores folders that are not', async () => {
    const store = new BackupStore({ dataDir, now, compact: inline });
    await store.write(request(collectionLog().updates));
    for (const id of ['../../etc/passwd', '3lbcoll2aaaaa/../../x', '3lbcoll2aaaaa']) {
      await expect(store.readDocument(id)).rejects.toMatchObject({ name: 'InvalidArguments' });
    }
    await expect(
      store.readDocument('3lbcoll2aaaaa/2020-01-01T00-00-00-000Z-daily'),
    ).rejects.toMatchObject({ name: 'NotFound' });
    const junk = join(dataDir, 'backups', '3lbcoll2aaaaa', '2020-01-01T00-00-00-000Z-daily');
    await mkdir(junk, { recursive: true });
    await writeFile(join(junk, 'backup.json'), '{"id": "someone else"}');
    await mkdir(join(dataDir, 'backups', 'not a collection'), { recursive: true });
    expect(await store.list()).toHaveLength(1);
  });

  it('refuses a collection larger than a backup holds', async () => {
    const huge: Compact = async (req, at) => {
      const backup = compactBackup(req, at);
      Object.defineProperty(backup.document, 'byteLength', { value: MAX_BACKUP_BYTES + 1 });
      return backup;
    };
    const store = new BackupStore({ dataDir, now, compact: huge });
    await expect(store.write(request(collectionLog().updates))).rejects.toMatchObject({
      name: 'BackupTooLarge',
    });
    expect(await store.list()).toEqual([]);
  });

  it('is reached through DesktopApi, which checks what the window sends', async () => {
    const api = createNodeDesktopApi({
      mode: 'web',
      version: '1',
      backups: new BackupStore({ dataDir, now, compact: inline }),
    });
    const bad = { ...request(collectionLog().updates), collectionId: '../escape' };
    await expect(dispatchDesktopCall(api, 'writeBackup', [bad])).rejects.toMatchObject({
      name: 'InvalidArguments',
      message: expect.stringContaining('backup (argument 1)'),
    });
    const info = await dispatchDesktopCall(api, 'writeBackup', [request(collectionLog().updates)]);
    expect(await dispatchDesktopCall(api, 'listBackups', [])).toEqual([info]);
    const none = createNodeDesktopApi({ mode: 'web', version: '1' });
    await expect(none.listBackups()).rejects.toMatchObject({ name: 'NotSupported' });
  });
});
