import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../../tests/fixtures/import';
import { parseImport, parseImportText } from '.';
import { expected, withoutOrigin } from './testing';

const read = (name: string) => parseImport({ bytes: fixtureBytes(name), name });

describe('feeds and text', () => {
  it('reads an RSS 2.0 feed: HTML descriptions as text, categories as tags, a permalink guid as the link', async () => {
    const result = await read('linkblog.rss');
    expect(result.format).toBe('rss');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://cse.buffalo.edu/tech-reports/2014-04.pdf',
        title: 'Hybrid Logical Clocks & why they matter',
        description: 'Kulkarni et al. combine physical and logical time.',
        tags: ['clocks', 'papers'],
        addedAt: Date.UTC(2025, 0, 6, 11),
      }),
      expected({
        url: 'https://links.example.net/2025/01/07/guid-only',
        title: 'No link, only a guid',
        addedAt: Date.UTC(2025, 0, 7, 11),
      }),
    ]);
    expect(result.problems).toEqual([
      { where: 'item 3', message: 'it has no link', kind: 'skipped' },
    ]);
  });

  it('reads an Atom feed: a link blog points at the article with rel="related"', async () => {
    const result = await read('linkblog.atom');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://lamport.azurewebsites.net/pubs/time-clocks.pdf',
        title: 'Lamports clocks',
        description: 'The paper that started it all.',
        tags: ['logical-clocks', 'classics'],
        addedAt: Date.UTC(2025, 0, 8, 11),
      }),
      expected({
        url: 'https://links.example.net/2025/01/09/own-page',
        title: 'Post with only its own page',
        addedAt: Date.UTC(2025, 0, 9, 11),
      }),
    ]);
  });

  it('reads a JSON Feed: external_url wins over the post', async () => {
    const result = await read('linkblog.json');
    expect(result.format).toBe('json-feed');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://crdt.tech/',
        title: 'CRDT.tech',
        description: 'Everything about conflict-free replicated data types.',
        tags: ['crdt', 'local-first'],
        image: 'https://crdt.tech/img/og.png',
        addedAt: Date.UTC(2025, 0, 10, 11),
      }),
    ]);
  });

  it('reads OPML: nested outlines as tags, link outlines and feeds alike', async () => {
    const result = await read('subscriptions.opml');
    expect(withoutOrigin(result.items)).toEqual([
      expected({ url: 'https://muratbuffalo.blogspot.com/', title: 'Metadata', tags: ['blogs'] }),
      expected({
        url: 'https://www.cs.cmu.edu/~pavlo/blog/index.xml',
        title: 'Andy Pavlo',
        tags: ['blogs', 'databases'],
      }),
      expected({
        url: 'https://www.distributedsystemscourse.com/',
        title: 'A link',
        tags: ['courses', 'video'],
        addedAt: Date.UTC(2025, 0, 7, 11),
      }),
    ]);
  });

  it('reads Markdown: link text as titles, references, autolinks and bare addresses; nothing but http(s)', async () => {
    const result = await read('notes.md');
    expect(result.format).toBe('text');
    expect(result.items.map((i) => [i.url, i.title, i.origin])).toEqual([
      [
        'https://www.cs.princeton.edu/courses/archive/fall09/cos518/papers/chash.pdf',
        'Consistent Hashing and Random Trees',
        'line 3',
      ],
      [
        'https://pdos.csail.mit.edu/papers/chord:sigcomm01/chord_sigcomm.pdf',
        'Chord: a scalable lookup service',
        'line 4',
      ],
      ['https://en.wikipedia.org/wiki/Gossip_protocol', '', 'line 5'],
      ['https://en.wikipedia.org/wiki/Paxos_(computer_science)', '', 'line 6'],
      ['https://example.com/in-code', '', 'line 8'],
      ['https://www.scattered-thoughts.net/writing/', '', 'line 8'],
    ]);
  });

  it('reads pasted plain text', async () => {
    const result = await parseImportText(
      'look at https://jepsen.io/ and\nhttps://jepsen.io/ again, then www.no-scheme.example',
    );
    expect(result.items.map((i) => i.url)).toEqual(['https://jepsen.io/']);
    expect(result.duplicates).toBe(1);
  });
});
