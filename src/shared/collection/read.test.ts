// What other members' clients can write that Curio does not: each value is repaired to a safe
// default or skipped, and the row says some of its details could not be read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ItemRowSchema, MAX_ROW_TAGS, MAX_TIME, MAX_TITLE, isHttpUrl } from '../model';
import {
  FIELD_SCHEMAS,
  NewerSchemaError,
  SCHEMA_VERSION,
  addItem,
  maps,
  markRead,
  materializeAll,
  readMembers,
  readField,
  recordPublication,
  schemaCheck,
  upsertMember,
  type ItemField,
} from '.';

const ana = { memberId: 'ana', now: () => 1_700_000_000_000 };

/** A collection with one link, and what another member's stock client then writes into it. */
function damaged(write: (m: ReturnType<typeof maps>, id: string, doc: Y.Doc) => void) {
  const doc = new Y.Doc();
  const { id } = addItem(
    doc,
    { url: 'https://example.com/post', title: 'A post', tags: ['crdt'] },
    ana,
  );
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  write(maps(other), id, other);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
  const rows = materializeAll(doc, 'ana');
  rows.forEach((row) => ItemRowSchema.parse(row));
  return { doc, id, rows };
}

describe('values another client wrote', () => {
  it('a number as the title: the row shows the URL, marked', () => {
    const { rows } = damaged((m, id) => m.items.set(`${id}/title`, 42));
    expect(rows).toMatchObject([
      { title: '', url: 'https://example.com/post', unreadable: ['title'] },
    ]);
  });

  it('an object as the description, a string as the date added, a Y.Map as the title', () => {
    const { rows } = damaged((m, id) => {
      m.items.set(`${id}/description`, { text: 'x' });
      m.items.set(`${id}/addedAt`, '2024-01-01');
      m.items.set(`${id}/title`, new Y.Map());
    });
    expect(rows).toMatchObject([
      { title: '', description: '', addedAt: 0, unreadable: ['addedAt', 'description', 'title'] },
    ]);
  });

  it.each([1e20, -5, NaN, Infinity, 1.5, 253_402_300_800_000])('an absurd date (%s)', (at) => {
    const { rows } = damaged((m, id) => {
      m.items.set(`${id}/addedAt`, at);
      m.items.set(`${id}/deletedAt`, at);
    });
    expect(rows).toMatchObject([{ addedAt: 0, deletedAt: null, status: 'unread' }]);
    expect(rows[0]!.unreadable).toEqual(['addedAt', 'deletedAt']);
  });

  it('a 10 MB title is cut to what a row shows', () => {
    const { rows } = damaged((m, id) => m.items.set(`${id}/title`, 'x'.repeat(10_000_000)));
    expect(rows[0]!.title).toHaveLength(MAX_TITLE);
    expect(rows[0]!.unreadable).toBeUndefined();
  });

  it('keys without an item id make no rows', () => {
    const { rows } = damaged((m) => {
      m.items.set('/url', 'https://a.example/');
      m.items.set('url', 'https://b.example/');
      m.items.set('not-an-id/url', 'https://c.example/');
      m.tags.set('/crdt', true);
      m.reads.set('ana', 5);
    });
    expect(rows.map((row) => row.url)).toEqual(['https://example.com/post']);
  });

  it.each(['javascript:alert(1)', 'data:text/html,hi', 'vbscript:x', 'file:///etc/passwd', 7])(
    'a link whose stored URL is %j has no row, and saving the link again brings it back',
    (url) => {
      const { doc, id, rows } = damaged((m, id) => m.items.set(`${id}/url`, url));
      expect(rows).toEqual([]);
      expect(addItem(doc, { url: 'https://example.com/post' }, ana)).toEqual({ id, created: true });
      expect(materializeAll(doc, 'ana')).toMatchObject([{ id, tags: ['crdt'] }]);
    },
  );

  it('tags holding false, an empty tag and a 5,000-character tag are not shown', () => {
    const { rows } = damaged((m, id) => {
      m.tags.set(`${id}/false-tag@1`, false);
      m.tags.set(`${id}/`, true);
      m.tags.set(`${id}/${'x'.repeat(5000)}`, true);
      m.tags.set(`${id}/Not Normal`, true);
    });
    expect(rows).toMatchObject([{ tags: ['crdt'], unreadable: ['tags'] }]);
  });

  it('more tags than a row shows are cut, marked', () => {
    const { rows } = damaged((m, id) => {
      for (let i = 0; i < MAX_ROW_TAGS + 20; i++) m.tags.set(`${id}/t${i}@1`, true);
    });
    expect(rows[0]!.tags).toHaveLength(MAX_ROW_TAGS);
    expect(rows[0]!.unreadable).toEqual(['tags']);
  });

  it.each(['javascript:alert(1)', 'data:text/html,<b>x</b>', 42])(
    'a publication record with %j as its URL keeps its state, without the URL',
    (url) => {
      const { rows } = damaged((m, id) =>
        m.publications.set(`${id}/site`, {
          target: 'site',
          key: 'k',
          by: 'x',
          at: 1,
          state: 'published',
          url,
        }),
      );
      expect(rows[0]!.publications.site).toEqual({
        target: 'site',
        key: 'k',
        by: 'x',
        at: 1,
        state: 'published',
      });
      expect(rows[0]!.unreadable).toEqual(['publications']);
    },
  );

  it('a read mark that is not a time reads as unread', () => {
    const { rows } = damaged((m, id) => m.reads.set(`${id}/ana`, 'yesterday'));
    expect(rows).toMatchObject([{ status: 'unread', readAt: null, unreadable: ['readBy'] }]);
  });

  it('member records that are null, nameless or someone else’s are skipped', () => {
    const { doc } = damaged((m) => {
      m.members.set('null', null);
      m.members.set('nameless', { id: 'nameless', color: '#000000' });
      m.members.set('blank', { id: 'blank', name: '   ', color: '#000000' });
      m.members.set('imposter', { id: 'ana', name: 'Not Ana', color: '#000000' });
      m.members.set('ben', { id: 'ben', name: 'Ben', color: 'red' });
      m.members.set('long', { id: 'long', name: 'L'.repeat(10_000), color: '#000000' });
    });
    upsertMember(doc, { id: 'ana', name: 'Ana', color: '#2563eb' }, ana);
    expect(readMembers(maps(doc).members)).toEqual([
      { id: 'ana', name: 'Ana', color: '#2563eb' },
      { id: 'ben', name: 'Ben', color: '#888888' },
      { id: 'long', name: 'L'.repeat(80), color: '#000000' },
    ]);
  });
});

