import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Member } from '../../shared/model';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { readAllRows, showFirstScreen } from './open';
import { RowStore } from './rows';
import { InlineSearch, indexRows } from './search-client';

const me: Member = { id: 'me', name: 'Ana', color: '#2563eb' };

/**
 * A collection with `count` links on disk, reopened as far as its first screen. `before` adds to
 * it first; with `keptIndex`, search starts from an index of every link, as the search worker's
 * index kept from the last session does.
 */
async function openingLibrary(
  count: number,
  { before, keptIndex = false }: { before?: (lib: LocalLibrary) => void; keptIndex?: boolean } = {},
): Promise<{ lib: LocalLibrary; db: CollectionDb; factory: IDBFactory }> {
  const factory = new IDBFactory();
  const first = await LocalLibrary.open({
    collectionId: 'c1',
    me,
    db: new CollectionDb('c1', factory, IDBKeyRange),
    search: new InlineSearch(),
  });
  before?.(first);
  first.addLinks(
    Array.from({ length: count }, (_, i) => ({
      url: `https://example.com/${i}`,
      addedAt: 1000 + i,
    })),
  );
  const rows = first.store.all();
  await first.close();
  const db = new CollectionDb('c1', factory, IDBKeyRange);
  const store = new RowStore();
  await showFirstScreen(db, store);
  const search = new InlineSearch();
  if (keptIndex) indexRows(search, rows, true);
  const lib = LocalLibrary.create({ collectionId: 'c1', me, db, store, search });
  return { lib, db, factory };
}

const GOSSIP = { url: 'https://example.org/gossip', title: 'Gossip protocols at scale' };

describe('a link saved while the collection opens', () => {
  it('is listed and found at once, and kept exactly once when the log has replayed', async () => {
    const { lib, db, factory } = await openingLibrary(100);
    expect(lib.store.partial).toBe(true);
    const { id, created } = lib.addLink(GOSSIP);
    expect(created).toBe(true);
    expect(lib.ready).toBe(false);
    expect(lib.store.view('unread')[0]).toMatchObject({
      id,
      title: GOSSIP.title,
      status: 'unread',
    });
    expect((await lib.search('gossip')).ids).toEqual([id]);
    // Saving it again is recognised as the same link, not queued twice.
    expect(lib.addLink({ url: 'https://www.example.org/gossip/' })).toEqual({ id, created: false });

    lib.showAllRows(await readAllRows(db));
    expect(lib.store.view('unread')[0]?.id).toBe(id);
    expect(lib.store.all()).toHaveLength(101);

    await lib.load();
    expect(lib.store.all()).toHaveLength(101);
    expect(lib.store.get(id)).toMatchObject({ title: GOSSIP.title, addedBy: me.id });
    expect((await lib.search('gossip')).ids).toEqual([id]);
    await lib.close();
    const reopened = await LocalLibrary.open({
      collectionId: 'c1',
      me,
      db: new CollectionDb('c1', factory, IDBKeyRange),
      search: new InlineSearch(),
    });
    expect(reopened.store.all()).toHaveLength(101);
    expect(reopened.store.get(id)).toMatchObject({ title: GOSSIP.title });
    await reopened.close();
  });

  it('is taken away again if the collection turns read-only before it could be saved', async () => {
    const { lib, db } = await openingLibrary(3);
    const { id } = lib.addLink(GOSSIP);
    expect(lib.store.get(id)).toBeDefined();
    lib.access.useSchema('This collection was saved by a newer Curio.');
    expect(lib.store.get(id)).toBeUndefined();
    expect((await lib.search('gossip')).ids).toEqual([]);
    lib.showAllRows(await readAllRows(db));
    await lib.load();
    expect(lib.store.get(id)).toBeUndefined();
    expect(lib.store.all()).toHaveLength(3);
    await lib.close();
  });

  it('shows what an index kept from the last session finds, before every row is read', async () => {
    let deep = '';
    const { lib, db } = await openingLibrary(120, {
      keptIndex: true,
      before: (first) => (deep = first.addLink({ ...GOSSIP, addedAt: 1 }).id),
    });
    const { store } = lib;
    expect(store.partial).toBe(true);
    expect(store.get(deep)).toBeUndefined();
    expect((await lib.search('gossip')).ids).toEqual([deep]);
    expect(store.get(deep)).toMatchObject({ title: GOSSIP.title });
    // Still the first screen's counts, until every row is read.
    expect(store.partial).toBe(true);
    lib.showAllRows(await readAllRows(db));
    expect(store.all()).toHaveLength(121);
    await lib.load();
    await lib.close();
  });
});
