import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureText } from '../../../tests/fixtures/import';
import { parseImport } from '.';
import { expected, secondsAt, withoutOrigin } from './testing';

const read = (name: string) => parseImport({ bytes: fixtureBytes(name), name });

describe('read-later exports', () => {
  it('reads a Pocket CSV: | tags, seconds, archive means read, an empty url is named by line', async () => {
    const result = await read('pocket.csv');
    expect(result.format).toBe('pocket-csv');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://www.somethingsimilar.com/2013/01/14/notes-on-distributed-systems-for-young-bloods/',
        title: 'Notes on Distributed Systems for Young Bloods',
        tags: ['distributed-systems', 'classics'],
        read: true,
        addedAt: secondsAt(1490000000),
      }),
      expected({
        url: 'https://www.rgoarchitects.com/Files/fallacies.pdf',
        title: 'Fallacies of Distributed Computing, Explained',
        addedAt: secondsAt(1490000001),
      }),
      expected({
        url: 'https://example.com/quotes?a=1&b=2',
        title: `He said "it's the network"`,
        tags: ['networking', 'quotes'],
        addedAt: secondsAt(1490000002),
      }),
      expected({
        url: 'https://example.com/untitled',
        title: '',
        read: true,
        addedAt: secondsAt(1490000004),
      }),
    ]);
    expect(result.problems).toEqual([
      { where: 'line 5', message: 'the url column is empty', kind: 'skipped' },
    ]);
  });

  it('reads a Pocket ZIP of several CSV files as one import, naming the file in problems', async () => {
    const header = 'title,url,time_added,tags,status\n';
    const zip = zipSync({
      'part_000000.csv': strToU8(`${header}One,https://one.example/,1700000000,a,unread\n`),
      'part_000001.csv': strToU8(
        `${header}Two,https://two.example/,1700000001,b|c,archive\n,,1,,unread\n`,
      ),
    });
    const result = await parseImport({ bytes: zip, name: 'pocket.zip' });
    expect(result.format).toBe('pocket-csv');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://one.example/',
        title: 'One',
        tags: ['a'],
        addedAt: secondsAt(1700000000),
      }),
      expected({
        url: 'https://two.example/',
        title: 'Two',
        tags: ['b', 'c'],
        read: true,
        addedAt: secondsAt(1700000001),
      }),
    ]);
    expect(result.problems).toEqual([
      { where: 'part_000001.csv line 3', message: 'the url column is empty', kind: 'skipped' },
    ]);
  });

  it('reads a Raindrop CSV: BOM, CRLF, notes over lines, highlights with notes, folders and favourites', async () => {
    const result = await read('raindrop.csv');
    expect(result.format).toBe('raindrop-csv');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://dataintensive.net/',
        title: 'Designing Data-Intensive Applications, chapter 9',
        note: 'Key chapter.\nRe-read before the talk.',
        description: 'Consistency and consensus, linearizability, ordering guarantees',
        tags: ['books', 'distributed', 'ddia', 'consistency', 'favorite'],
        addedAt: Date.UTC(2023, 3, 5, 10, 11, 12, 345),
        image: 'https://dataintensive.net/images/book-cover.png',
        highlights: [
          { quote: 'Linearizability is a recency guarantee.', note: 'the shortest definition' },
          { quote: 'Total order broadcast is equivalent to consensus.' },
        ],
      }),
      expected({
        url: 'https://example.com/unsorted',
        title: 'Unsorted thing',
        addedAt: Date.UTC(2024, 0, 2),
      }),
      expected({ url: 'https://example.com/broken-date', title: 'Broken date' }),
    ]);
    expect(result.problems).toEqual([
      {
        where: 'line 7',
        message: 'the date "not-a-date" is not a date; it is left out',
        kind: 'warning',
      },
    ]);
  });

  it('reads an Instapaper CSV: JSON tags, Archive is read, folders are tags, ragged rows', async () => {
    const result = await read('instapaper.csv');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://www.allthingsdistributed.com/2008/12/eventually_consistent.html',
        title: 'Eventually Consistent - Revisited',
        description: '"Eventually consistent" is not a single model.',
        tags: ['consistency', 'dynamo'],
        read: true,
        addedAt: secondsAt(1340000000),
      }),
      expected({
        url: 'https://jvns.ca/blog/2016/10/10/what-even-is-a-container/',
        title: 'What even is a container',
        addedAt: secondsAt(1340000001),
      }),
      expected({
        url: 'https://martinfowler.com/articles/patterns-of-distributed-systems/',
        title: 'Patterns of Distributed Systems',
        tags: ['architecture'],
        addedAt: secondsAt(1340000002),
      }),
      expected({ url: 'https://example.com/ragged', title: 'Ragged row' }),
    ]);
    expect(result.problems[0]).toMatchObject({ where: 'line 5', kind: 'warning' });
  });

  it('reads a Matter CSV: ; tags, True/False, zone-less dates as UTC', async () => {
    const result = await read('matter.csv');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://engineering.linkedin.com/distributed-systems/log-what-every-software-engineer-should-know-about-real-time-datas-unifying',
        title:
          "The Log: What every software engineer should know about real-time data's unifying abstraction",
        description: 'Jay Kreps · LinkedIn Engineering',
        tags: ['logs', 'streaming', 'favorite'],
        read: true,
        addedAt: Date.UTC(2023, 1, 1, 9, 30),
      }),
      expected({
        url: 'https://lamport.azurewebsites.net/pubs/time-clocks.pdf',
        title: 'Time, Clocks, and the Ordering of Events',
        description: 'Leslie Lamport',
        addedAt: Date.UTC(2023, 1, 2, 10),
      }),
    ]);
  });

  it('reads an Omnivore ZIP: labels, state, reading progress, highlights with notes and the article note', async () => {
    const zip = zipSync({
      'metadata_0_to_20.json': strToU8(fixtureText('omnivore/metadata_0_to_20.json')),
      'highlights/the-network-is-reliable-18b3c4d5e6f.md': strToU8(
        fixtureText('omnivore/highlights/the-network-is-reliable-18b3c4d5e6f.md'),
      ),
      'content/the-network-is-reliable-18b3c4d5e6f.html': strToU8('<p>article</p>'),
    });
    const result = await parseImport({ bytes: zip, name: 'omnivore-export.zip' });
    expect(result.format).toBe('omnivore');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://queue.acm.org/detail.cfm?id=2655736',
        title: 'The Network is Reliable',
        description: 'An informal survey of real-world communications failures',
        tags: ['networking', 'partitions'],
        read: true,
        readAt: Date.UTC(2024, 2, 2, 9, 30),
        addedAt: Date.UTC(2024, 2, 1, 8),
        image: 'https://queue.acm.org/img/logo_acm.gif',
        note: 'This whole article is a list of outages; keep it for the next design review.',
        highlights: [
          { quote: 'Partitions are a real concern.', note: 'The key sentence of the survey.' },
          {
            quote:
              'A significant fraction of failures\nare caused by software bugs.\n\nSecond paragraph of the same highlight.',
          },
        ],
      }),
      expected({
        url: 'https://example.com/half-read',
        title: 'Half read',
        addedAt: Date.UTC(2024, 2, 3, 8),
      }),
    ]);
  });

  it('reads a Karakeep backup: lists as tags, archived as read, text notes and files counted', async () => {
    const result = await read('karakeep.json');
    expect(result.format).toBe('karakeep');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://jepsen.io/analyses/etcd-3.4.3',
        title: 'Jepsen: etcd 3.4.3',
        tags: ['jepsen', 'etcd', 'research', 'distributed'],
        note: 'Watch out for the stale reads section.',
        read: true,
        addedAt: secondsAt(1715000000),
      }),
      expected({
        url: 'https://pmg.csail.mit.edu/papers/vr-revisited.pdf',
        title: 'Viewstamped Replication Revisited',
        tags: ['vr', 'research', 'papers'],
        addedAt: secondsAt(1715000003),
      }),
    ]);
    expect(result.skipped).toEqual({ 'text note': 1, file: 1 });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.where).toBe('bookmark 5');
  });

  it('reads a Linkwarden backup: nested collections as tags, the default collection not, files without a link named', async () => {
    const result = await read('linkwarden.json');
    expect(result.format).toBe('linkwarden');
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://www.usenix.org/legacy/events/osdi04/tech/full_papers/renesse/renesse.pdf',
        title: 'Chain Replication for Supporting High Throughput and Availability',
        description: 'Van Renesse & Schneider, OSDI 2004',
        tags: ['replication'],
        addedAt: Date.UTC(2024, 0, 1, 0, 1),
      }),
      expected({
        url: 'https://www.confluent.io/blog/turning-the-database-inside-out-with-apache-samza/',
        title: '"Turning the database inside-out"',
        tags: ['talks', 'strange-loop'],
        addedAt: Date.UTC(2015, 2, 4, 5, 6, 7),
      }),
    ]);
    expect(result.problems).toEqual([
      { where: 'collection "Strange Loop", link 2', message: 'it has no link', kind: 'skipped' },
    ]);
  });
});
