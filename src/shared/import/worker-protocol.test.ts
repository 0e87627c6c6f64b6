import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemIdForKey, urlKey } from '../model';
import { draft } from './testing';
import { ITEMS_PER_REPLY, createImportHandler, type ImportReply } from './worker-protocol';

const csv = (n: number) =>
  new TextEncoder().encode(
    'title,url,time_added,tags,status\n' +
      Array.from({ length: n }, (_, i) => `L${i},https://e.example/${i},1,,unread`).join('\n'),
  );

const itemsOf = (replies: ImportReply[]) =>
  replies.flatMap((r) => (r.type === 'items' ? r.items.map((item, i) => ({ item, r, i })) : []));

describe('the import worker protocol', () => {
  it('answers progress, the links in chunks with their ids, then the rest of the result', async () => {
    const replies: ImportReply[] = [];
    const handle = createImportHandler((r) => replies.push(r));
    await handle({ type: 'parse', id: 1, file: { bytes: csv(5_000), name: 'pocket.csv' } });
    const chunks = replies.filter((r) => r.type === 'items');
    expect(chunks.map((c) => c.items.length)).toEqual([ITEMS_PER_REPLY, ITEMS_PER_REPLY, 1_000]);
    const links = itemsOf(replies);
    expect(links.map(({ item }) => item.url)).toEqual(
      Array.from({ length: 5_000 }, (_, i) => `https://e.example/${i}`),
    );
    for (const { item, r, i } of links.filter((_, n) => n % 997 === 0)) {
      if (r.type !== 'items') continue;
      expect(r.keys[i]).toBe(urlKey(item.url));
      expect(r.ids[i]).toBe(itemIdForKey(urlKey(item.url)));
    }
    expect(replies.at(-1)).toMatchObject({
      type: 'done',
      id: 1,
      summary: { format: 'pocket-csv', entries: 5_000 },
    });
    expect(replies.at(-1)).not.toHaveProperty('summary.items');
    expect(replies.some((r) => r.type === 'progress' && r.stage === 'reading')).toBe(true);
    expect(replies.some((r) => r.type === 'progress' && r.stage === 'identifying')).toBe(true);
    await handle({ type: 'parse-text', id: 2, text: 'see https://a.example/' });
    expect(replies.at(-1)).toMatchObject({ type: 'done', id: 2, summary: { format: 'text' } });
  });

  it('keys each parsed link as its address would be keyed on its own, however the file spells it', async () => {
    const spelling = fc.record({
      scheme: fc.constantFrom('http', 'https', 'HTTPS'),
      host: fc.constantFrom('', 'www.', 'm.', 'amp.', 'WWW.'),
      name: fc.constantFrom('example.com', 'Example.org', 'en.m.wikipedia.org'),
      path: fc.constantFrom('', '/', '/a', '/a/', '/a//b', '/index.html', '/p/amp', '/x.amp.html'),
      query: fc.subarray(['b=2', 'a=1', 'utm_source=x', 'amp=1', 'fbclid=z', 'q=%C3%A9']),
      hash: fc.constantFrom('', '#top'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(spelling, { minLength: 1, maxLength: 12 }), async (links) => {
        const urls = links.map(
          (l) =>
            `${l.scheme}://${l.host}${l.name}${l.path}${l.query.length ? '?' + l.query.join('&') : ''}${l.hash}`,
        );
        const rows = urls.map((u, i) => `L${i},${u},1,,unread`);
        const bytes = new TextEncoder().encode(
          `title,url,time_added,tags,status\n${rows.join('\n')}`,
        );
        const replies: ImportReply[] = [];
        await createImportHandler((r) => replies.push(r))({
          type: 'parse',
          id: 1,
          file: { bytes, name: 'pocket.csv' },
        });
        const given = new Set(
          itemsOf(replies).map(({ r, i }) => (r.type === 'items' ? r.keys[i] : '')),
        );
        expect(given).toEqual(new Set(urls.map(urlKey)));
        for (const { item, r, i } of itemsOf(replies))
          if (r.type === 'items') expect(r.ids[i]).toBe(itemIdForKey(urlKey(item.url)));
      }),
      { numRuns: 80 },
    );
  });

  it('works out the ids of drafts read elsewhere', async () => {
    const replies: ImportReply[] = [];
    const handle = createImportHandler((r) => replies.push(r));
    await handle({ type: 'identify', id: 3, items: [draft({ url: 'https://www.a.example/x/' })] });
    expect(replies.find((r) => r.type === 'items')).toMatchObject({
      keys: ['a.example/x'],
      ids: [itemIdForKey('a.example/x')],
    });
    expect(replies.at(-1)?.type).toBe('done');
  });

  it('stops a parse when the window cancels it', async () => {
    const replies: ImportReply[] = [];
    const handle: ReturnType<typeof createImportHandler> = createImportHandler((r) => {
      replies.push(r);
      if (r.type === 'progress') void handle({ type: 'cancel', id: 7 });
    });
    await handle({ type: 'parse', id: 7, file: { bytes: csv(10_000), name: 'pocket.csv' } });
    expect(replies.at(-1)).toEqual({ type: 'cancelled', id: 7 });
    expect(replies.filter((r) => r.type === 'progress')).toHaveLength(1);
    expect(replies.some((r) => r.type === 'items')).toBe(false);
  });

  it('stops handing over links when the window cancels while they are on their way', async () => {
    const replies: ImportReply[] = [];
    const handle: ReturnType<typeof createImportHandler> = createImportHandler((r) => {
      replies.push(r);
      if (r.type === 'items') void handle({ type: 'cancel', id: 8 });
    });
    await handle({ type: 'parse', id: 8, file: { bytes: csv(10_000), name: 'pocket.csv' } });
    expect(replies.filter((r) => r.type === 'items')).toHaveLength(1);
    expect(replies.at(-1)).toEqual({ type: 'cancelled', id: 8 });
  });
});
