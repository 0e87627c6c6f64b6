import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  cleanUrl,
  itemIdForKey,
  normalizeTag,
  urlKey,
  type ItemRow,
  type PublicationRecord,
} from '../model';
import {
  hasUrl,
  Materializer,
  addItem,
  changeItemUrl,
  recordPublication,
  emptyTrash,
  maps,
  markRead,
  markRemoved,
  markUnread,
  materializeAll,
  moveToTrash,
  noteForWriting,
  purgeItems,
  renameTag,
  restoreFromTrash,
  setPublicationBlurb,
  setPublicationHeadline,
  setTags,
  updateItem,
  FIELD_SCHEMAS,
  itemAt,
  itemIdForUrl,
  readItem,
  type Actor,
  type ItemField,
  type RowChanges,
} from '.';

/** Types a paragraph at the end of the note, as the note editor does. */
function typeInNote(doc: Y.Doc, id: string, text: string): void {
  doc.transact(() => {
    const note = noteForWriting(doc, id);
    const prefix = note.length && !note.toString().endsWith('\n') ? '\n' : '';
    const body = text.endsWith('\n') ? text : `${text}\n`;
    note.insert(note.length, prefix + body);
  });
}

const URLS = [
  'https://example.com/a',
  'https://www.example.com/a/?utm_source=x',
  'https://jepsen.io/analyses',
  'https://aphyr.com/posts/1',
  'https://martin.kleppmann.com/papers/',
  'https://raft.github.io/',
];
const TAGS = ['crdt', 'consensus', 'Distributed Systems', 'db', 'papers'];
const MEMBERS = ['ana', 'ben'];

type Cmd =
  | { t: 'add'; url: number; title: string; tags: number[]; note: string; by: number }
  | { t: 'update'; url: number; title?: string; description?: string }
  | { t: 'setTags'; url: number; tags: number[] }
  | { t: 'rename'; from: number; to: number }
  | { t: 'read'; url: number; by: number }
  | { t: 'unread'; url: number; by: number }
  | { t: 'trash'; url: number }
  | { t: 'restore'; url: number }
  | { t: 'purge'; url: number }
  | { t: 'emptyTrash' }
  | { t: 'note'; url: number; text: string };

const idx = (n: number) => fc.nat(n - 1);
const text = fc.string({ maxLength: 12 });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({
    t: fc.constant('add' as const),
    url: idx(URLS.length),
    title: text,
    tags: fc.array(idx(TAGS.length), { maxLength: 3 }),
    note: text,
    by: idx(2),
  }),
  fc.record({
    t: fc.constant('update' as const),
    url: idx(URLS.length),
    title: fc.option(text, { nil: undefined }),
    description: fc.option(text, { nil: undefined }),
  }),
  fc.record({
    t: fc.constant('setTags' as const),
    url: idx(URLS.length),
    tags: fc.array(idx(TAGS.length), { maxLength: 3 }),
  }),
  fc.record({ t: fc.constant('rename' as const), from: idx(TAGS.length), to: idx(TAGS.length) }),
  fc.record({ t: fc.constant('read' as const), url: idx(URLS.length), by: idx(2) }),
  fc.record({ t: fc.constant('unread' as const), url: idx(URLS.length), by: idx(2) }),
  fc.record({ t: fc.constant('trash' as const), url: idx(URLS.length) }),
  fc.record({ t: fc.constant('restore' as const), url: idx(URLS.length) }),
  fc.record({ t: fc.constant('purge' as const), url: idx(URLS.length) }),
  fc.constant({ t: 'emptyTrash' as const }),
  fc.record({
    t: fc.constant('note' as const),
    url: idx(URLS.length),
    text: fc.string({ minLength: 1, maxLength: 8 }),
  }),
);

interface ModelItem {
  url: string;
  title: string;
  description: string;
  addedAt: number;
  addedBy: string;
  deletedAt: number | null;
  tags: Set<string>;
  note: string;
  readBy: Map<string, number>;
}

