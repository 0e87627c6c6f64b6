import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addItem,
  addTags,
  appendNote,
  commitImport,
  listImports,
  markRead,
  materializeAll,
  moveToTrash,
  primaryNote,
  readImport,
  readNote,
  removeTags,
  undoImport,
  updateItem,
  writeNoteExactly,
  type Actor,
  type ImportEntry,
} from '.';
import { ROOT } from './schema';
import { importEntry } from './imports.testing';

const ana: Actor = { memberId: 'ana', now: () => 1_700_000_000_000 };
const ben: Actor = { memberId: 'ben', now: () => 1_700_000_100_000 };

function replica(clientID: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return doc;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

const rowsOf = (doc: Y.Doc, me = 'ana') =>
  new Map(materializeAll(doc, me).map((row) => [row.url, row]));

const commit = (doc: Y.Doc, entries: ImportEntry[], actor = ana, id = '3lbimport2aaa') =>
  commitImport(doc, { id, format: 'netscape', source: 'bookmarks.html', entries }, actor);

describe('commitImport', () => {
  it('creates new links, adds to saved ones without overwriting, and records the import', () => {
    const doc = replica(1);
    addItem(
      doc,
      { url: 'https://saved.example/', title: 'Mine', tags: ['old'], note: 'my words' },
      ana,
    );
    addItem(doc, { url: 'https://trashed.example/' }, ana);
    moveToTrash(doc, [importEntry({ url: 'https://trashed.example/' }).id], {
      ...ana,
      now: () => 5,
    });

    const outcome = commit(doc, [
      importEntry({ url: 'https://new.example/a', title: 'New A', tags: ['raft'], addedAt: 1000 }),
      importEntry({
        url: 'https://saved.example/',
        title: 'Theirs',
        tags: ['old', 'fresh'],
        note: 'their words',
        read: true,
        readAt: 2000,
        publications: [
          {
            target: 'bluesky',
            key: '3kabc2def3ghi',
            at: 3000,
            state: 'published',
            url: 'https://bsky.app/x',
          },
        ],
      }),
      importEntry({ url: 'https://trashed.example/' }),
      importEntry({ url: 'https://new.example/b' }),
    ]);

    expect(outcome).toMatchObject({ created: 2, merged: 2 });
    const rows = rowsOf(doc);
    expect(rows.get('https://new.example/a')).toMatchObject({
      title: 'New A',
      tags: ['raft'],
      addedAt: 1000,
    });
    // Undated links are dated a millisecond apart in the order given, the first newest.
    expect(rows.get('https://new.example/b')?.addedAt).toBe(ana.now!() - 3);
    expect(rows.get('https://saved.example/')).toMatchObject({
      title: 'Mine',
      tags: ['fresh', 'old'],
      note: 'my words\ntheir words\n',
      readAt: 2000,
      publications: { bluesky: { by: 'ana', key: '3kabc2def3ghi', state: 'published' } },
    });
    expect(rows.get('https://trashed.example/')?.status).toBe('unread');
    expect(listImports(doc)).toEqual([
      expect.objectContaining({
        id: '3lbimport2aaa',
        by: 'ana',
        format: 'netscape',
        source: 'bookmarks.html',
        created: [
          importEntry({ url: 'https://new.example/a' }).id,
          importEntry({ url: 'https://new.example/b' }).id,
        ],
        merged: 2,
        restored: [
          {
            id: importEntry({ url: 'https://trashed.example/' }).id,
            deletedAt: 5,
            deletedBy: 'ana',
          },
        ],
        undone: null,
      }),
    ]);
  });

  it('writes only the fields that differ from what a missing field reads as', () => {
    const doc = replica(1);
    const entry = importEntry({ url: 'https://new.example/', title: 'T' });
    commit(doc, [entry]);
    const keys = [...doc.getMap('items').keys()].map((k) => k.split('/')[1]);
    expect(keys).toEqual(['saved']);
    const saved = doc.getMap('items').get(`${entry.id}/saved`) as object;
    expect(Object.keys(saved).sort()).toEqual(['addedAt', 'addedBy', 'key', 'title', 'url']);
    expect(rowsOf(doc).get('https://new.example/')).toMatchObject({
      description: '',
      image: null,
      deletedAt: null,
      status: 'unread',
    });
  });

  it('changes nothing, and records nothing, when the file brings nothing new', () => {
    const doc = replica(1);
    const entries = [
      importEntry({ url: 'https://a.example/', tags: ['x'], note: 'n', read: true, readAt: 5 }),
    ];
    commit(doc, entries);
    const before = Y.encodeStateVector(doc);
    const again = commit(doc, entries, ana, '3lbimport2bbb');
    expect(again).toEqual({ record: null, created: 0, merged: 0 });
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(listImports(doc)).toHaveLength(1);
  });
  it('refuses, before writing anything, an entry that could not be stored whole', () => {
    const doc = replica(1);
    const before = Y.encodeStateVector(doc);
    const good = importEntry({ url: 'https://good.example/' });
    const badRecord = importEntry({
      url: 'https://bad.example/',
      origin: 'entry 2',
      publications: [{ target: 'bluesky', key: '', at: 1, state: 'published' }],
    });
    expect(() => commit(doc, [good, badRecord])).toThrow(
      'entry 2: its bluesky record cannot be stored.',
    );
    const notALink = { ...good, item: { ...good.item, url: 'javascript:alert(1)' } };
    expect(() => commit(doc, [notALink])).toThrow('is not an http(s) link');
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});

describe('undoImport', () => {
  it('removes the links it created and takes back what it added, leaving everything else', () => {
    const doc = replica(1);
    addItem(doc, { url: 'https://saved.example/', tags: ['old'], note: 'mine' }, ana);
    addItem(doc, { url: 'https://untouched.example/', title: 'Untouched' }, ana);
    const saved = importEntry({ url: 'https://saved.example/' }).id;
    moveToTrash(doc, [saved], { ...ana, now: () => 7 });
    const before = rowsOf(doc);
    const { record } = commit(doc, [
      importEntry({ url: 'https://new.example/', tags: ['t'], note: 'imported' }),
      importEntry({
        url: 'https://saved.example/',
        tags: ['fresh'],
        note: 'theirs',
        read: true,
        readAt: 9,
        publications: [{ target: 'bluesky', key: '3kabc2def3ghi', at: 3, state: 'published' }],
      }),
    ]);

    expect(undoImport(doc, record!.id, ana)).toEqual({ removed: 1, kept: 0, reverted: 1 });
    expect(rowsOf(doc)).toEqual(before);
    expect(readNote(doc, [importEntry({ url: 'https://new.example/' }).id])).toBe('');
    expect(readImport(doc, record!.id)?.undone).toEqual({
      at: ana.now!(),
      by: 'ana',
      removed: 1,
      kept: 0,
    });
    expect(() => undoImport(doc, record!.id, ana)).toThrow('undone already');
  });

  it('keeps a link it created once someone has changed it, with everything on it', () => {
    const a = replica(1);
    const b = replica(2);
    const entries = ['e', 't', 'n', 'x', 'r', 'untag', 'cut'].map((s) =>
      importEntry({ url: `https://new.example/${s}`, tags: ['imported'], note: 'from the file' }),
    );
    const { record } = commit(a, entries);
    sync(a, b);
    const id = (s: string) => importEntry({ url: `https://new.example/${s}` }).id;
    updateItem(b, id('e'), { title: 'Edited' }, ben);
    addTags(b, [id('t')], ['theirs'], ben);
    appendNote(b, id('n'), 'their note', ben);
    moveToTrash(b, [id('x')], ben);
    markRead(b, [id('r')], ben);
    removeTags(b, [id('untag')], ['imported'], ben);
    const cut = primaryNote(b, id('cut'))!;
    cut.delete(0, 4);
    sync(a, b);

    expect(undoImport(a, record!.id, ana)).toEqual({ removed: 1, kept: 6, reverted: 0 });
    sync(a, b);
    const rows = rowsOf(b, 'ben');
    expect([...rows.keys()].sort()).toEqual(
      ['e', 't', 'n', 'x', 'untag', 'cut'].map((s) => `https://new.example/${s}`).sort(),
    );
    expect(rows.get('https://new.example/t')?.tags).toEqual(['imported', 'theirs']);
    expect(rows.get('https://new.example/e')?.title).toBe('Edited');
  });

  it('keeps a link another replica saved at the same time, even where the import won every field', () => {
    for (const [importer, other] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const a = replica(importer);
      const b = replica(other);
      const { record } = commit(a, [importEntry({ url: 'https://both.example/', title: 'T' })]);
      addItem(b, { url: 'https://both.example/', title: 'T' }, ben);
      sync(a, b);
      expect(undoImport(a, record!.id, ana)).toMatchObject({ removed: 0, kept: 1 });
      sync(a, b);
      expect(rowsOf(b).has('https://both.example/')).toBe(true);
    }
  });

  it('leaves a tag another replica added at the same time as the import', () => {
    for (const [importer, other] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const a = replica(importer);
      const b = replica(other);
      addItem(a, { url: 'https://saved.example/' }, ana);
      sync(a, b);
      const id = importEntry({ url: 'https://saved.example/' }).id;
      const { record } = commit(a, [
        importEntry({ url: 'https://saved.example/', tags: ['shared'] }),
      ]);
      addTags(b, [id], ['shared'], ben);
      sync(a, b);
      undoImport(a, record!.id, ana);
      sync(a, b);
      expect(rowsOf(b).get('https://saved.example/')?.tags).toEqual(['shared']);
    }
  });

  it('takes back only its own note text, around what others typed into it since', () => {
    const doc = replica(1);
    addItem(doc, { url: 'https://saved.example/' }, ana);
    const id = importEntry({ url: 'https://saved.example/' }).id;
    // Typed just before the import by the same client: Yjs merges the two runs of text.
    appendNote(doc, id, 'typed', ana);
    const { record } = commit(doc, [
      importEntry({ url: 'https://saved.example/', note: 'from the file' }),
    ]);
    const note = primaryNote(doc, id)!;
    note.insert(note.toString().indexOf('the'), 'all of ');
    undoImport(doc, record!.id, ana);
    expect(note.toString()).toBe('typed\nall of ');
  });

  it('puts a link it brought back from Trash back there, unless someone moved it since', () => {
    const a = replica(1);
    addItem(a, { url: 'https://x.example/' }, ana);
    addItem(a, { url: 'https://y.example/' }, ana);
    const x = importEntry({ url: 'https://x.example/' }).id;
    const y = importEntry({ url: 'https://y.example/' }).id;
    moveToTrash(a, [x, y], { ...ana, now: () => 42 });
    const { record } = commit(a, [
      importEntry({ url: 'https://x.example/' }),
      importEntry({ url: 'https://y.example/' }),
    ]);
    moveToTrash(a, [y], { ...ben, now: () => 99 });
    undoImport(a, record!.id, ana);
    const rows = rowsOf(a);
    expect(rows.get('https://x.example/')).toMatchObject({ status: 'trash', deletedAt: 42 });
    expect(rows.get('https://y.example/')).toMatchObject({ status: 'trash', deletedAt: 99 });
  });

  it('works on another replica, after a reload from the stored document', () => {
    const a = replica(1);
    const { record } = commit(a, [importEntry({ url: 'https://new.example/' })]);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(a));
    expect(undoImport(reloaded, record!.id, ben)).toMatchObject({ removed: 1 });
    expect(rowsOf(reloaded).size).toBe(0);
  });

  it('refuses a record that does not name its own writes', () => {
    const doc = replica(1);
    addItem(doc, { url: 'https://victim.example/' }, ana);
    const victim = importEntry({ url: 'https://victim.example/' }).id;
    // A forged record claiming the victim's writes, written later by another client.
    const forger = replica(9);
    sync(doc, forger);
    forger.getMap(ROOT.imports).set('3lbforged2aaa', {
      id: '3lbforged2aaa',
      at: 1,
      by: 'mallory',
      format: 'netscape',
      created: [victim],
      merged: 0,
      writes: { client: 1, clock: 0, length: 5 },
      restored: [],
    });
    sync(doc, forger);
    expect(listImports(doc)).toEqual([]);
    expect(() => undoImport(doc, '3lbforged2aaa', ana)).toThrow('not recorded');
    doc.getMap(ROOT.imports).set('3lbbroken2aaa', { id: 7 });
    expect(listImports(doc)).toEqual([]);
  });
});

describe('writeNoteExactly', () => {
  it('writes a note as given, without the line break appending adds', () => {
    const doc = replica(1);
    addItem(doc, { url: 'https://a.example/' }, ana);
    const id = importEntry({ url: 'https://a.example/' }).id;
    expect(writeNoteExactly(doc, id, 'no break', ana)).toBe(true);
    expect(readNote(doc, [id])).toBe('no break');
    expect(writeNoteExactly(doc, id, 'again', ana)).toBe(false);
  });
});
