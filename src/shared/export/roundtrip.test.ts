import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addItem,
  markRead,
  materializeAll,
  moveToTrash,
  noteForWriting,
  primaryNote,
  readCollectionMeta,
  recordPublication,
  setCollectionMeta,
  upsertMember,
} from '../collection';
import { cleanUrl, type ItemRow, type Member } from '../model';
import { parseImport, restoreCurioExport } from '../import';
import {
  documentExport,
  serializeCurioJson,
  toCsv,
  toMarkdownList,
  toMarkdownZip,
  toNetscapeBookmarks,
} from '.';

const MEMBERS: Member[] = [
  { id: 'm1', name: 'Ada', color: '#112233' },
  { id: 'm2', name: 'Grace "G" <Hopper>', color: '#445566' },
];

// Words with the characters exports must escape: quotes, markup, commas, formula starts, accents.
const word = fc.constantFrom(
  'raft',
  'Paxos',
  '"quoted"',
  '<b>',
  'a&b',
  'x,y',
  '=SUM(1)',
  '-dash',
  '@at',
  'café',
  '日本',
  "it's",
  '[x]',
  '*s*',
  '#h',
);
const line = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
const paragraphs = fc.array(line, { maxLength: 3 }).map((l) => l.join('\n'));

const itemSpec = fc.record({
  path: fc.stringMatching(/^[a-z0-9]{1,8}$/),
  host: fc.constantFrom('a.example', 'b.example.org', 'xn--caf-dma.example'),
  title: fc.option(line, { nil: '' }),
  description: fc.option(line, { nil: '' }),
  tags: fc.subarray(['distributed', 'systems', 'c++', 'a/b', 'über']),
  note: paragraphs,
  addedAt: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2030, 0, 1) }),
  readers: fc.subarray(['m1', 'm2']),
  trashed: fc.boolean(),
  published: fc.boolean(),
});

type ItemSpec = typeof itemSpec extends fc.Arbitrary<infer T> ? T : never;

function collection(specs: Array<ItemSpec>): Y.Doc {
  const doc = new Y.Doc();
  const actor = { memberId: 'm1', now: () => Date.UTC(2030, 5, 1) };
  setCollectionMeta(
    doc,
    { name: 'Links', siteTitle: 'Distributed <Links>', siteBaseUrl: 'https://links.example/' },
    actor,
  );
  for (const m of MEMBERS) upsertMember(doc, m, { memberId: m.id });
  for (const [i, s] of specs.entries()) {
    const by = i % 2 ? 'm2' : 'm1';
    const { id, created } = addItem(
      doc,
      {
        url: `https://${s.host}/${s.path}`,
        title: s.title,
        description: s.description,
        tags: s.tags,
        note: s.note,
        addedAt: s.addedAt,
      },
      { memberId: by },
    );
    if (!created) continue;
    for (const r of s.readers) markRead(doc, [id], { memberId: r, now: () => s.addedAt + 1000 });
    if (s.published) {
      recordPublication(
        doc,
        id,
        {
          target: 'bluesky',
          key: `3l${s.path.padEnd(11, 'a')}`,
          by,
          at: s.addedAt,
          state: 'published',
          url: 'https://bsky.app/x',
        },
        { memberId: by },
      );
    }
    if (s.trashed) moveToTrash(doc, [id], { memberId: by, now: () => s.addedAt + 2000 });
  }
  return doc;
}

