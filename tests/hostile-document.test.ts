// Anything read from the shared document is untrusted: another member's client can write any
// value of any type under any key of any root. Whatever it writes, materialising, indexing,
// building the site and building a Bluesky post must not throw, and only http(s) URLs may come
// out as links.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  ImportUndoError,
  Materializer,
  NewerSchemaError,
  UrlTakenError,
  addItem,
  changeItemUrl,
  commitImport,
  itemIdForUrl,
  listImports,
  markRead,
  materializeAll,
  movesOf,
  noteForWriting,
  readCollectionMeta,
  readMembers,
  recordPublication,
  schemaCheck,
  setTags,
  undoImport,
  updateItem,
  upsertMember,
  ROOT,
  HighlightIndex,
  nextQueueAction,
  readQueue,
  readSchedule,
  type RowChanges,
} from '../src/shared/collection';
import { importEntry } from '../src/shared/collection/imports.testing';
import { ItemRowSchema, MemberSchema, isHttpUrl, type ItemRow } from '../src/shared/model';
import {
  buildPickPost,
  buildSite,
  pickOf,
  queueTimeline,
  SiteSettingsSchema,
} from '../src/shared/publish';
import { SearchIndex, toSearchDoc } from '../src/shared/search';

const ME = 'ana';
const LEGIT = ['https://example.com/raft', 'https://jepsen.io/analyses', 'https://aphyr.com/p/1'];
const LEGIT_IDS = LEGIT.map(itemIdForUrl);
/** A well-formed id no item has yet, so hostile writes can invent an item. */
const INVENTED = itemIdForUrl('https://invented.example/x');
/** The victim's one import: a new link, and a tag and note added to a saved one. */
const IMPORT_ID = '3lbimport2aaa';
const IMPORTED = 'https://imported.example/paper';
const IDS = [...LEGIT_IDS, INVENTED, itemIdForUrl(IMPORTED)];
const FIELDS = ['url', 'key', 'title', 'description', 'image', 'addedAt', 'addedBy'];
const MORE_FIELDS = ['deletedAt', 'deletedBy', ''];
const HUGE = 'x'.repeat(2_000_000);

/** The victim's collection: a few links with tags, notes, read marks, a publication, members. */
function victimDoc(): Y.Doc {
  const doc = new Y.Doc();
  const actor = { memberId: ME, now: () => 1_700_000_000_000 };
  upsertMember(doc, { id: ME, name: 'Ana', color: '#2563eb' }, actor);
  upsertMember(doc, { id: 'ben', name: 'Ben', color: '#db2777' }, actor);
  LEGIT.forEach((url, i) =>
    addItem(doc, { url, title: `Link ${i}`, tags: ['crdt'], note: `Note ${i}` }, actor),
  );
  markRead(doc, [LEGIT_IDS[0]!], actor);
  recordPublication(
    doc,
    LEGIT_IDS[1]!,
    {
      target: 'site',
      key: 'k1',
      by: ME,
      at: 1,
      state: 'published',
      url: 'https://links.example/k1',
    },
    actor,
  );
  commitImport(
    doc,
    {
      id: IMPORT_ID,
      format: 'netscape',
      source: 'bookmarks.html',
      entries: [
        importEntry({ url: IMPORTED, title: 'Imported', tags: ['paper'], note: 'From a file' }),
        importEntry({ url: LEGIT[2]!, tags: ['imported'], note: 'Added by the import' }),
      ],
    },
    actor,
  );
  return doc;
}

const NASTY_STRINGS = [
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'http:relative',
  'https://ok.example/page',
  '',
  '   ',
  '#',
  '<img src=x onerror=alert(1)>',
  '#000000',
  'x'.repeat(5000),
];

const plainValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e20, -1, 8.64e15 + 1, Number.MAX_SAFE_INTEGER),
  fc.string(),
  fc.constantFrom(...NASTY_STRINGS),
  // Ids, so that `moves` entries can point at items (and at themselves).
  fc.constantFrom(...IDS),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object(),
  fc.array(fc.anything(), { maxLength: 4 }),
  fc.uint8Array({ maxLength: 16 }),
  fc.record(
    {
      id: fc.constantFrom(ME, 'ben', 'mallory', ''),
      name: fc.oneof(fc.string(), fc.constant(HUGE), fc.integer()),
      color: fc.oneof(fc.string(), fc.constant('#123456')),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      target: fc.constantFrom('site', 'bluesky', 'x'),
      key: fc.string({ minLength: 1 }),
      by: fc.constantFrom(ME, 'mallory'),
      at: fc.oneof(fc.nat(), fc.double()),
      state: fc.constantFrom('published', 'publishing', 'failed', 'gone'),
      url: fc.constantFrom(...NASTY_STRINGS),
      blurb: fc.string(),
    },
    { requiredKeys: [] },
  ),
);

/** A value to write: plain data, a huge string, or a nested shared type where plain data belongs. */
type Value = { plain: unknown } | { huge: true } | { nested: 'map' | 'array' | 'text' };
const valueArb: fc.Arbitrary<Value> = fc.oneof(
  { weight: 8, arbitrary: plainValue.map((plain) => ({ plain })) },
  { weight: 1, arbitrary: fc.constant({ huge: true as const }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('map', 'array', 'text').map((nested) => ({ nested })),
  },
);

const partArb = fc.oneof(
  fc.constantFrom(...FIELDS, ...MORE_FIELDS, ME, 'ben', 'site', 'bluesky', 'crdt', 'crdt@7'),
  fc.constantFrom('', 'Bad Tag', 'x'.repeat(5000), '__proto__', 'a/b'),
  // `notes` keys end in a client id: well formed, forged and odd ones.
  fc.constantFrom('1', '7', '42', '007', '4294967295', '1'.repeat(40), '-1', '1.5'),
  fc.string(),
);
const keyArb = fc.oneof(
  fc.tuple(fc.constantFrom(...IDS), partArb).map(([id, part]) => `${id}/${part}`),
  fc.tuple(fc.string(), partArb).map(([id, part]) => `${id}/${part}`),
  fc.constantFrom(...IDS, 'schemaVersion', 'name', 'siteBaseUrl', 'siteTitle', '__proto__', '/'),
  fc.constantFrom(IMPORT_ID, `${IMPORT_ID}/undone`, '3lbforged2aaa'),
  fc.string(),
);

/** Every root map of the document (`notes` included; schema-2 root texts are written separately). */
const MAP_ROOTS = Object.values(ROOT);
type MapRoot = (typeof MAP_ROOTS)[number];

type Write =
  | {
      root: MapRoot;
      key: string;
      value: Value;
    }
  | { root: 'items' | 'tags' | 'reads' | 'moves'; key: string; remove: true }
  | {
      root: 'note';
      /** A schema-2 root text, or a text under `notes` keyed `<id>/<client>`. */
      at: 'root' | { client: string };
      id: string;
      edit: 'text' | 'embed' | 'format' | 'asMap';
      value: Value;
    };

const writeArb: fc.Arbitrary<Write> = fc.oneof(
  fc.record({
    root: fc.constantFrom(...MAP_ROOTS),
    key: keyArb,
    value: valueArb,
  }),
  fc.record({
    root: fc.constantFrom('items', 'tags', 'reads', 'moves'),
    key: fc.tuple(fc.constantFrom(...LEGIT_IDS), partArb).map(([id, part]) => `${id}/${part}`),
    remove: fc.constant(true as const),
  }),
  fc.record({
    root: fc.constant('note' as const),
    at: fc.oneof(
      fc.constant('root' as const),
      fc.record({ client: fc.oneof(fc.constantFrom('1', '7', '4294967295'), fc.string()) }),
    ),
    id: fc.oneof(fc.constantFrom(...IDS), fc.string()),
    edit: fc.constantFrom('text', 'embed', 'format', 'asMap'),
    value: valueArb,
  }),
);

function materialise(value: Value): unknown {
  if ('plain' in value) return value.plain;
  if ('huge' in value) return HUGE;
  return value.nested === 'map'
    ? new Y.Map()
    : value.nested === 'array'
      ? new Y.Array()
      : new Y.Text();
}

/** Fills a nested type once it is in the document (Yjs types take content only then). */
function fill(written: unknown): void {
  if (written instanceof Y.Map) written.set('title', { nested: true });
  else if (written instanceof Y.Array) written.push([1, 'two']);
  else if (written instanceof Y.Text) written.insert(0, 'nested text');
}

/** A schema-2 note root as a text to write into, or null once it has been used as a map. */
function rootNote(doc: Y.Doc, write: Extract<Write, { root: 'note' }>): Y.Text | null {
  const name = `note:${write.id}`;
  // A root is a map or a text for good once a client has used it as one.
  const existing = doc.share.get(name);
  if (write.edit === 'asMap') {
    if (existing && !(existing instanceof Y.Map)) return null;
    const value = materialise(write.value);
    doc.getMap(name).set('x', value);
    fill(value);
    return null;
  }
  return existing && !(existing instanceof Y.Text) ? null : doc.getText(name);
}

/** The text under a `notes` key to write into; "asMap" puts a nested map there instead. */
function keyedNote(
  doc: Y.Doc,
  write: Extract<Write, { root: 'note' }>,
  value: unknown,
): Y.Text | null {
  const notes = doc.getMap(ROOT.notes);
  const key = `${write.id}/${(write.at as { client: string }).client}`;
  if (write.edit === 'asMap') {
    const map = new Y.Map<unknown>();
    notes.set(key, map);
    map.set('x', value);
    fill(value);
    return null;
  }
  const existing = notes.get(key);
  if (existing instanceof Y.Text) return existing;
  const text = new Y.Text();
  notes.set(key, text);
  return text;
}

/** What a stock client of another member writes. */
function hostileWrite(doc: Y.Doc, write: Write): void {
  if (write.root === 'note') {
    const value = materialise(write.value);
    const text = write.at === 'root' ? rootNote(doc, write) : keyedNote(doc, write, value);
    if (!text) return;
    if (write.edit === 'text')
      text.insert(text.length, typeof value === 'string' ? value : 'typed');
    else if (write.edit === 'embed') {
      const embed = value instanceof Y.AbstractType ? value : { value };
      text.insertEmbed(text.length, embed as object);
      fill(embed);
    } else {
      // Formatting attributes are plain data on the wire: a stock client cannot send others.
      const plain = 'plain' in write.value ? write.value.plain : undefined;
      text.insert(0, 'bold', { bold: plain ?? true, href: 'javascript:alert(1)' });
    }
    return;
  }
  const map = doc.getMap(write.root);
  if ('remove' in write) {
    map.delete(write.key);
    return;
  }
  const value = materialise(write.value);
  map.set(write.key, value);
  fill(value);
}

/** Yjs refuses some values (an object without a prototype): no client can send those. */
function hostileWrites(doc: Y.Doc, writes: readonly Write[]): void {
  doc.transact(() => {
    for (const write of writes) {
      try {
        hostileWrite(doc, write);
      } catch (error) {
        if (!(error instanceof Error && error.message === 'Unexpected content type')) throw error;
      }
    }
  });
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Every link target in built text: absolute ones must be http(s); relative ones stay on the site. */
function assertOnlyHttpLinks(text: string): void {
  for (const [, target] of text.matchAll(/(?:href|src)="([^"]*)"/g)) {
    if (SCHEME.test(target!.trim())) expect(isHttpUrl(target!.replace(/&amp;/g, '&'))).toBe(true);
  }
  for (const [, target] of text.matchAll(/"(?:url|external_url|image)":\s*"([^"]*)"/g)) {
    expect(isHttpUrl(JSON.parse(`"${target}"`))).toBe(true);
  }
}

