// What a backup sends is read by the main process with Yjs's first update encoding: every part of
// the log must arrive in it, whatever encoding the log stores it in.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { materializeAll } from '../../shared/collection';
import type { Member } from '../../shared/model';
import { backupParts } from './backup';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { InlineSearch } from './search-client';

const me: Member = { id: 'me', name: 'Ana', color: '#2563eb' };

describe('backupParts', () => {
  it('hands over a compacted log and the changes after it as the links they hold', async () => {
    const db = new CollectionDb('c1', new IDBFactory(), IDBKeyRange);
    const lib = await LocalLibrary.open({ collectionId: 'c1', me, db, search: new InlineSearch() });
    lib.addLinks([{ url: 'https://a.example/1' }, { url: 'https://b.example/2' }]);
    await lib.log!.compactNow();
    lib.addLink({ url: 'https://c.example/3' });
    await lib.log!.flushed();
    const log = await db.updates.orderBy('seq').toArray();
    const restored = new Y.Doc();
    // As the main process reads it (src/main/services/backups/compact.ts).
    Y.applyUpdate(restored, Y.mergeUpdates(backupParts(log)));
    const urls = materializeAll(restored, me.id).map((row) => row.url);
    expect(urls.sort()).toEqual([
      'https://a.example/1',
      'https://b.example/2',
      'https://c.example/3',
    ]);
    await lib.close();
  });
});
