// Two maintainers' libraries (real IndexedDB persistence, real y-websocket providers) syncing
// through a real hub process: live edits, offline merges, concurrent deletes and notes, readers,
// and refused invites, each as its own test.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { itemIdForUrl } from '../src/shared/collection';
import type { Member } from '../src/shared/model';
import { CollectionDb } from '../src/renderer/data/db';
import { LocalLibrary } from '../src/renderer/data/library';
import { InlineSearch } from '../src/renderer/data/search-client';
import { ReadOnlyError } from '../src/renderer/data/library';
import { mintToken } from '../src/hub/token';
import { TEST_SECRET, spawnHub, tempDataDir, tokenFor, type HubProcess } from '../src/hub/test-kit';

let hub: HubProcess;
let hubData: string;
let collectionSeq = 0;

beforeAll(async () => {
  hubData = tempDataDir();
  hub = await spawnHub(hubData);
});

/** `npm run hub -- revoke TOKEN`, against the running hub's data folder. */
async function revoke(token: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'src/hub/cli.ts', 'revoke', token, '--data', hubData],
    { env: { ...process.env, HUB_SECRET: TEST_SECRET } },
  );
}
afterAll(async () => {
  await hub.stop();
});

/** A maintainer's library for a shared collection, opened (as the app does) with its invite. */
async function replica(collection: string, name: string, role: 'editor' | 'reader' = 'editor') {
  const me: Member = { id: name.toLowerCase(), name, color: '#2563eb' };
  const token = tokenFor(collection, role, name);
  const lib = await LocalLibrary.open({
    collectionId: collection,
    me,
    db: new CollectionDb(collection, new IDBFactory(), IDBKeyRange),
    search: new InlineSearch(),
    hub: { url: hub.url, token },
  });
  const online = () =>
    lib.connect(
      { url: hub.url, token },
      { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket },
    );
  return { lib, token, online, offline: () => lib.disconnect() };
}

/**
 * Resolves once `check` holds, testing it again whenever one of these libraries' rows, access or
 * hub connection changes; returns how long that took, in ms.
 */
async function until(libs: LocalLibrary[], check: () => boolean): Promise<void> {
  await new Promise<void>((done) => {
    const stops: (() => void)[] = [];
    const test = () => {
      if (!check()) return;
      for (const stop of stops.splice(0)) stop();
      done();
    };
    for (const lib of libs) {
      let stopSync = lib.sync?.subscribe(test) ?? (() => {});
      const onSync = () => {
        stopSync();
        stopSync = lib.sync?.subscribe(test) ?? (() => {});
        test();
      };
      lib.on('sync', onSync);
      stops.push(lib.store.subscribe(test), lib.access.subscribe(test), () => {
        lib.off('sync', onSync);
        stopSync();
      });
    }
    test();
  });
}

const rowOf = (lib: LocalLibrary, url: string) => lib.store.get(itemIdForUrl(url));
const newCollection = () => `sync-test-${Date.now().toString(36)}-${collectionSeq++}`;

