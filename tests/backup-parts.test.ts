// What a backup sends is the log as stored, each row with its encoding; the main process compacts
// it into the collection it holds.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { materializeAll } from '../src/shared/collection';
import type { Member } from '../src/shared/model';
import { compactBackup } from '../src/main/services/backups/compact';
import { BackupRequestSchema } from '../src/shared/backups';
import { backupParts } from '../src/renderer/data/backup';
import { CollectionDb } from '../src/renderer/data/db';
import { LocalLibrary } from '../src/renderer/data/library';
import { InlineSearch } from '../src/renderer/data/search-client';

const me: Member = { id: 'me', name: 'Ana', color: '#2563eb' };

describe('backupParts', () => {
  it('hands over a compacted log and the changes after it as the links they hold', async () => {
    const db = new CollectionDb('c1', new IDBFactory(), IDBKeyRange);
    const lib = await LocalLibrary.open({
      collectionId: 'c1',
      me,
      db,
      search: new InlineSearch(),
      // A snapshot of many parts, as a large collection's is.
      compaction: { maxRows: 500, maxBytes: 2_000_000, structsPerPart: 3 },
    });
    lib.addLinks([{ url: 'https://a.example/1' }, { url: 'https://b.example/2' }]);
    await lib.log!.compactNow();
    lib.addLink({ url: 'https://c.example/3' });
    await lib.log!.flushed();
    const log = await db.updates.orderBy('seq').toArray();
    expect(log.filter((row) => row.snapshot).length).toBeGreaterThan(2);
    // Compacted as the main process does it.
    const { document } = compactBackup(
      { collectionId: 'c1', collectionName: 'Links', reason: 'daily', ...backupParts(log) },
      0,
    );
    const restored = new Y.Doc();
    Y.applyUpdate(restored, document);
    const urls = materializeAll(restored, me.id).map((row) => row.url);
    expect(urls.sort()).toEqual([
      'https://a.example/1',
      'https://b.example/2',
      'https://c.example/3',
    ]);
    await lib.close();
  });
});

describe('a backup request', () => {
  it('is refused when it does not name the encoding of every update', () => {
    const parsed = BackupRequestSchema.safeParse({
      collectionId: 'c1',
      collectionName: 'Links',
      reason: 'daily',
      updates: [new Uint8Array([0, 0]), new Uint8Array([0, 0])],
      encodings: [2],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('a backup names the encoding of every update');
  });
});
