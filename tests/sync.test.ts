// Two maintainers' libraries (real IndexedDB persistence, real y-websocket providers) syncing
// through a real hub process. The semantics issue 4 names, each as its own test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { itemIdForUrl } from '../src/shared/collection';
import type { Member } from '../src/shared/model';
import { CollectionDb } from '../src/renderer/data/db';
import { LocalLibrary } from '../src/renderer/data/library';
import { InlineSearch } from '../src/renderer/data/search-client';
import { spawnHub, tempDataDir, tokenFor, type HubProcess } from '../src/hub/test-kit';

let hub: HubProcess;
let collectionSeq = 0;

beforeAll(async () => {
  hub = await spawnHub(tempDataDir());
});
afterAll(async () => {
  await hub.stop();
});

async function replica(collection: string, name: string, role: 'editor' | 'reader' = 'editor') {
  const me: Member = { id: name.toLowerCase(), name, color: '#2563eb' };
  const lib = await LocalLibrary.open({
    collectionId: collection,
    me,
    db: new CollectionDb(collection, new IDBFactory(), IDBKeyRange),
    search: new InlineSearch(),
  });
  const token = tokenFor(collection, role, name);
  const online = () =>
    lib.connect(
      { url: hub.url, token },
      { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket },
    );
  return { lib, online, offline: () => lib.disconnect() };
}

async function until(check: () => boolean, ms = 5000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

const rowOf = (lib: LocalLibrary, url: string) => lib.store.get(itemIdForUrl(url));
const newCollection = () => `sync-test-${Date.now().toString(36)}-${collectionSeq++}`;

describe('two maintainers through a real hub', () => {
  it('an edit on one appears on the other within a second', async () => {
    const c = newCollection();
    const ana = await replica(c, 'Ana');
    const ben = await replica(c, 'Ben');
    ana.online();
    ben.online();
    await until(
      () =>
        ana.lib.sync?.getStatus().state === 'synced' &&
        ben.lib.sync?.getStatus().state === 'synced',
    );
    ana.lib.addLink({ url: 'https://example.com/live', title: 'Live edit' });
    const elapsed = await until(
      () => rowOf(ben.lib, 'https://example.com/live')?.title === 'Live edit',
      1000,
    );
    expect(elapsed).toBeLessThan(1000);
    await until(() => ana.lib.sync!.getStatus().unconfirmed === 0);
    await ana.lib.close();
    await ben.lib.close();
  });

  it('two replicas adding the same URL offline end with one item with both tags and both notes', async () => {
    const c = newCollection();
    const ana = await replica(c, 'Ana');
    const ben = await replica(c, 'Ben');
    ana.lib.addLink({
      url: 'https://example.com/same',
      tags: ['from-ana'],
      note: 'Ana wrote this',
    });
    ben.lib.addLink({
      url: 'https://www.example.com/same/?utm_source=x',
      tags: ['from-ben'],
      note: 'Ben wrote that',
    });
    ana.online();
    ben.online();
    await until(
      () =>
        rowOf(ana.lib, 'https://example.com/same')?.tags.length === 2 &&
        rowOf(ben.lib, 'https://example.com/same')?.tags.length === 2,
    );
    for (const lib of [ana.lib, ben.lib]) {
      expect(lib.store.view('all')).toHaveLength(1);
      const row = rowOf(lib, 'https://example.com/same')!;
      expect(row.tags).toEqual(['from-ana', 'from-ben']);
      expect(row.note).toContain('Ana wrote this');
      expect(row.note).toContain('Ben wrote that');
    }
    await ana.lib.close();
    await ben.lib.close();
  });

  it('an edit concurrent with a delete lands in Trash with the edit, and restoring brings both back', async () => {
    const c = newCollection();
    const ana = await replica(c, 'Ana');
    const ben = await replica(c, 'Ben');
    ana.online();
    ben.online();
    const { id } = ana.lib.addLink({ url: 'https://example.com/contested', title: 'Before' });
    await until(() => !!ben.lib.store.get(id));
    ana.offline();
    ben.offline();
    ana.lib.moveToTrash([id]);
    ben.lib.updateItem(id, { title: 'Edited while deleted' });
    ben.lib.doc.transact(() => ben.lib.noteText(id).insert(0, 'Ben’s thought. '));
    ana.online();
    ben.online();
    await until(
      () =>
        ana.lib.store.get(id)?.title === 'Edited while deleted' &&
        ben.lib.store.get(id)?.status === 'trash',
    );
    expect(ana.lib.store.get(id)!.status).toBe('trash');
    ana.lib.restore([id]);
    await until(() => ben.lib.store.get(id)?.status === 'unread');
    expect(ben.lib.store.get(id)).toMatchObject({
      title: 'Edited while deleted',
      note: 'Ben’s thought. ',
    });
    await ana.lib.close();
    await ben.lib.close();
  });

  it('two members typing in the same note keep both texts', async () => {
    const c = newCollection();
    const ana = await replica(c, 'Ana');
    const ben = await replica(c, 'Ben');
    ana.online();
    ben.online();
    const { id } = ana.lib.addLink({ url: 'https://example.com/note', note: 'Shared note.' });
    await until(() => !!ben.lib.store.get(id));
    const words = (who: string) => Array.from({ length: 20 }, (_, i) => ` ${who}${i}`);
    const typeInto = (lib: LocalLibrary, text: string) =>
      lib.doc.transact(() => lib.noteText(id).insert(lib.noteText(id).length, text));
    const anaWords = words('ana');
    const benWords = words('ben');
    for (let i = 0; i < anaWords.length; i++) {
      typeInto(ana.lib, anaWords[i]!);
      typeInto(ben.lib, benWords[i]!);
      await new Promise((r) => setTimeout(r, 2));
    }
    await until(
      () =>
        ana.lib.store.get(id)?.note === ben.lib.store.get(id)?.note &&
        (ana.lib.store.get(id)?.note.length ?? 0) > 200,
    );
    const note = ana.lib.store.get(id)!.note;
    for (const w of [...words('ana'), ...words('ben')]) expect(note).toContain(w.trim());
    await ana.lib.close();
    await ben.lib.close();
  });

  it('a reader sees the collection but cannot change it', async () => {
    const c = newCollection();
    const ana = await replica(c, 'Ana');
    const cy = await replica(c, 'Cy', 'reader');
    ana.online();
    cy.online();
    ana.lib.addLink({ url: 'https://example.com/readable' });
    await until(() => !!rowOf(cy.lib, 'https://example.com/readable'));
    cy.lib.addLink({ url: 'https://example.com/sneaky' });
    await new Promise((r) => setTimeout(r, 300));
    expect(rowOf(ana.lib, 'https://example.com/sneaky')).toBeUndefined();
    await ana.lib.close();
    await cy.lib.close();
  });

  it('reports a refused invite with the reason instead of retrying forever', async () => {
    const c = newCollection();
    const me: Member = { id: 'eve', name: 'Eve', color: '#2563eb' };
    const lib = await LocalLibrary.open({
      collectionId: c,
      me,
      db: new CollectionDb(c, new IDBFactory(), IDBKeyRange),
      search: new InlineSearch(),
    });
    lib.connect(
      { url: hub.url, token: tokenFor('another-collection') },
      { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket },
    );
    await until(() => lib.sync?.getStatus().state === 'refused', 20_000);
    expect(lib.sync!.getStatus().error).toMatch(/another collection/);
    await lib.close();
  }, 30_000);
});