describe('two maintainers through a real hub', () => {
  it('an edit on one appears on the other while both are online, with no reload', async () => {
    const c = newCollection();
    const ana = await replica(c, 'Ana');
    const ben = await replica(c, 'Ben');
    ana.online();
    ben.online();
    await until(
      [ana.lib, ben.lib],
      () =>
        ana.lib.sync?.getStatus().state === 'synced' &&
        ben.lib.sync?.getStatus().state === 'synced',
    );
    ana.lib.addLink({ url: 'https://example.com/live', title: 'Live edit' });
    // How fast is the latency benchmark's to say (bench/hub-latency.ts), not a test's.
    await until([ben.lib], () => rowOf(ben.lib, 'https://example.com/live')?.title === 'Live edit');
    await until([ana.lib], () => ana.lib.sync!.getStatus().unconfirmed === 0);
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
      [ana.lib, ben.lib],
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
    await until([ben.lib], () => !!ben.lib.store.get(id));
    ana.offline();
    ben.offline();
    ana.lib.moveToTrash([id]);
    ben.lib.updateItem(id, { title: 'Edited while deleted' });
    ben.lib.writeNote(id, (note) => note.insert(0, 'Ben’s thought. '), {});
    ana.online();
    ben.online();
    await until(
      [ana.lib, ben.lib],
      () =>
        ana.lib.store.get(id)?.title === 'Edited while deleted' &&
        ben.lib.store.get(id)?.status === 'trash',
    );
    expect(ana.lib.store.get(id)!.status).toBe('trash');
    ana.lib.restore([id]);
    await until([ben.lib], () => ben.lib.store.get(id)?.status === 'unread');
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
    await until([ben.lib], () => !!ben.lib.store.get(id));
    const words = (who: string) => Array.from({ length: 20 }, (_, i) => ` ${who}${i}`);
    const typeInto = (lib: LocalLibrary, text: string) =>
      lib.writeNote(id, (note) => note.insert(note.length, text), {});
    const anaWords = words('ana');
    const benWords = words('ben');
    const holdsBoth = (lib: LocalLibrary, i: number) =>
      [anaWords[i]!, benWords[i]!].every((w) => lib.store.get(id)?.note.includes(w));
    // Each round both type at the end of the same text before either hears of the other: two
    // concurrent inserts at one position; the next round starts from what both then hold.
    for (let i = 0; i < anaWords.length; i++) {
      typeInto(ana.lib, anaWords[i]!);
      typeInto(ben.lib, benWords[i]!);
      await until([ana.lib, ben.lib], () => holdsBoth(ana.lib, i) && holdsBoth(ben.lib, i));
    }
    await until(
      [ana.lib, ben.lib],
      () =>
        ana.lib.store.get(id)?.note === ben.lib.store.get(id)?.note &&
        (ana.lib.store.get(id)?.note.length ?? 0) > 200,
    );
    const note = ana.lib.store.get(id)!.note;
    for (const w of [...words('ana'), ...words('ben')]) expect(note).toContain(w.trim());
    await ana.lib.close();
    await ben.lib.close();
  });

  it('a reader sees the collection, knows it is a reader, and has no change waiting for the hub', async () => {
    const c = newCollection();
    const ana = await replica(c, 'Ana');
    const cy = await replica(c, 'Cy', 'reader');
    ana.online();
    cy.online();
    // The token says so before the hub has answered anything.
    expect(cy.lib.readOnly).toBe(true);
    ana.lib.addLink({ url: 'https://example.com/readable' });
    await until([cy.lib], () => !!rowOf(cy.lib, 'https://example.com/readable'));
    await until(
      [cy.lib],
      () => cy.lib.access.get().kind === 'reader' && cy.lib.sync?.getStatus().state === 'synced',
    );
    expect(cy.lib.access.get()).toEqual({ kind: 'reader', confirmed: true });
    expect(() => cy.lib.addLink({ url: 'https://example.com/sneaky' })).toThrow(ReadOnlyError);
    const id = itemIdForUrl('https://example.com/readable');
    expect(() => cy.lib.markRead([id])).toThrow(ReadOnlyError);
    // What arrived from the hub is being written; once it is, nothing of Cy's is left waiting.
    await cy.lib.log!.flushed();
    expect(cy.lib.pendingWrites()).toBe(0);
    expect(cy.lib.sync!.getStatus().unconfirmed).toBe(0);
    // Not even the member profile: the hub would drop it and it would wait forever.
    expect(cy.lib.doc.getMap('members').has('cy')).toBe(false);
    expect(rowOf(ana.lib, 'https://example.com/sneaky')).toBeUndefined();
    await ana.lib.close();
    await cy.lib.close();
  });

  it('an editor whose invite is revoked is told access was withdrawn, not that they are offline', async () => {
    const c = newCollection();
    const ben = await replica(c, 'Ben');
    ben.online();
    await until([ben.lib], () => ben.lib.sync?.getStatus().state === 'synced');
    expect(ben.lib.access.get()).toEqual({ kind: 'editor', confirmed: true });
    ben.lib.addLink({ url: 'https://example.com/before-revoking' });
    await revoke(ben.token);
    await until([ben.lib], () => ben.lib.access.get().kind === 'withdrawn');
    expect(ben.lib.sync!.getStatus().state).toBe('refused');
    expect(ben.lib.readOnly).toBe(true);
    expect(() => ben.lib.addLink({ url: 'https://example.com/after' })).toThrow(
      /access to this collection was withdrawn/,
    );
    await ben.lib.close();
  });

  it('an expired invite is expired before and after the hub is asked', async () => {
    const c = newCollection();
    const dee = await replica(c, 'Dee');
    const expired = mintToken({
      collection: c,
      member: 'Dee',
      role: 'editor',
      ttlSeconds: 60,
      secret: TEST_SECRET,
      now: Date.now() - 3_600_000,
    }).token;
    dee.lib.connect(
      { url: hub.url, token: expired },
      { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket },
    );
    expect(dee.lib.access.get()).toEqual({ kind: 'expired' });
    await until([dee.lib], () => dee.lib.sync?.getStatus().state === 'refused');
    expect(dee.lib.sync!.getStatus().error).toMatch(/expired/);
    expect(dee.lib.access.get()).toEqual({ kind: 'expired' });
    await dee.lib.close();
  }, 30_000);

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
    await until([lib], () => lib.sync?.getStatus().state === 'refused');
    expect(lib.sync!.getStatus().error).toMatch(/another collection/);
    await lib.close();
  }, 30_000);
});