function assertUsable(rows: ItemRow[], doc: Y.Doc): void {
  for (const row of rows) {
    ItemRowSchema.parse(row);
    // Rows cross to the search worker and into IndexedDB by structured clone.
    structuredClone(row);
    structuredClone(toSearchDoc(row));
  }
  const index = new SearchIndex();
  index.upsert(rows.map(toSearchDoc));
  index.query('link');

  for (const row of rows) {
    const post = buildPickPost(pickOf(row), ['en']);
    expect(isHttpUrl(post.card!.uri)).toBe(true);
    expect(post.card!.imageUrl === null || isHttpUrl(post.card!.imageUrl)).toBe(true);
    for (const facet of post.facets) {
      for (const feature of facet.features) {
        if ('uri' in feature) expect(isHttpUrl(feature.uri)).toBe(true);
      }
    }
  }
  const meta = readCollectionMeta(doc);
  const settings = SiteSettingsSchema.safeParse({
    remote: '/tmp/site',
    title: meta.siteTitle || 'Links',
    baseUrl: meta.siteBaseUrl ?? 'https://links.example/',
    description: meta.siteDescription ?? '',
  });
  const site = buildSite(
    rows.map((row) => pickOf(row)),
    settings.success
      ? settings.data
      : { remote: '/tmp/site', title: 'Links', baseUrl: 'https://links.example/' },
  );
  for (const text of site.values()) assertOnlyHttpLinks(text);

  for (const member of readMembers(doc.getMap('members'))) MemberSchema.parse(member);
  schemaCheck(doc);

  // The posting queue and its schedule are read, shown and acted on without throwing.
  const queue = readQueue(doc);
  const { schedule } = readSchedule(doc);
  queueTimeline(queue, schedule, 1_800_000_000_000);
  nextQueueAction(doc, { kind: 'alone' }, { memberId: ME, now: () => 1_800_000_000_000 });

  // The imports are listed for their Undo import buttons without throwing.
  listImports(doc);
  // Highlights are read for every row without throwing, and only readable ones come out.
  const highlights = new HighlightIndex(doc);
  for (const row of rows) {
    for (const highlight of highlights.of(row.id)) expect(highlight.itemId).toBe(row.id);
  }
  highlights.destroy();
}

