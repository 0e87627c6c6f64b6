// Compaction from the log alone: what it writes, when it gives up, and how the update log waits
// for it without losing a change made meanwhile.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Materializer, addItem, materializeAll } from '../../shared/collection';
import type { ItemRow, Member } from '../../shared/model';
import { MATERIALISED_SEQ, compactLog, type Compacted, type Compactor } from './compaction';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { UpdateLog } from './persistence';
import { InlineSearch } from './search-client';

const me: Member = { id: 'me', name: 'Ana', color: '#2563eb' };
const sortRows = (rows: ItemRow[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
const actor = { memberId: me.id };

async function library(factory: IDBFactory) {
  return LocalLibrary.open({
    collectionId: 'c1',
    me,
    db: new CollectionDb('c1', factory, IDBKeyRange),
    search: new InlineSearch(),
  });
}

/** A log of one row per link, as a collection edited link by link has. */
async function logOf(factory: IDBFactory, links: number): Promise<ItemRow[]> {
  const lib = await library(factory);
  for (let i = 0; i < links; i++) {
    addItem(lib.doc, { url: `https://example.com/${i}`, tags: ['t'] }, actor);
    await lib.log!.flushed();
  }
  const rows = sortRows(lib.store.all());
  await lib.close();
  return rows;
}

describe('compacting the log without the window’s document', () => {
  it('replaces the log with a snapshot of it in parts, and moves the items table’s marker along', async () => {
    const factory = new IDBFactory();
    const rows = await logOf(factory, 12);
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const done = await compactLog(db, 5);
    const log = await db.updates.orderBy('seq').toArray();
    expect(log.length).toBeGreaterThan(1);
    expect(log.every((row) => row.snapshot && row.format === 2)).toBe(true);
    expect(done).toEqual({
      rows: log.length,
      bytes: log.reduce((n, row) => n + row.data.byteLength, 0),
    });
    expect((await db.meta.get(MATERIALISED_SEQ))?.value).toBe(log.at(-1)!.seq);
    db.close();
    // Reopened: the same links, and the items table taken as current (not rebuilt).
    const reopened = await library(factory);
    expect(reopened.loadReport!.rebuilt).toBe(false);
    expect(sortRows(materializeAll(reopened.doc, me.id))).toEqual(rows);
    await reopened.close();
  });

  it('leaves the log as it was when a row is appended while the snapshot is made', async () => {
    const factory = new IDBFactory();
    await logOf(factory, 3);
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const other = new CollectionDb('c1', factory, IDBKeyRange);
    await other.open();
    const before = await db.updates.orderBy('seq').primaryKeys();
    const source = new Y.Doc();
    addItem(source, { url: 'https://example.com/late' }, actor);
    // Asked for while the compaction reads the log, written before it replaces it.
    const compacting = compactLog(db);
    await other.updates.add({ data: Y.encodeStateAsUpdate(source) });
    expect(await compacting).toBeNull();
    expect(await db.updates.orderBy('seq').primaryKeys()).toEqual([...before, before.at(-1)! + 1]);
    db.close();
    other.close();
  });

  it('leaves the log as it was when a row cannot be applied', async () => {
    const factory = new IDBFactory();
    await logOf(factory, 2);
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    await db.updates.add({ data: new Uint8Array([1, 2, 3, 250, 251]) });
    const before = await db.updates.orderBy('seq').toArray();
    expect(await compactLog(db)).toBeNull();
    expect(await db.updates.orderBy('seq').toArray()).toEqual(before);
    db.close();
  });
});

describe('the update log and its compactions', () => {
  async function updateLog(factory: IDBFactory, compactor: Compactor, maxRows = 2) {
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const doc = new Y.Doc();
    const materializer = new Materializer(doc, me.id);
    const empty = { rows: 0, bytes: 0, snapshotRows: 0, snapshotBytes: 0 };
    const log = new UpdateLog(db, doc, materializer, empty, { maxRows, maxBytes: 1e9 }, compactor);
    return { db, doc, log };
  }

  it('writes the changes made during a compaction after it, none lost', async () => {
    const factory = new IDBFactory();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const { db, doc, log } = await updateLog(factory, async (target, parts) => {
      started();
      await gate;
      return compactLog(target, parts);
    });
    for (let i = 0; i < 3; i++) addItem(doc, { url: `https://example.com/${i}` }, actor);
    const compacted = log.compactNow();
    await running;
    addItem(doc, { url: 'https://example.com/meanwhile' }, actor);
    // Waiting behind the compaction, and counted as not yet saved.
    await Promise.resolve();
    expect(log.pending).toBeGreaterThan(0);
    release();
    await compacted;
    await log.flushed();
    expect(log.pending).toBe(0);
    const rows = await db.updates.orderBy('seq').toArray();
    expect(rows.map((row) => row.snapshot ?? false)).toEqual([true, false]);
    const items = sortRows(await db.items.toArray());
    expect(items.map((row) => row.url)).toContain('https://example.com/meanwhile');
    expect(items).toEqual(sortRows(materializeAll(doc, me.id)));
    log.close();
    db.close();
  });

  it('tries a compaction that did not happen again only once as many rows again are appended', async () => {
    const factory = new IDBFactory();
    const asked: number[] = [];
    const { db, doc, log } = await updateLog(factory, async (target) => {
      asked.push(await target.updates.count());
      return null as Compacted | null;
    });
    for (let i = 0; i < 8; i++) {
      addItem(doc, { url: `https://example.com/${i}` }, actor);
      await log.flushed();
    }
    // Over two rows at the third, then not before two more past that: at the sixth, never between.
    expect(asked).toEqual([3, 6]);
    log.close();
    db.close();
  });
});