/** The obvious, non-CRDT meaning of each mutation on a single replica. */
class Model {
  items = new Map<string, ModelItem>();
  idOf(url: string) {
    return itemIdForKey(urlKey(url));
  }
  appendNote(item: ModelItem, textIn: string) {
    if (!textIn) return;
    const body = textIn.endsWith('\n') ? textIn : textIn + '\n';
    item.note += (item.note.length && !item.note.endsWith('\n') ? '\n' : '') + body;
  }
  run(cmd: Cmd, now: number) {
    const url = 'url' in cmd ? URLS[cmd.url]! : '';
    const id = url ? this.idOf(url) : '';
    const item = this.items.get(id);
    switch (cmd.t) {
      case 'add': {
        const tags = cmd.tags.map((i) => normalizeTag(TAGS[i]!));
        if (item) {
          if (item.deletedAt == null) return;
          item.deletedAt = null;
          tags.forEach((t) => item.tags.add(t));
          this.appendNote(item, cmd.note);
          return;
        }
        const fresh: ModelItem = {
          url: cleanUrl(url),
          title: cmd.title.trim(),
          description: '',
          addedAt: now,
          addedBy: MEMBERS[cmd.by]!,
          deletedAt: null,
          tags: new Set(tags),
          note: '',
          readBy: new Map(),
        };
        this.appendNote(fresh, cmd.note);
        this.items.set(id, fresh);
        return;
      }
      case 'update':
        if (!item) return;
        if (cmd.title !== undefined) item.title = cmd.title.trim();
        if (cmd.description !== undefined) item.description = cmd.description.trim();
        return;
      case 'setTags':
        if (item) item.tags = new Set(cmd.tags.map((i) => normalizeTag(TAGS[i]!)));
        return;
      case 'rename': {
        const from = normalizeTag(TAGS[cmd.from]!);
        const to = normalizeTag(TAGS[cmd.to]!);
        if (from === to) return;
        for (const it of this.items.values()) if (it.tags.delete(from)) it.tags.add(to);
        return;
      }
      case 'read':
        if (item && !item.readBy.has(MEMBERS[cmd.by]!)) item.readBy.set(MEMBERS[cmd.by]!, now);
        return;
      case 'unread':
        item?.readBy.delete(MEMBERS[cmd.by]!);
        return;
      case 'trash':
        if (item && item.deletedAt == null) item.deletedAt = now;
        return;
      case 'restore':
        if (item) item.deletedAt = null;
        return;
      case 'purge':
        this.items.delete(id);
        return;
      case 'emptyTrash':
        for (const [k, it] of this.items) if (it.deletedAt != null) this.items.delete(k);
        return;
      case 'note':
        if (item) this.appendNote(item, cmd.text);
        return;
    }
  }
  rows(me: string) {
    return [...this.items].map(([id, it]) => ({
      id,
      url: it.url,
      title: it.title,
      description: it.description,
      tags: [...it.tags].sort(),
      note: it.note,
      addedAt: it.addedAt,
      deletedAt: it.deletedAt,
      readBy: Object.fromEntries(it.readBy),
      status: it.deletedAt != null ? 'trash' : it.readBy.has(me) ? 'read' : 'unread',
    }));
  }
}

function runOnDoc(doc: Y.Doc, cmd: Cmd, now: number) {
  const actor = (by = 0): Actor => ({ memberId: MEMBERS[by]!, now: () => now });
  const url = 'url' in cmd ? URLS[cmd.url]! : '';
  const id = url ? itemIdForKey(urlKey(url)) : '';
  switch (cmd.t) {
    case 'add':
      return addItem(
        doc,
        { url, title: cmd.title, tags: cmd.tags.map((i) => TAGS[i]!), note: cmd.note },
        actor(cmd.by),
      );
    case 'update':
      return updateItem(doc, id, { title: cmd.title, description: cmd.description }, actor());
    case 'setTags':
      return setTags(
        doc,
        id,
        cmd.tags.map((i) => TAGS[i]!),
        actor(),
      );
    case 'rename':
      return renameTag(doc, TAGS[cmd.from]!, TAGS[cmd.to]!, actor());
    case 'read':
      return markRead(doc, [id], actor(cmd.by));
    case 'unread':
      return markUnread(doc, [id], actor(cmd.by));
    case 'trash':
      return moveToTrash(doc, [id], actor());
    case 'restore':
      return restoreFromTrash(doc, [id], actor());
    case 'purge':
      return purgeItems(doc, [id], actor());
    case 'emptyTrash':
      return emptyTrash(doc, actor());
    case 'note':
      return url && hasUrl(doc.getMap('items'), id) ? typeInNote(doc, id, cmd.text) : undefined;
  }
}

