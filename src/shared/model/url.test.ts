import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidUrlError, cleanUrl, displayHost, parseHttpUrl, urlKey, urlKeyOfClean } from './url';
import { itemIdForKey } from './ids';

// Pairs of real-world spellings of the same article.
const SAME: Array<[string, string, string]> = [
  ['scheme and host case', 'HTTPS://Example.COM/Path', 'https://example.com/Path'],
  [
    'http vs https',
    'http://martin.kleppmann.com/2020/07/06/crdt-hard-parts-hydra.html',
    'https://martin.kleppmann.com/2020/07/06/crdt-hard-parts-hydra.html',
  ],
  [
    'www',
    'https://www.allthingsdistributed.com/2023/07/building-and-operating-a-pretty-big-storage-system.html',
    'https://allthingsdistributed.com/2023/07/building-and-operating-a-pretty-big-storage-system.html',
  ],
  ['default port', 'https://jepsen.io:443/analyses', 'https://jepsen.io/analyses'],
  ['http default port', 'http://example.org:80/a', 'https://example.org/a'],
  ['trailing slash', 'https://aphyr.com/posts/', 'https://aphyr.com/posts'],
  ['fragment', 'https://raft.github.io/#implementations', 'https://raft.github.io/'],
  [
    'utm parameters',
    'https://blog.acolyer.org/2019/03/08/a-generalised-solution-to-distributed-consensus/?utm_source=twitter&utm_medium=social&utm_campaign=x',
    'https://blog.acolyer.org/2019/03/08/a-generalised-solution-to-distributed-consensus/',
  ],
  ['fbclid', 'https://www.foundationdb.org/blog/?fbclid=IwAR0abc', 'https://foundationdb.org/blog'],
  [
    'gclid and mixed',
    'https://example.com/x?id=7&gclid=abc&utm_term=y',
    'https://example.com/x?id=7',
  ],
  [
    'query order',
    'https://news.ycombinator.com/item?b=2&a=1',
    'https://news.ycombinator.com/item?a=1&b=2',
  ],
  [
    'mobile host',
    'https://m.youtube.com/watch?v=dQw4w9WgXcQ',
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  ],
  [
    'wikipedia mobile',
    'https://en.m.wikipedia.org/wiki/Paxos_(computer_science)',
    'https://en.wikipedia.org/wiki/Paxos_(computer_science)',
  ],
  [
    'amp path',
    'https://www.theguardian.com/technology/2024/jan/01/story/amp',
    'https://www.theguardian.com/technology/2024/jan/01/story',
  ],
  ['amp query', 'https://example.com/article?amp=1', 'https://example.com/article'],
  ['amp host', 'https://amp.example.com/news/1', 'https://example.com/news/1'],
  [
    'AMP cache',
    'https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/1',
    'https://example.com/news/1',
  ],
  [
    'Google AMP viewer',
    'https://www.google.com/amp/s/www.example.com/news/1',
    'https://example.com/news/1',
  ],
  ['index.html', 'https://example.com/docs/index.html', 'https://example.com/docs/'],
  ['IDN host', 'https://Bücher.example/katalog', 'https://xn--bcher-kva.example/katalog'],
  [
    'twitter ref_src',
    'https://twitter.com/jepsen_io/status/1?ref_src=twsrc%5Etfw',
    'https://twitter.com/jepsen_io/status/1',
  ],
  ['mailchimp', 'https://example.com/post?mc_cid=1&mc_eid=2', 'https://example.com/post'],
  ['no scheme typed', 'example.com/a', 'https://example.com/a'],
  ['duplicate slashes', 'https://example.com//a//b', 'https://example.com/a/b'],
];

const DIFFERENT: Array<[string, string, string]> = [
  ['different path', 'https://example.com/a', 'https://example.com/b'],
  [
    'meaningful query',
    'https://news.ycombinator.com/item?id=1',
    'https://news.ycombinator.com/item?id=2',
  ],
  ['different host', 'https://blog.example.com/a', 'https://example.com/a'],
  ['path case matters', 'https://example.com/Readme', 'https://example.com/readme'],
  ['non-default port', 'https://example.com:8443/a', 'https://example.com/a'],
];

describe('urlKey', () => {
  it.each(SAME)('treats %s as the same link', (_, a, b) => {
    expect(urlKey(a)).toBe(urlKey(b));
    expect(itemIdForKey(urlKey(a))).toBe(itemIdForKey(urlKey(b)));
  });

  it.each(DIFFERENT)('keeps %s apart', (_, a, b) => {
    expect(urlKey(a)).not.toBe(urlKey(b));
  });

  it('is idempotent over cleaned URLs', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const cleaned = cleanUrl(url);
        expect(cleanUrl(cleaned)).toBe(cleaned);
        expect(urlKey(cleaned)).toBe(urlKey(url));
        expect(urlKeyOfClean(cleaned)).toBe(urlKey(url));
      }),
    );
  });
});

describe('cleanUrl', () => {
  it('keeps the link readable: scheme, www and meaningful query stay', () => {
    expect(cleanUrl('HTTP://WWW.Example.com:80/a?id=3&utm_source=x#top')).toBe(
      'http://www.example.com/a?id=3',
    );
  });

  it.each([
    ['', 'it is empty'],
    ['javascript:alert(1)', 'only http and https'],
    ['ftp://example.com/file', 'only http and https'],
    ['data:text/html,hi', 'only http and https'],
    ['https://exa mple.com', 'contains spaces'],
    ['https://user:pw@example.com/', 'user name or password'],
    ['https://', 'not a valid URL'],
    ['localhostname', 'no host name'],
  ])('refuses %j with a reason', (input, reason) => {
    expect(() => parseHttpUrl(input)).toThrow(InvalidUrlError);
    expect(() => parseHttpUrl(input)).toThrow(reason);
  });

  it('never throws anything but InvalidUrlError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          cleanUrl(s);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidUrlError);
        }
      }),
    );
  });
});

describe('displayHost', () => {
  it('drops www', () => expect(displayHost('https://www.example.com/a')).toBe('example.com'));
});
