import { applyLogRow } from './compaction';
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  addItem,
  appendNote,
  markRead,
  markUnread,
  materializeAll,
  moveToTrash,
  restoreFromTrash,
  emptyTrash,
  ROWS_VERSION,
  setTags,
  updateItem,
  itemIdForUrl,
  ROOT,
  hasUrl,
} from '../../shared/collection';
import type { ItemRow, Member } from '../../shared/model';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { InlineSearch } from './search-client';
import { RowStore } from './rows';
import { readAllRows, showFirstScreen } from './open';
import { loadDocFromLog } from './persistence';
import {
  ADJUSTED_CHANGES_MAX,
  STATUS_COUNTS_KEY,
  countRows,
  keptStatusCounts,
} from './status-counts';

const me: Member = { id: 'me', name: 'Ana', color: '#2563eb' };
const URLS = [
  'https://a.example/1',
  'https://b.example/2',
  'https://c.example/3',
  'https://d.example/4',
];

type Step =
  | { t: 'add'; url: number; note: string }
  | { t: 'edit'; url: number; title: string }
  | { t: 'tag'; url: number; tag: string }
  | { t: 'read'; url: number }
  | { t: 'unread'; url: number }
  | { t: 'trash'; url: number }
  | { t: 'restore'; url: number }
  | { t: 'empty' }
  | { t: 'note'; url: number; text: string }
  | { t: 'flush' }
  | { t: 'compact' }
  | { t: 'crash' };

const url = fc.nat(URLS.length - 1);
const word = fc.string({ minLength: 1, maxLength: 6 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('add' as const), url, note: word }) },
  fc.record({ t: fc.constant('edit' as const), url, title: word }),
  fc.record({ t: fc.constant('tag' as const), url, tag: fc.constantFrom('a', 'b', 'c') }),
  fc.record({ t: fc.constant('read' as const), url }),
  fc.record({ t: fc.constant('unread' as const), url }),
  fc.record({ t: fc.constant('trash' as const), url }),
  fc.record({ t: fc.constant('restore' as const), url }),
  fc.constant({ t: 'empty' as const }),
  fc.record({ t: fc.constant('note' as const), url, text: word }),
  fc.constant({ t: 'flush' as const }),
  fc.constant({ t: 'compact' as const }),
  fc.constant({ t: 'crash' as const }),
);

function apply(doc: Y.Doc, step: Step): void {
  const actor = { memberId: me.id };
  if (step.t === 'empty') emptyTrash(doc, actor);
  if (!('url' in step)) return;
  const u = URLS[step.url]!;
  const id = itemIdForUrl(u);
  if (step.t === 'add') addItem(doc, { url: u, note: step.note }, actor);
  else if (step.t === 'edit') updateItem(doc, id, { title: step.title }, actor);
  else if (step.t === 'tag') setTags(doc, id, [step.tag], actor);
  else if (step.t === 'read') markRead(doc, [id], actor);
  else if (step.t === 'unread') markUnread(doc, [id], actor);
  else if (step.t === 'trash') moveToTrash(doc, [id], actor);
  else if (step.t === 'restore') restoreFromTrash(doc, [id], actor);
  else if (step.t === 'note' && hasUrl(doc.getMap('items'), id))
    appendNote(doc, id, step.text, actor);
}