/** The curator keeps working on the damaged collection: no error but the ones that explain. */
function keepWorking(doc: Y.Doc, rows: ItemRow[]): void {
  const actor = { memberId: ME, now: () => 1_800_000_000_000 };
  for (const row of rows) {
    try {
      markRead(doc, [row.id], actor);
      setTags(doc, row.id, [...row.tags, 'checked'], actor);
      updateItem(doc, row.id, { title: 'Repaired' }, actor);
      changeItemUrl(doc, row.id, `${row.url}#moved`, actor);
      changeItemUrl(doc, row.id, 'https://moved.example/elsewhere', actor);
      doc.transact(() => noteForWriting(doc, row.id).insert(0, 'still typing '));
    } catch (error) {
      if (!(error instanceof NewerSchemaError) && !(error instanceof UrlTakenError)) throw error;
    }
  }
  for (const record of listImports(doc)) {
    try {
      undoImport(doc, record.id, actor);
    } catch (error) {
      if (!(error instanceof NewerSchemaError) && !(error instanceof ImportUndoError)) throw error;
    }
  }
}

describe('a hostile document', () => {
  it('materialises, indexes, builds a site and posts without throwing, with only http(s) links', () => {
    fc.assert(
      fc.property(fc.array(writeArb, { minLength: 1, maxLength: 25 }), (writes) => {
        const victim = victimDoc();
        const live = new Map<string, ItemRow>();
        const materializer = new Materializer(victim, ME);
        materializer.subscribe((changes: RowChanges) => {
          changes.upserts.forEach((row) => live.set(row.id, row));
          changes.removals.forEach((id) => live.delete(id));
        });
        live.clear();
        for (const row of materializer.rows()) live.set(row.id, row);

        // The hostile member's own stock client: a replica of the collection.
        const mallory = new Y.Doc();
        Y.applyUpdate(mallory, Y.encodeStateAsUpdate(victim));
        const before = Y.encodeStateVector(mallory);
        hostileWrites(mallory, writes);
        Y.applyUpdate(victim, Y.encodeStateAsUpdate(mallory, before));

        const rows = materializeAll(victim, ME);
        const byId = (list: Iterable<ItemRow>) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(byId(live.values())).toEqual(byId(rows));
        assertUsable(rows, victim);
        // A legitimate link stays in the list unless its URL was overwritten with a non-link
        // (or it was moved into another item, which is then in the list).
        for (const id of LEGIT_IDS) {
          const url = victim.getMap('items').get(`${id}/url`);
          const holder = movesOf(victim).resolve(id);
          if (isHttpUrl(url) && holder === id) expect(rows.some((row) => row.id === id)).toBe(true);
        }
        keepWorking(victim, rows);
        assertUsable(materializeAll(victim, ME), victim);
        materializer.destroy();
      }),
      { numRuns: 150 },
    );
  });
});