const comparable = (rows: ItemRow[]) =>
  rows
    .map(({ id, url, title, description, tags, note, addedAt, deletedAt, readBy, status }) => ({
      id,
      url,
      title,
      description,
      tags,
      note,
      addedAt,
      deletedAt,
      readBy,
      status,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));

const PUBLISHED: PublicationRecord = {
  target: 'site',
  key: 'moved-a',
  by: 'ana',
  at: 1_700_000_000_000,
  state: 'published',
  url: 'https://blog.example/moved-a',
};

describe('collection mutations', () => {
  it('materialise to the same rows as a plain reference model', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 60 }), (cmds) => {
        const doc = new Y.Doc();
        const model = new Model();
        // The incremental materialiser must agree with a from-scratch one at the end.
        const live = new Map<string, ItemRow>();
        const m = new Materializer(doc, 'ana');
        m.subscribe((c: RowChanges) => {
          c.upserts.forEach((r) => live.set(r.id, r));
          c.removals.forEach((id) => live.delete(id));
        });
        cmds.forEach((cmd, i) => {
          runOnDoc(doc, cmd, 1000 + i);
          model.run(cmd, 1000 + i);
        });
        const rows = materializeAll(doc, 'ana');
        expect(comparable(rows)).toEqual(
          model.rows('ana').sort((a, b) => a.id.localeCompare(b.id)),
        );
        expect(comparable([...live.values()])).toEqual(comparable(rows));
      }),
      { numRuns: 200 },
    );
  });

  it('made before the document arrives, reports what one made after does', () => {
    const chunks = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(
        fc.array(cmdArb, { maxLength: 40 }),
        fc.array(cmdArb, { maxLength: 10 }),
        chunks,
        (history, after, sizes) => {
          const source = new Y.Doc();
          const updates: Uint8Array[] = [];
          source.on('update', (update: Uint8Array) => updates.push(update));
          history.forEach((cmd, i) => runOnDoc(source, cmd, 1000 + i));
          // A moved link and a publication record: the indexes the replay has to keep current.
          const moved = addItem(source, { url: 'https://moved.example/a' }, { memberId: 'ana' });
          markRead(source, [moved.id], { memberId: 'ana' });
          recordPublication(source, moved.id, PUBLISHED, { memberId: 'ana' });
          changeItemUrl(source, moved.id, 'https://moved.example/b', { memberId: 'ana' });

          // The log arrives in transactions of a few updates each, with nobody listening yet.
          const doc = new Y.Doc();
          const m = new Materializer(doc, 'ana');
          for (let at = 0, i = 0; at < updates.length; at += sizes[i++ % sizes.length]!) {
            const batch = updates.slice(at, at + sizes[i % sizes.length]!);
            doc.transact(() => batch.forEach((update) => Y.applyUpdate(doc, update)));
          }
          const byId = (rows: ItemRow[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
          expect(byId(m.rows())).toEqual(byId(materializeAll(doc, 'ana')));

          const live = new Map(m.rows().map((row) => [row.id, row]));
          m.subscribe((c: RowChanges) => {
            c.upserts.forEach((r) => live.set(r.id, r));
            c.removals.forEach((id) => live.delete(id));
          });
          after.forEach((cmd, i) => runOnDoc(doc, cmd, 5000 + i));
          changeItemUrl(
            doc,
            itemIdForKey(urlKey('https://moved.example/b')),
            'https://moved.example/c',
            {
              memberId: 'ana',
            },
          );
          expect(byId([...live.values()])).toEqual(byId(materializeAll(doc, 'ana')));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps a row readable when words and removed keys sit beside its publication records', () => {
    const doc = new Y.Doc();
    const actor = { memberId: 'ana' };
    const { id } = addItem(doc, { url: 'https://queue.example/pick', title: 'Pick' }, actor);
    setPublicationBlurb(doc, id, 'bluesky', 'Queued with these words.', actor);
    setPublicationHeadline(doc, id, 'A headline', actor);
    markRemoved(doc, id, 'bluesky', '3kabc', actor);
    expect(materializeAll(doc, 'ana')[0]?.unreadable).toBeUndefined();
    // A record that cannot be read still marks it.
    maps(doc).publications.set(`${id}/bluesky`, { target: 'bluesky', state: 42 });
    expect(materializeAll(doc, 'ana')[0]?.unreadable).toEqual(['publications']);
  });

  it('recognises an already saved link instead of duplicating it', () => {
    const doc = new Y.Doc();
    const actor = { memberId: 'ana' };
    const first = addItem(doc, { url: 'https://example.com/a' }, actor);
    const again = addItem(doc, { url: 'https://www.example.com/a/?utm_source=feed#x' }, actor);
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(materializeAll(doc, 'ana')).toHaveLength(1);
  });
});

describe('a new link', () => {
  const actor = { memberId: 'ana', now: () => 1_700_000_000_000 };
  const keysOf = (doc: Y.Doc, id: string) =>
    [...maps(doc).items.keys()].filter((key) => key.startsWith(`${id}/`)).sort();

  it('is one saved record, without the fields that hold what a reader assumes for a missing one', () => {
    const doc = new Y.Doc();
    const { id } = addItem(doc, { url: 'https://example.com/a', title: 'A' }, actor);
    expect(keysOf(doc, id)).toEqual([`${id}/saved`]);
    expect(maps(doc).items.get(`${id}/saved`)).toEqual({
      url: 'https://example.com/a',
      key: 'example.com/a',
      title: 'A',
      addedAt: 1_700_000_000_000,
      addedBy: 'ana',
    });
    expect(materializeAll(doc, 'ana')[0]).toMatchObject({
      title: 'A',
      description: '',
      image: null,
      deletedAt: null,
      status: 'unread',
    });
    const full = addItem(
      doc,
      { url: 'https://example.com/b', description: 'B', image: 'https://example.com/b.png' },
      actor,
    );
    expect(maps(doc).items.get(`${full.id}/saved`)).toMatchObject({
      description: 'B',
      image: 'https://example.com/b.png',
    });
  });

  it('is edited a field at a time: a field’s own key wins over the saved record', () => {
    const doc = new Y.Doc();
    const { id } = addItem(doc, { url: 'https://example.com/a', title: 'A' }, actor);
    const saved = maps(doc).items.get(`${id}/saved`);
    updateItem(doc, id, { title: 'Renamed' }, actor);
    moveToTrash(doc, [id], actor);
    expect(keysOf(doc, id)).toEqual([
      `${id}/deletedAt`,
      `${id}/deletedBy`,
      `${id}/saved`,
      `${id}/title`,
    ]);
    expect(maps(doc).items.get(`${id}/saved`)).toBe(saved);
    expect(materializeAll(doc, 'ana')[0]).toMatchObject({ title: 'Renamed', status: 'trash' });
    // Another replica's concurrent edit of another field merges with this one.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    updateItem(other, id, { description: 'From the other replica' }, actor);
    restoreFromTrash(doc, [id], actor);
    sync(doc, other);
    expect(materializeAll(other, 'ana')[0]).toMatchObject({
      title: 'Renamed',
      description: 'From the other replica',
      status: 'unread',
    });
  });

  it('under an id that moved into another item, is read only as that id’s URL', () => {
    const doc = new Y.Doc();
    const { id } = addItem(doc, { url: 'https://example.com/old', title: 'Old' }, actor);
    const moved = changeItemUrl(doc, id, 'https://example.com/new', actor);
    // The old id keeps its record, which still says where it was saved from...
    expect(keysOf(doc, id)).toEqual([`${id}/saved`]);
    expect(itemAt(doc, id)).toEqual({ id: moved, movedIn: [id] });
    updateItem(doc, moved, { title: 'New' }, actor);
    expect(materializeAll(doc, 'ana')).toMatchObject([{ id: moved, title: 'New' }]);
    // ...while an edit under the old id, by a replica unaware of the move, is read as before.
    maps(doc).items.set(`${id}/title`, 'Edited unaware');
    expect(materializeAll(doc, 'ana')).toMatchObject([{ id: moved, title: 'Edited unaware' }]);
  });

  it('is not read from a record that is no object, nor from what its prototype holds', () => {
    const doc = new Y.Doc();
    const { items } = maps(doc);
    const ids = ['https://a.example/', 'https://b.example/', 'https://c.example/'].map((url) =>
      itemIdForUrl(url),
    );
    items.set(`${ids[0]}/saved`, 'https://a.example/');
    items.set(`${ids[1]}/saved`, ['https://b.example/']);
    // JSON.parse makes `__proto__` an own key; decoded by Yjs it becomes the object's prototype.
    items.set(`${ids[2]}/saved`, JSON.parse('{"__proto__": {"url": "https://c.example/"}}'));
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    for (const d of [doc, replica]) {
      expect(materializeAll(d, 'ana')).toEqual([]);
      expect(ids.map((id) => itemAt(d, id))).toEqual([null, null, null]);
    }
  });

  it('reads the same from a saved record as from the same values under their own keys', () => {
    const FIELDS = Object.keys(FIELD_SCHEMAS) as ItemField[];
    const value = fc.oneof(
      fc.constantFrom('https://example.com/x', 'javascript:alert(1)', '', 'x'.repeat(5000)),
      fc.string(),
      fc.integer(),
      fc.constantFrom(null, true, 1.5, -1, 1_700_000_000_000),
      fc.array(fc.string(), { maxLength: 2 }),
    );
    fc.assert(
      // A plain object, as Yjs stores one (fast-check's have no prototype).
      fc.property(
        fc.dictionary(fc.constantFrom(...FIELDS), value).map((d) => ({ ...d })),
        (fields) => {
          const id = itemIdForUrl('https://example.com/x');
          const asRecord = new Y.Doc();
          maps(asRecord).items.set(`${id}/saved`, fields);
          const asKeys = new Y.Doc();
          for (const [field, v] of Object.entries(fields))
            maps(asKeys).items.set(`${id}/${field}`, v);
          const read = (doc: Y.Doc) => readItem(maps(doc).items, id);
          expect(read(asRecord)).toEqual(read(asKeys));
        },
      ),
    );
  });

  it('is live even where its id, or an id moved into it, holds an old Trash mark', () => {
    const doc = new Y.Doc();
    const { items } = maps(doc);
    const first = addItem(doc, { url: 'https://example.com/old' }, actor);
    const moved = changeItemUrl(doc, first.id, 'https://example.com/new', actor);
    // A replica unaware of the move trashes the old id; the new id's URL and mark are damaged.
    items.set(`${first.id}/deletedAt`, 5);
    items.set(`${moved}/url`, 42);
    items.delete(`${moved}/deletedAt`);
    const again = addItem(doc, { url: 'https://example.com/new' }, actor);
    expect(again).toEqual({ id: moved, created: true });
    expect(materializeAll(doc, 'ana')).toMatchObject([{ id: moved, deletedAt: null }]);

    // Saved afresh over its own unreadable URL, the id's leftover mark is written over.
    const other = addItem(doc, { url: 'https://example.com/other' }, actor);
    items.set(`${other.id}/url`, 42);
    items.set(`${other.id}/deletedAt`, 5);
    addItem(doc, { url: 'https://example.com/other' }, actor);
    expect(materializeAll(doc, 'ana').find((row) => row.id === other.id)?.deletedAt).toBeNull();
  });
});

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('merging replicas', () => {
  it('two replicas adding the same URL offline end with one item carrying both tags and both notes', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addItem(
      a,
      { url: 'https://example.com/post', tags: ['crdt'], note: 'note from ana' },
      { memberId: 'ana' },
    );
    addItem(
      b,
      { url: 'https://www.example.com/post/', tags: ['yjs'], note: 'note from ben' },
      { memberId: 'ben' },
    );
    sync(a, b);
    const rows = materializeAll(a, 'ana');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tags).toEqual(['crdt', 'yjs']);
    expect(rows[0]!.note).toContain('note from ana');
    expect(rows[0]!.note).toContain('note from ben');
    expect(comparable(materializeAll(b, 'ana'))).toEqual(comparable(rows));
  });

  it('an edit concurrent with a delete survives in Trash and comes back on restore', () => {
    const a = new Y.Doc();
    const { id } = addItem(a, { url: 'https://example.com/x', title: 'Old' }, { memberId: 'ana' });
    const b = new Y.Doc();
    sync(a, b);
    moveToTrash(a, [id], { memberId: 'ana' });
    updateItem(b, id, { title: 'New title' }, { memberId: 'ben' });
    setTags(b, id, ['kept'], { memberId: 'ben' });
    typeInNote(b, id, 'typed while it was deleted');
    sync(a, b);
    const [row] = materializeAll(a, 'ana');
    expect(row!.status).toBe('trash');
    expect(row!.title).toBe('New title');
    restoreFromTrash(a, [id], { memberId: 'ana' });
    const [restored] = materializeAll(a, 'ana');
    expect(restored).toMatchObject({ status: 'unread', title: 'New title', tags: ['kept'] });
    expect(restored!.note).toContain('typed while it was deleted');
  });

  it('a concurrent tag add beats a concurrent remove of the same tag', () => {
    const a = new Y.Doc();
    const { id } = addItem(a, { url: 'https://example.com/t', tags: ['x'] }, { memberId: 'ana' });
    const b = new Y.Doc();
    sync(a, b);
    setTags(a, id, [], { memberId: 'ana' });
    setTags(b, id, ['x', 'y'], { memberId: 'ben' });
    sync(a, b);
    expect(materializeAll(a, 'ana')[0]!.tags).toEqual(['y']);
  });

  it('never loses text typed into notes on any replica, whatever the interleaving (no nested-type clobbering)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            idx(3),
            idx(URLS.length),
            fc.string({ minLength: 3, maxLength: 8 }).map((s) => `«${s}»`),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        fc.array(fc.tuple(idx(3), idx(3)), { maxLength: 10 }),
        (writes, syncs) => {
          const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
          const fresh: Array<[number, number, string]> = [];
          writes.forEach(([replica, url, note], i) => {
            const r = addItem(
              docs[replica]!,
              { url: URLS[url]!, note, tags: [`t${replica}`] },
              { memberId: `m${replica}` },
            );
            if (r.created) fresh.push([replica, url, note]);
            const s = syncs[i];
            if (s) sync(docs[s[0]]!, docs[s[1]]!);
          });
          sync(docs[0]!, docs[1]!);
          sync(docs[1]!, docs[2]!);
          sync(docs[0]!, docs[1]!);
          const rows = comparable(materializeAll(docs[0]!, 'm0'));
          for (const d of docs) expect(comparable(materializeAll(d, 'm0'))).toEqual(rows);
          // Whatever a replica typed when it created an item is in the merged item.
          for (const [replica, url, note] of fresh) {
            const id = itemIdForKey(urlKey(URLS[url]!));
            const row = rows.find((r) => r.id === id)!;
            expect(row.tags).toContain(`t${replica}`);
            expect(row.note).toContain(note);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