const sortRows = (rows: ItemRow[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

async function open(factory: IDBFactory, compactEvery = 1000, structsPerPart?: number) {
  const db = new CollectionDb('c1', factory, IDBKeyRange);
  const firstPaint = await db.items.toArray();
  // Kept in the same transactions as the rows, the counts always match them.
  const counts = await keptStatusCounts(db);
  if (counts) expect(counts).toEqual(countRows(firstPaint));
  const lib = await LocalLibrary.open({
    collectionId: 'c1',
    me,
    db,
    search: new InlineSearch(),
    compaction: { maxRows: compactEvery, maxBytes: 10_000_000, structsPerPart },
  });
  return { lib, firstPaint, counted: counts !== null };
}

describe('the update log', () => {
  it('reopens to the saved document after flushes, compactions and crashes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { maxLength: 40 }),
        fc.integer({ min: 2, max: 8 }),
        // Snapshots in parts of a few structs, as a large collection's are written.
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        async (steps, compactEvery, structsPerPart) => {
          const factory = new IDBFactory();
          let { lib } = await open(factory, compactEvery, structsPerPart);
          let saved = Y.encodeStateAsUpdate(lib.doc);
          for (const step of steps) {
            if (step.t === 'flush') {
              await lib.log!.flushed();
              saved = Y.encodeStateAsUpdate(lib.doc);
            } else if (step.t === 'compact') {
              await lib.log!.compactNow();
              saved = Y.encodeStateAsUpdate(lib.doc);
            } else if (step.t === 'crash') {
              // Whatever was not flushed is lost, as in a power cut; everything reported saved must survive.
              lib.log!.close();
              lib.doc.destroy();
              const reopened = await open(factory, compactEvery, structsPerPart);
              const expected = new Y.Doc();
              Y.applyUpdate(expected, saved);
              expect(sortRows(materializeAll(reopened.lib.doc, me.id))).toEqual(
                sortRows(materializeAll(expected, me.id)),
              );
              // The items table (first paint) agrees with the log it was written with, and so
              // do the counts kept beside it (checked in open()), which every opening finds.
              expect(reopened.counted).toBe(true);
              expect(sortRows(reopened.firstPaint)).toEqual(
                sortRows(materializeAll(reopened.lib.doc, me.id)),
              );
              lib = reopened.lib;
              saved = Y.encodeStateAsUpdate(lib.doc);
            } else {
              apply(lib.doc, step);
            }
          }
          await lib.log!.flushed();
          const finalRows = sortRows(materializeAll(lib.doc, me.id));
          expect(sortRows(lib.store.all())).toEqual(finalRows);
          await lib.close();
          const { lib: last, firstPaint } = await open(factory, compactEvery, structsPerPart);
          expect(sortRows(materializeAll(last.doc, me.id))).toEqual(finalRows);
          expect(sortRows(firstPaint)).toEqual(finalRows);
          await last.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  // Regression (fast-check seed 1491318077): a compaction queued before the add's flush wrote a
  // snapshot containing the item while the items table did not, and a crash then left them apart.
  it('keeps the items table in step when a compaction overtakes a queued change', async () => {
    const factory = new IDBFactory();
    const { lib } = await open(factory, 2);
    addItem(lib.doc, { url: URLS[0]!, note: ' ' }, { memberId: me.id });
    await lib.log!.compactNow();
    lib.log!.close();
    const reopened = await open(factory, 2);
    expect(sortRows(reopened.firstPaint)).toEqual(
      sortRows(materializeAll(reopened.lib.doc, me.id)),
    );
    expect(reopened.firstPaint).toHaveLength(1);
    await reopened.lib.close();
  });

  it('writes the rows of one large change in parts, all in the same log row', async () => {
    const factory = new IDBFactory();
    const { lib } = await open(factory);
    lib.addLinks(Array.from({ length: 2_500 }, (_, i) => ({ url: `https://example.com/${i}` })));
    await lib.log!.flushed();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    expect(await db.updates.count()).toBe(2); // the member profile, then the change
    expect(sortRows(await db.items.toArray())).toEqual(sortRows(lib.store.all()));
    expect(await db.items.count()).toBe(2_500);
    // A batch this large is counted afresh; a small one adjusts the counts by the rows it changes.
    expect(2_500).toBeGreaterThan(ADJUSTED_CHANGES_MAX);
    expect(await keptStatusCounts(db)).toEqual({ unread: 2_500, read: 0, trash: 0 });
    const ids = lib.store.all().map((row) => row.id);
    lib.markRead(ids.slice(0, 3));
    lib.moveToTrash(ids.slice(1, 5));
    await lib.log!.flushed();
    expect(await keptStatusCounts(db)).toEqual({ unread: 2_495, read: 1, trash: 4 });
    await lib.close();
    db.close();
  });

  it('keeps each status count beside the rows, which the first screen reads or counts once', async () => {
    const factory = new IDBFactory();
    const { lib } = await open(factory);
    const ids = lib
      .addLinks([1, 2, 3, 4, 5].map((i) => ({ url: `https://example.com/${i}`, addedAt: i })))
      .map((r) => r.id);
    lib.markRead(ids.slice(0, 2));
    lib.moveToTrash([ids[4]!]);
    lib.emptyTrash();
    lib.moveToTrash([ids[3]!]);
    await lib.close();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const actual = { unread: 1, read: 2, trash: 1 };
    expect(await keptStatusCounts(db)).toEqual(actual);
    const firstScreen = async () => {
      const store = new RowStore();
      await showFirstScreen(db, store);
      return store.viewCounts();
    };
    expect(await firstScreen()).toMatchObject(actual);
    // What is kept is what the first screen shows: the indexes are not counted again.
    await db.meta.put({ key: STATUS_COUNTS_KEY, value: { unread: 7, read: 0, trash: 0 } });
    expect(await firstScreen()).toMatchObject({ unread: 7, read: 0, trash: 0 });
    // None kept (a table written before they were), or something that is not three counts:
    // counted from the indexes, and kept from then on.
    for (const broken of [undefined, 'lots', { unread: -1, read: 2, trash: 1 }, { unread: 1.5 }]) {
      if (broken === undefined) await db.meta.delete(STATUS_COUNTS_KEY);
      else await db.meta.put({ key: STATUS_COUNTS_KEY, value: broken });
      expect(await firstScreen()).toMatchObject(actual);
      expect(await keptStatusCounts(db)).toEqual(actual);
    }
    db.close();
  });

  it('takes the first encoding while the hub connection does, and writes a mixed batch in one row', async () => {
    const factory = new IDBFactory();
    const { lib } = await open(factory);
    await lib.log!.flushed();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const formats = async () => (await db.updates.orderBy('seq').toArray()).map((r) => r.format);
    lib.addLink({ url: URLS[0]! });
    lib.log!.useEncoding(1);
    // Only the encoding the log takes is listened to: Yjs encodes a change once per encoding.
    expect(lib.doc._observers.has('updateV2')).toBe(false);
    lib.addLink({ url: URLS[1]! });
    await lib.log!.flushed();
    lib.addLink({ url: URLS[2]! });
    await lib.log!.flushed();
    lib.log!.useEncoding(2);
    expect(lib.doc._observers.has('update')).toBe(false);
    lib.addLink({ url: URLS[3]! });
    await lib.log!.flushed();
    // The member profile; the mixed batch; the first encoding; the second again.
    expect(await formats()).toEqual([2, 2, undefined, 2]);
    const rows = sortRows(lib.store.all());
    await lib.close();
    const { lib: reopened, firstPaint } = await open(factory);
    expect(sortRows(materializeAll(reopened.doc, me.id))).toEqual(rows);
    expect(sortRows(firstPaint)).toEqual(rows);
    expect(rows).toHaveLength(4);
    await reopened.close();
    db.close();
  });

  it('compaction leaves one snapshot row and the same document', async () => {
    const factory = new IDBFactory();
    const { lib } = await open(factory);
    for (let i = 0; i < 50; i++) {
      addItem(lib.doc, { url: `https://example.com/${i}`, tags: ['x'] }, { memberId: me.id });
      await lib.log!.flushed();
    }
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    expect(await db.updates.count()).toBe(51); // the member profile, then one row per flush
    await lib.log!.compactNow();
    expect(await db.updates.count()).toBe(1);
    const before = sortRows(materializeAll(lib.doc, me.id));
    await lib.close();
    const { lib: reopened } = await open(factory);
    expect(sortRows(materializeAll(reopened.doc, me.id))).toEqual(before);
    await reopened.close();
    db.close();
  });

  it('writes a large snapshot in parts and counts only the rows after it toward compacting', async () => {
    const factory = new IDBFactory();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const openSmall = () =>
      LocalLibrary.open({
        collectionId: 'c1',
        me,
        db: new CollectionDb('c1', factory, IDBKeyRange),
        search: new InlineSearch(),
        compaction: { maxRows: 2, maxBytes: 10_000_000, structsPerPart: 10 },
      });
    const lib = await openSmall();
    for (let i = 0; i < 20; i++)
      addItem(lib.doc, { url: `https://example.com/${i}` }, { memberId: me.id });
    await lib.log!.compactNow();
    const parts = await db.updates.toArray();
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((row) => row.snapshot && row.format === 2)).toBe(true);
    const before = sortRows(materializeAll(lib.doc, me.id));
    await lib.close();

    const reopened = await openSmall();
    expect(sortRows(materializeAll(reopened.doc, me.id))).toEqual(before);
    // Two rows appended after the snapshot stay below the limit, however many parts it has…
    for (const i of [20, 21]) {
      addItem(reopened.doc, { url: `https://example.com/${i}` }, { memberId: me.id });
      await reopened.log!.flushed();
    }
    expect(await db.updates.count()).toBe(parts.length + 2);
    // …and the third compacts them into it.
    addItem(reopened.doc, { url: 'https://example.com/22' }, { memberId: me.id });
    await reopened.log!.flushed();
    const compacted = await db.updates.toArray();
    expect(compacted.every((row) => row.snapshot)).toBe(true);
    await reopened.close();
    db.close();
  });

  it('reads every row of the items table a page at a time', async () => {
    const factory = new IDBFactory();
    const { lib } = await open(factory);
    for (let i = 0; i < 9; i++) lib.addLink({ url: `https://example.com/${i}` });
    await lib.close();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const all = sortRows(await db.items.toArray());
    expect(all).toHaveLength(9);
    for (const perRead of [1, 2, 3, 4, 9, 10])
      expect(sortRows((await readAllRows(db, perRead)).take().sorted)).toEqual(all);
    db.close();
  });

  /** A library of `links` links whose log was just compacted into a snapshot of 5-struct parts. */
  async function compactedLibrary(factory: IDBFactory, links: number): Promise<LocalLibrary> {
    const { lib } = await open(factory, 1000, 5);
    for (let i = 0; i < links; i++)
      addItem(lib.doc, { url: `https://example.com/${i}` }, { memberId: me.id });
    await lib.log!.compactNow();
    return lib;
  }

  it('replays the log a few rows per read to the same document and report as all at once', async () => {
    const factory = new IDBFactory();
    const lib = await compactedLibrary(factory, 30);
    // Rows after the snapshot, and one that cannot be decoded.
    for (let i = 30; i < 34; i++)
      addItem(lib.doc, { url: `https://example.com/${i}` }, { memberId: me.id });
    await lib.close();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    await db.updates.add({ data: new Uint8Array([255, 255, 255]), format: 2 });
    const log = await db.updates.orderBy('seq').toArray();
    expect(log.length).toBeGreaterThan(8);
    const reference = new Y.Doc();
    for (const row of log) if (row.data.byteLength > 3) applyLogRow(reference, row);
    for (const perRead of [1, 2, 3, 8, log.length, log.length + 1]) {
      const doc = new Y.Doc();
      const report = await loadDocFromLog(db, doc, perRead);
      expect(Y.encodeStateAsUpdateV2(doc)).toEqual(Y.encodeStateAsUpdateV2(reference));
      expect(report).toEqual({
        rows: log.length,
        bytes: log.reduce((n, row) => n + row.data.byteLength, 0),
        snapshotRows: log.filter((row) => row.snapshot).length,
        snapshotBytes: log.filter((row) => row.snapshot).reduce((n, r) => n + r.data.byteLength, 0),
        corrupt: [log.at(-1)!.seq],
        lastSeq: log.at(-1)!.seq,
      });
      // The damaged row is set aside at the first replay; put it back for the next.
      if (!(await db.updates.get(log.at(-1)!.seq!))) await db.updates.put(log.at(-1)!);
    }
    db.close();
  });

  it('replays a long log in slices, letting the window go on between them', async () => {
    const factory = new IDBFactory();
    const lib = await compactedLibrary(factory, 40);
    await lib.close();

    // Every look at the clock finds a slice's time used up, so the replay yields after each row.
    const clock = vi.spyOn(performance, 'now');
    let now = 0;
    clock.mockImplementation(() => (now += 100));
    const doc = new Y.Doc();
    const seen: number[] = [];
    let replaying = true;
    const watch = () => {
      seen.push(doc.getMap(ROOT.items).size);
      if (replaying) setTimeout(watch, 0);
    };
    setTimeout(watch, 0);
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const report = await loadDocFromLog(db, doc);
    replaying = false;
    clock.mockRestore();
    expect(report.snapshotRows).toBeGreaterThan(2);
    const whole = doc.getMap(ROOT.items).size;
    // Something else ran while the document was partly there.
    expect(seen.some((size) => size > 0 && size < whole)).toBe(true);
    db.close();
  });

  it('opens a log whose snapshot was written in the first update encoding', async () => {
    const source = new Y.Doc();
    for (let i = 0; i < 5; i++)
      addItem(source, { url: `https://example.com/${i}`, note: `n${i}` }, { memberId: me.id });
    const factory = new IDBFactory();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    await db.updates.add({ data: Y.encodeStateAsUpdate(source) });
    const later = Y.encodeStateVector(source);
    markRead(source, [itemIdForUrl('https://example.com/3')], { memberId: me.id });
    await db.updates.add({ data: Y.encodeStateAsUpdate(source, later) });
    db.close();
    const { lib } = await open(factory);
    expect(sortRows(materializeAll(lib.doc, me.id))).toEqual(
      sortRows(materializeAll(source, me.id)),
    );
    await lib.close();
  });

  it('keeps a compacted log about as large as the links however often they are read again', async () => {
    const factory = new IDBFactory();
    const { lib } = await open(factory);
    const ids = Array.from(
      { length: 20 },
      (_, i) => lib.addLink({ url: `https://example.com/${i}`, title: `Link ${i}` }).id,
    );
    await lib.log!.compactNow();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const fresh = (await db.updates.toArray())[0]!.data.byteLength;
    for (let round = 0; round < 100; round++) {
      for (const id of ids) {
        markRead(lib.doc, [id], { memberId: me.id });
        markUnread(lib.doc, [id], { memberId: me.id });
      }
    }
    await lib.log!.compactNow();
    const [snapshot] = await db.updates.toArray();
    // 4,000 toggles: in the first encoding each leaves about five bytes behind, forever.
    expect(snapshot!.data.byteLength).toBeLessThan(fresh + 2_000);
    await lib.close();
    db.close();
  });

  it('skips a damaged log row, keeps it aside and keeps everything else', async () => {
    const factory = new IDBFactory();
    const { lib } = await open(factory);
    addItem(lib.doc, { url: 'https://example.com/kept' }, { memberId: me.id });
    await lib.close();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    await db.updates.add({ data: new Uint8Array([1, 2, 3, 250, 251]) });
    db.close();
    const { lib: reopened } = await open(factory);
    expect(reopened.loadReport!.corrupt).toHaveLength(1);
    expect(materializeAll(reopened.doc, me.id).map((r) => r.url)).toEqual([
      'https://example.com/kept',
    ]);
    await reopened.close();
  });

  it('searches live links only: Trash leaves the index and Restore brings a link back', async () => {
    const { lib } = await open(new IDBFactory());
    const { id } = lib.addLink({ url: 'https://example.com/gossip', title: 'Gossip protocols' });
    lib.addLink({ url: 'https://example.com/raft', title: 'Raft' });
    expect((await lib.search('gossip')).ids).toEqual([id]);
    lib.moveToTrash([id]);
    expect(await lib.search('gossip')).toEqual({ ids: [], terms: [], total: 0 });
    lib.restore([id]);
    expect((await lib.search('gossip')).ids).toEqual([id]);
    await lib.close();
  });

  it('shows rows and queues actions before the log has replayed, then applies them in order', async () => {
    const factory = new IDBFactory();
    const { lib } = await open(factory);
    const { id } = lib.addLink({ url: 'https://example.com/early', title: 'Early' });
    await lib.close();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const store = new RowStore();
    store.reset(await db.items.toArray());
    const early = LocalLibrary.create({
      collectionId: 'c1',
      me,
      db,
      store,
      search: new InlineSearch(),
    });
    expect(early.ready).toBe(false);
    expect(early.store.view('unread').map((r) => r.id)).toEqual([id]);
    expect((await early.search('early')).ids).toEqual([id]);
    // An action on a row on screen, and a duplicate add that must be recognised as such.
    early.markRead([id]);
    expect(early.addLink({ url: 'https://www.example.com/early/' })).toEqual({
      id,
      created: false,
    });
    expect(early.pendingWrites()).toBe(2);
    await early.load();
    expect(early.store.get(id)).toMatchObject({ status: 'read', title: 'Early' });
    expect(early.store.all()).toHaveLength(1);
    await early.close();
  });

  it('does not compact a large collection again on every change', async () => {
    const factory = new IDBFactory();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const lib = await LocalLibrary.open({
      collectionId: 'c1',
      me,
      db,
      search: new InlineSearch(),
      compaction: { maxRows: 100, maxBytes: 1000 },
    });
    lib.addLinks(
      Array.from({ length: 200 }, (_, i) => ({
        url: `https://example.com/${i}`,
        note: 'x'.repeat(50),
      })),
    );
    await lib.log!.compactNow();
    expect(await db.updates.count()).toBe(1);
    // The snapshot is far over maxBytes; small edits after it must still just be appended.
    for (let i = 0; i < 5; i++) {
      lib.markRead([itemIdForUrl(`https://example.com/${i}`)]);
      await lib.log!.flushed();
    }
    expect(await db.updates.count()).toBe(6);
    await lib.close();
  });

  it('paints a first screen from the indexes, then every row, then the document', async () => {
    const factory = new IDBFactory();
    const { lib } = await open(factory);
    const ids = lib
      .addLinks(
        Array.from({ length: 150 }, (_, i) => ({
          url: `https://example.com/${i}`,
          addedAt: 1000 + i,
        })),
      )
      .map((r) => r.id);
    lib.markRead(ids.slice(0, 30));
    lib.moveToTrash(ids.slice(30, 40));
    await lib.close();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const store = new RowStore();
    await showFirstScreen(db, store);
    expect(store.partial).toBe(true);
    expect(store.view('unread').map((r) => r.id)).toEqual(ids.slice(40).reverse().slice(0, 80));
    expect(store.viewCounts()).toMatchObject({
      unread: 110,
      read: 30,
      trash: 10,
      all: 140,
      partial: true,
    });
    const reopened = LocalLibrary.create({
      collectionId: 'c1',
      me,
      db,
      store,
      search: new InlineSearch(),
    });
    reopened.showAllRows(await readAllRows(db));
    await reopened.load();
    expect(store.partial).toBe(false);
    expect(store.viewCounts()).toMatchObject({ unread: 110, read: 30, trash: 10, all: 140 });
    expect(store.viewCounts().partial).toBeUndefined();
    // Every live link is searchable; the ten in Trash are not.
    expect((await reopened.search('example')).total).toBe(140);
    await reopened.close();
  });

  it('keeps every row and the first screen when the items table loses its unread indexes', async () => {
    const { lib } = await open(new IDBFactory());
    const ids = lib
      .addLinks([1, 2, 3].map((i) => ({ url: `https://example.com/${i}`, tags: ['t'] })))
      .map((r) => r.id);
    lib.markRead([ids[0]!]);
    const rows = sortRows(lib.store.all());
    await lib.close();
    // A database as version 5 declared its items table, with indexes that nothing read.
    const factory = new IDBFactory();
    const old = new Dexie('curio-collection-c1', { indexedDB: factory, IDBKeyRange });
    old.version(5).stores({
      updates: '++seq',
      items: 'id, addedAt, [status+addedAt], *tags',
      meta: 'key',
    });
    await old.table('items').bulkPut(rows);
    await old.table('meta').put({ key: 'rowsVersion', value: ROWS_VERSION });
    old.close();
    const db = new CollectionDb('c1', factory, IDBKeyRange);
    const store = new RowStore();
    await showFirstScreen(db, store);
    expect(store.view('unread').map((r) => r.id)).toEqual([ids[1], ids[2]]);
    expect(sortRows(await db.items.toArray())).toEqual(rows);
    expect(db.items.schema.indexes.map((index) => index.name)).toEqual(['[status+addedAt]']);
    db.close();
  });

  it('counts a change as pending until it is durable', async () => {
    const { lib } = await open(new IDBFactory());
    addItem(lib.doc, { url: 'https://example.com/p' }, { memberId: me.id });
    expect(lib.pendingWrites()).toBeGreaterThan(0);
    await lib.log!.flushed();
    expect(lib.pendingWrites()).toBe(0);
    await lib.close();
  });
});
