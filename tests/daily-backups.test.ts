// The window's backups against the data folder's real store: one a day once the collection holds
// a link, again when a new day begins, never of an empty collection; and a backup restored where
// the browser's storage was lost continues as the member who took it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMembers } from '../src/shared/collection';
import type { Member } from '../src/shared/model';
import { BackupStore, type Compact } from '../src/main/services/backups/backup-store';
import { compactBackup } from '../src/main/services/backups/compact';
import { DailyBackups, backUp, type BackupApi } from '../src/renderer/data/backup';
import { documentFromBackup } from '../src/renderer/data/backup-restore';
import { CollectionDb } from '../src/renderer/data/db';
import { LocalLibrary } from '../src/renderer/data/library';
import { InlineSearch } from '../src/renderer/data/search-client';

const DAY = 24 * 60 * 60 * 1000;
const ana: Member = { id: 'ana', name: 'Ana', color: '#2563eb' };
const inline: Compact = (request, takenAt) => Promise.resolve(compactBackup(request, takenAt));

let dataDir: string;
let clock: number;
let api: BackupApi & { readBackup: (id: string) => Promise<Uint8Array> };
let library: LocalLibrary;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'curio-daily-'));
  clock = Date.UTC(2026, 4, 20, 9);
  const store = new BackupStore({ dataDir, now: () => clock, compact: inline });
  api = {
    writeBackup: (request) => store.write(request),
    listBackups: () => store.list(),
    readBackup: (id) => store.readDocument(id),
  };
  library = await LocalLibrary.open({
    collectionId: 'c1',
    me: ana,
    db: new CollectionDb('c1', new IDBFactory(), IDBKeyRange),
    search: new InlineSearch(),
    now: () => clock,
  });
});
afterEach(async () => {
  await library.close();
  await rm(dataDir, { recursive: true, force: true });
});

const daily = () => new DailyBackups(library, () => 'Links', { api, now: () => clock });

describe('daily backups', () => {
  it('are not written for an empty collection', async () => {
    expect(await daily().check()).toBeNull();
    expect(await api.listBackups()).toEqual([]);
  });

  it('are written once a day, and again on the next day', async () => {
    library.addLinks([{ url: 'https://jepsen.io/analyses' }, { url: 'https://aphyr.com/p/1' }]);
    const first = await daily().check();
    expect(first).toMatchObject({ reason: 'daily', items: 2, takenBy: 'ana' });
    clock += 5 * 60 * 60 * 1000;
    expect(await daily().check()).toBeNull();
    clock += DAY;
    expect(await daily().check()).toMatchObject({ reason: 'daily' });
    expect(await api.listBackups()).toHaveLength(2);
  });

  it('hold what was saved a moment before, and name the member who took them', async () => {
    library.addLinks([{ url: 'https://jepsen.io/analyses', tags: ['testing'] }]);
    const info = await backUp(library, 'Links', 'before-empty-trash', api);
    const doc = documentFromBackup(await api.readBackup(info.id));
    expect(doc.getMap('items').size).toBeGreaterThan(0);
    expect(readMembers(doc.getMap('members')).map((m) => m.id)).toContain(info.takenBy);
  });
});