const byId = (rows: ItemRow[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
const bytes = (text: string) => new TextEncoder().encode(text);
const specs = fc.array(itemSpec, { maxLength: 12 });

describe('export then import', () => {
  it('Curio JSON restores a note exactly, even one without a final line break', async () => {
    const doc = collection([]);
    const { id } = addItem(doc, { url: 'https://typed.example/' }, { memberId: 'm1' });
    doc.transact(() => noteForWriting(doc, id).insert(0, 'typed in the editor, no break'));
    const text = serializeCurioJson({
      rows: materializeAll(doc, 'm1'),
      members: MEMBERS,
      collection: {},
      exportedAt: 0,
    });
    const result = await parseImport({ bytes: bytes(text), name: 'curio.json' });
    const restored = new Y.Doc();
    restoreCurioExport(restored, result.curio!, { memberId: 'm1' });
    expect(primaryNote(restored, id)?.toString()).toBe('typed in the editor, no break');
  });

  it('Curio JSON carries a note longer than a row shows, whole', async () => {
    const doc = collection([]);
    const { id } = addItem(doc, { url: 'https://long.example/' }, { memberId: 'm1' });
    const long = 'A long reading note. '.repeat(2_000);
    doc.transact(() => noteForWriting(doc, id).insert(0, long));
    expect(materializeAll(doc, 'm1')[0]!.note.length).toBeLessThan(long.length);
    const text = serializeCurioJson(
      documentExport(doc, { collectionId: 'c1', exportedAt: Date.UTC(2030, 0, 1) }),
    );
    const result = await parseImport({ bytes: bytes(text), name: 'curio.json' });
    const restored = new Y.Doc();
    restoreCurioExport(restored, result.curio!, { memberId: 'm1' });
    expect(primaryNote(restored, id)?.toString()).toBe(long);
  });

  it('Curio JSON into an empty collection gives back the same collection', async () => {
    await fc.assert(
      fc.asyncProperty(specs, async (s) => {
        const doc = collection(s);
        const rows = materializeAll(doc, 'm1');
        const text = serializeCurioJson({
          rows,
          members: MEMBERS,
          collection: { id: 'c1', ...readCollectionMeta(doc) },
          exportedAt: Date.UTC(2030, 0, 1),
        });
        const result = await parseImport({ bytes: bytes(text), name: 'curio.json' });
        expect(result.format).toBe('curio-json');
        expect(result.problems).toEqual([]);
        const restored = new Y.Doc();
        restoreCurioExport(restored, result.curio!, { memberId: 'm1' });
        for (const member of ['m1', 'm2']) {
          expect(byId(materializeAll(restored, member))).toEqual(byId(materializeAll(doc, member)));
        }
        expect(readCollectionMeta(restored)).toEqual(readCollectionMeta(doc));
        expect(restored.getMap('members').toJSON()).toEqual(doc.getMap('members').toJSON());
      }),
      { numRuns: 40 },
    );
  });

  const keeps = (
    rows: ItemRow[],
    items: Awaited<ReturnType<typeof parseImport>>['items'],
    fields: { notes: boolean; tags: boolean; read: boolean },
  ) => {
    expect(items.map((i) => i.url)).toEqual(rows.map((r) => cleanUrl(r.url)));
    items.forEach((item, i) => {
      const row = rows[i]!;
      expect(item.title).toBe(row.title);
      if (fields.tags) expect([...item.tags].sort()).toEqual(row.tags);
      if (fields.read) expect(item.read).toBe(row.readAt !== null);
      if (fields.notes) expect(item.note).toBe(row.note.trim());
    });
  };

  it.each([
    ['bookmarks.html', (rows: ItemRow[]) => bytes(toNetscapeBookmarks(rows))],
    ['links.csv', (rows: ItemRow[]) => bytes(toCsv(rows))],
    ['links.zip', (rows: ItemRow[]) => toMarkdownZip(rows)],
  ] as const)('%s keeps url, title, tags, read state and notes', async (name, serialize) => {
    await fc.assert(
      fc.asyncProperty(specs, async (s) => {
        const rows = materializeAll(collection(s), 'm1');
        if (!rows.length) return;
        const result = await parseImport({ bytes: serialize(rows), name });
        expect(result.problems).toEqual([]);
        const ordered =
          name === 'links.zip'
            ? [...result.items].sort((a, b) => (a.url < b.url ? -1 : 1))
            : result.items;
        const expectedRows =
          name === 'links.zip'
            ? [...rows].sort((a, b) => (cleanUrl(a.url) < cleanUrl(b.url) ? -1 : 1))
            : rows;
        keeps(expectedRows, ordered, { notes: true, tags: true, read: true });
        if (name === 'links.csv' || name === 'links.zip') {
          ordered.forEach((item, i) => expect(item.description).toBe(expectedRows[i]!.description));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('the Markdown list keeps url and title', async () => {
    await fc.assert(
      fc.asyncProperty(specs, async (s) => {
        const rows = materializeAll(collection(s), 'm1');
        if (!rows.length) return;
        const result = await parseImport({
          bytes: bytes(toMarkdownList(rows, 'Links')),
          name: 'links.md',
        });
        keeps(rows, result.items, { notes: false, tags: false, read: false });
      }),
      { numRuns: 40 },
    );
  });

  it('the Markdown ZIP has one file per link, even when titles repeat', () => {
    const same = (path: string): ItemSpec => ({
      path,
      host: 'a.example',
      title: 'Same',
      description: '',
      tags: [],
      note: '',
      addedAt: 0,
      readers: [],
      trashed: false,
      published: false,
    });
    const rows = materializeAll(collection([same('p'), same('q')]), 'm1');
    expect(Object.keys(unzipSync(toMarkdownZip(rows))).length).toBe(2);
  });
});