describe('isHttpUrl', () => {
  it.each([
    ['https://example.com/', true],
    ['HTTP://Example.com/a?b#c', true],
    ['javascript:alert(1)', false],
    ['data:text/html,hi', false],
    ['vbscript:msgbox', false],
    ['file:///etc/passwd', false],
    [' https://example.com/', false],
    ['https:example.com', false],
    ['//example.com/', false],
    [42, false],
    [null, false],
  ])('%j -> %s', (value, expected) => expect(isHttpUrl(value)).toBe(expected));
});

describe('the schema version', () => {
  it('is written with the first change and never lowered', () => {
    const doc = new Y.Doc();
    expect(schemaCheck(doc)).toEqual({ version: 1, writable: true });
    addItem(doc, { url: 'https://example.com/' }, ana);
    expect(maps(doc).meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
    maps(doc).meta.set('schemaVersion', SCHEMA_VERSION + 1);
    expect(schemaCheck(doc)).toMatchObject({ version: SCHEMA_VERSION + 1, writable: false });
  });

  it('is written when a member opens a collection written before versions', () => {
    const doc = new Y.Doc();
    const me = { id: 'ana', name: 'Ana', color: '#2563eb' };
    maps(doc).members.set('ana', me);
    upsertMember(doc, me, ana);
    expect(maps(doc).meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
  });

  it('makes a newer document read-only, with a message that says what to do', () => {
    const doc = new Y.Doc();
    const { id } = addItem(doc, { url: 'https://example.com/' }, ana);
    maps(doc).meta.set('schemaVersion', SCHEMA_VERSION + 1);
    expect(() => markRead(doc, [id], ana)).toThrow(NewerSchemaError);
    expect(() => markRead(doc, [id], ana)).toThrow('update Curio to change it');
    expect(maps(doc).reads.size).toBe(0);
    // Opening it still works: this member's profile is simply not written.
    upsertMember(doc, { id: 'ana', name: 'Ana', color: '#2563eb' }, ana);
    expect(materializeAll(doc, 'ana')).toHaveLength(1);
  });

  it.each(['3', -1, 2.5, null, { v: 3 }])('ignores a version that is no version (%j)', (value) => {
    const doc = new Y.Doc();
    maps(doc).meta.set('schemaVersion', value);
    expect(schemaCheck(doc)).toEqual({ version: 1, writable: true });
    recordPublication(
      doc,
      'abcdefghijklmnopqrst',
      { target: 'site', key: 'k', by: 'ana', at: 1, state: 'publishing' },
      ana,
    );
    expect(maps(doc).meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
  });
});

describe('readField', () => {
  const FIELDS = Object.keys(FIELD_SCHEMAS) as ItemField[];
  const values = fc.oneof(
    fc.anything(),
    fc.string(),
    fc.string({ minLength: MAX_TITLE - 2, maxLength: MAX_TITLE + 2 }),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.constantFrom('https:foo', 'ftp://a.example/', 'HTTPS://A.EXAMPLE/x', ' https://a.example'),
    fc.integer({ min: -2, max: 2 }),
    fc.constantFrom(MAX_TIME, MAX_TIME + 1, 1.5, NaN, Infinity, -0, 'x'.repeat(65)),
    fc.double(),
    fc.constant(null),
  );

  it('reads every value as its field schema does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), values, (field, value) => {
        const items = new Y.Doc().getMap<unknown>('items');
        items.set(`item1/${field}`, value);
        const parsed = FIELD_SCHEMAS[field].safeParse(value);
        const read = readField(items, 'item1', field);
        if (value === undefined) expect(read).toEqual({ state: 'absent' });
        else if (parsed.success) expect(read).toEqual({ state: 'ok', value: parsed.data });
        else expect(read).toEqual({ state: 'unreadable' });
      }),
      { numRuns: 2_000 },
    );
  });
});
