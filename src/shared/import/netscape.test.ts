import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../../tests/fixtures/import';
import { parseImport } from '.';
import { expected, secondsAt, withoutOrigin } from './testing';

const read = (name: string) => parseImport({ bytes: fixtureBytes(name), name });

describe('Netscape bookmark files', () => {
  it('reads a Chrome export: folders become tags, the bookmarks bar does not, duplicates merge', async () => {
    const result = await read('chrome.html');
    expect(result.format).toBe('netscape');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://jepsen.io/analyses',
        title: 'Jepsen: Analyses',
        addedAt: secondsAt(1700000100),
      }),
      expected({
        url: 'https://raft.github.io/raft.pdf',
        title: 'In Search of an Understandable Consensus Algorithm (Extended Version)',
        tags: ['distributed-systems', 'consensus'],
        // The phone's copy was saved earlier; the earliest date wins.
        addedAt: secondsAt(1690000000),
      }),
      expected({
        url: 'https://lamport.azurewebsites.net/pubs/paxos-simple.pdf?page=2',
        title: 'Paxos Made Simple — Lamport <2001>',
        tags: ['distributed-systems', 'consensus'],
        addedAt: secondsAt(1700000401),
      }),
      expected({
        url: 'https://www.allthingsdistributed.com/2007/10/amazons_dynamo.html',
        title: "Amazon's Dynamo — 日本語 タイトル",
        tags: ['distributed-systems'],
        addedAt: secondsAt(1700000402),
      }),
      expected({
        url: 'https://martin.kleppmann.com/2016/02/08/how-to-do-distributed-locking.html',
        addedAt: secondsAt(1700000404),
      }),
      expected({
        url: 'https://www.the-paper-trail.org/post/2008-08-13-a-brief-tour-of-flp-impossibility/',
        title: 'A Brief Tour of FLP Impossibility',
        addedAt: secondsAt(1700000406),
      }),
    ]);
    expect(result.duplicates).toBe(1);
    expect(result.problems.map((p) => `${p.where}: ${p.message.split(':')[0]}`)).toEqual([
      'line 20: "javascript',
      'line 28: "chrome',
    ]);
    expect(result.items[0]!.origin).toBe('line 11');
  });

  it('reads a Firefox export: TAGS, <DD> notes, LAST_MODIFIED, microseconds and milliseconds', async () => {
    const result = await read('firefox.html');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://www.mozilla.org/en-US/firefox/',
        title: 'Get Help',
        addedAt: secondsAt(1650000000),
      }),
      expected({
        url: 'https://research.google/pubs/spanner-googles-globally-distributed-database-2/',
        title: 'Spanner: Google’s Globally-Distributed Database',
        tags: ['papers', 'databases', 'google', 'truetime'],
        note: 'External consistency via TrueTime; see section 4 & the appendix.\nSecond line of the description.',
        addedAt: secondsAt(1650000004),
      }),
      expected({
        url: 'https://www.cs.cornell.edu/projects/ladis2009/papers/lakshman-ladis2009.pdf',
        title: 'Cassandra - A Decentralized Structured Storage System',
        tags: ['papers', 'cassandra'],
        // No ADD_DATE: the last modification stands in.
        addedAt: secondsAt(1650000006),
      }),
      expected({
        url: 'https://aphyr.com/posts/313-strong-consistency-models',
        title: 'Strong consistency models',
        addedAt: secondsAt(1650000010),
      }),
      expected({
        url: 'http://example.com/?q=caf%C3%A9&a=1',
        title: 'Café query',
        addedAt: 1650000013000,
      }),
    ]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toContain('place:');
  });

  it("reads a Safari export: no dates, Safari's own folders are no tags, Reading List text is a description", async () => {
    const result = await read('safari.html');
    expect(withoutOrigin(result.items)).toEqual([
      expected({ url: 'https://www.apple.com/', title: 'Apple' }),
      expected({
        url: 'https://www.sqlite.org/wal.html',
        title: 'Write-Ahead Logging',
        tags: ['storage-engines'],
      }),
      expected({
        url: 'https://brooker.co.za/blog/2021/01/06/formal.html',
        title: 'Formal Methods: Just Good Engineering Practice?',
        description:
          'Marc Brooker on why TLA+ belongs in everyday engineering, with examples from AWS.',
      }),
    ]);
  });

  it("reads Pinboard's TOREAD and extended descriptions", async () => {
    const result = await read('pinboard.html');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://queue.acm.org/detail.cfm?id=2745385',
        title: 'Eventual Consistency Today: Limitations, Extensions, and Beyond',
        tags: ['consistency', 'eventual-consistency', 'acm'],
        note: 'Bailis & Ghodsi. "Eventual consistency is a liveness property".',
        addedAt: secondsAt(1431000000),
      }),
      expected({
        url: 'https://www.usenix.org/system/files/conference/osdi14/osdi14-paper-ongaro.pdf',
        title: 'Raft talk slides',
        tags: ['raft'],
        read: true,
        addedAt: secondsAt(1431000001),
      }),
    ]);
  });

  it("reads Raindrop's cover and note, and Karakeep's minimal export", async () => {
    expect(withoutOrigin((await read('raindrop.html')).items)).toEqual([
      expected({
        url: 'https://fly.io/blog/corrosion/',
        title: 'Corrosion',
        tags: ['reading', 'crdt', 'gossip'],
        note: "My note: compare with Riak's anti-entropy",
        image: 'https://fly.io/blog/corrosion/assets/cover.jpg',
        addedAt: secondsAt(1680000002),
      }),
    ]);
    expect(withoutOrigin((await read('karakeep.html')).items)).toEqual([
      expected({
        url: 'https://www.foundationdb.org/files/fdb-paper.pdf',
        title: 'FoundationDB: A Distributed Unbundled Transactional Key Value Store',
        tags: ['fdb', 'testing'],
        addedAt: secondsAt(1710000000),
      }),
      expected({
        url: 'https://example.com/no-tags',
        title: '',
        addedAt: secondsAt(1710000001),
      }),
    ]);
  });

  it("reads Pocket's HTML export: the section says read or unread", async () => {
    const result = await read('pocket.html');
    expect(result.format).toBe('pocket-html');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://www.cockroachlabs.com/blog/living-without-atomic-clocks/',
        title: 'Living Without Atomic Clocks',
        tags: ['clocks', 'databases'],
        addedAt: secondsAt(1580000000),
      }),
      expected({ url: 'https://example.org/untitled', addedAt: secondsAt(1580000001) }),
      expected({
        url: 'https://blog.acolyer.org/2015/03/04/out-of-the-tar-pit/',
        title: 'Out of the Tar Pit',
        tags: ['papers'],
        read: true,
        addedAt: secondsAt(1570000000),
      }),
    ]);
  });

  it('reads a Windows-1252 export and says so', async () => {
    const result = await read('windows-1252.html');
    expect(result.encoding).toBe('windows-1252');
    expect(result.problems[0]!.message).toContain('Windows-1252');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'http://example.com/cafe',
        title: 'Café “Le Dôme” – Paris',
        tags: ['cafés'],
        addedAt: secondsAt(1200000001),
      }),
    ]);
  });

  it('survives folders nested deeper than the call stack', async () => {
    const depth = 200_000;
    const html =
      '<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><p>' +
      '<DT><H3>f</H3><DL><p>'.repeat(depth) +
      '<DT><A HREF="https://deep.example/">Deep</A>' +
      '</DL><p>'.repeat(depth) +
      '<DT><A HREF="https://after.example/">After</A></DL>';
    const result = await parseImport({ bytes: new TextEncoder().encode(html), name: 'deep.html' });
    expect(result.items.map((i) => i.url)).toEqual([
      'https://deep.example/',
      'https://after.example/',
    ]);
    expect(result.items[0]!.tags).toEqual(['f']);
    expect(result.items[1]!.tags).toEqual([]);
  });
});
