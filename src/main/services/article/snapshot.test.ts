import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../../e2e/fixtures/server';
import { dispatchDesktopCall } from '../../../shared/api';
import type { ArticleSnapshot } from '../../../shared/article';
import {
  ARTICLE_FAILURES,
  ArticleSnapshotSchema,
  articleFailureKind,
} from '../../../shared/article';
import { createNodeDesktopApi } from '../desktop-api';
import { classifyAddress, type AddressKind, type Resolver } from '../address-guard';
import { FetchError } from '../safe-fetch';
import { ArticleError, articleErrorFrom } from './errors';
import { PageReader } from './page-reader';
import { ARTICLE_PAGE_LIMITS, extractArticle, type ExtractOptions } from './snapshot';

let site: FixtureServer;
const reader = new PageReader();
beforeAll(async () => {
  site = await startFixtureServer();
});
afterAll(async () => {
  await reader.close();
  await site.close();
});

/** No name resolves but the ones a test names: no test ever asks real DNS. */
function resolverOf(table: Record<string, string>): Resolver {
  return (hostname) => {
    const address = table[hostname];
    if (!address) return Promise.reject(Object.assign(new Error(hostname), { code: 'ENOTFOUND' }));
    return Promise.resolve([{ address, family: 4 }]);
  };
}

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);
const own = (extra: Partial<ExtractOptions> = {}): ExtractOptions => ({
  refuseLocalAddresses: false,
  reader,
  network: { resolve: resolverOf({}) },
  now: () => NOW,
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<ArticleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArticleError);
  return error as ArticleError;
}

const decoded = (snapshot: ArticleSnapshot, index: number) =>
  sharp(Buffer.from(snapshot.images[index]!.base64, 'base64')).metadata();

describe('extractArticle keeps the article', () => {
  it('of a long blog post: metadata, text, code blocks, links and images', async () => {
    const url = site.at('/articles/long-post.html');
    const snapshot = await extractArticle(url, own());
    expect(snapshot).toMatchObject({
      url,
      finalUrl: url,
      title: 'How Raft Keeps a Log Consistent',
      byline: 'Ada Okafor',
      siteName: 'Distributed Notes',
      excerpt:
        'Leader election, log matching and commitment, walked through with a three-node cluster.',
      publishedAt: '2024-03-18T08:30:00.000Z',
      lang: 'en-GB',
      fetchedAt: NOW,
      imagesLeftOut: 0,
    });
    expect(snapshot.wordCount).toBeGreaterThan(750);
    expect(snapshot.readingMinutes).toBe(Math.round(snapshot.wordCount / 238));
    expect(snapshot.text).toMatch(/^By Ada Okafor/);
    expect(snapshot.text).toContain('Raft is a consensus algorithm designed to be understood.');
    expect(snapshot.text).toContain('\tif args.Term < rf.currentTerm {\n');
    // The page around the article stays behind.
    for (const chrome of ['Popular posts', '3 comments', 'Privacy', 'Subscribe']) {
      expect(snapshot.text).not.toContain(chrome);
    }
    expect(snapshot.html).toContain('<pre><code>func (rf *Raft) AppendEntries(');
    expect(snapshot.html).toContain(
      `<a href="${site.at('/paxos')}" target="_blank" rel="noopener noreferrer">Paxos for the rest of us</a>`,
    );
    expect(snapshot.html).toContain('href="mailto:ada@example.org"');
    expect(snapshot.html).not.toMatch(/<script|<form|<style|class=/);

    // Three pictures, in reading order: the wide diagram scaled to the column, the srcset's
    // candidate that fills it, and a lazily loaded photo turned upright by its EXIF orientation.
    expect(snapshot.images.map((i) => [i.placeholder, i.sourceUrl, i.width, i.height])).toEqual([
      ['curio-image:0', site.at('/articles/images/cluster-diagram.png'), 1600, 800],
      ['curio-image:1', site.at('/articles/images/terms-1920.png'), 1600, 800],
      ['curio-image:2', site.at('/articles/images/datacentre.jpg'), 600, 800],
    ]);
    expect(snapshot.html.match(/src="[^"]*"/g)).toEqual([
      'src="curio-image:0"',
      'src="curio-image:1"',
      'src="curio-image:2"',
    ]);
    expect(snapshot.html).toContain(
      '<img alt="Racks of servers in a data centre" src="curio-image:2" width="600" height="800">',
    );
    const photo = await decoded(snapshot, 2);
    expect([photo.format, photo.width, photo.height, photo.orientation]).toEqual([
      'webp',
      600,
      800,
      undefined,
    ]);
  });

  it('of a page whose metadata is only JSON-LD', async () => {
    const snapshot = await extractArticle(site.at('/articles/json-ld.html'), own());
    expect(snapshot).toMatchObject({
      title: 'Vector Clocks, Revisited',
      byline: 'Jun Tanaka',
      siteName: 'The Replicated Times',
      publishedAt: '2023-11-02T14:00:00.000Z',
      excerpt: 'Why every replica keeps a counter per replica, and when that is too much.',
    });
    expect(snapshot.text.split('\n\n')).toHaveLength(3);
  });

  it('of a paywall stub: the teaser, without the sign-up form or its frame', async () => {
    const snapshot = await extractArticle(site.at('/articles/paywall.html'), own());
    expect(snapshot.text).toMatch(/^Linearizability is easy to ask for/);
    expect(snapshot.wordCount).toBeLessThan(80);
    expect(snapshot.html).not.toMatch(/<form|<input|<button|<iframe|pay\.example\.com/);
  });

  it('after a chain of redirects, from where it landed', async () => {
    const snapshot = await extractArticle(site.at('/redirect/3/articles/json-ld.html'), own());
    expect(snapshot.url).toBe(site.at('/redirect/3/articles/json-ld.html'));
    expect(snapshot.finalUrl).toBe(site.at('/articles/json-ld.html'));
  });

  it('of a hostile page, with nothing left that runs or reaches out', async () => {
    const snapshot = await extractArticle(site.at('/articles/hostile.html'), own());
    expect(snapshot.text).toContain('An idempotency key lets a client retry a request');
    expect(snapshot.html).not.toMatch(
      /<(script|style|iframe|svg|math|form|input|button|object|embed|video|audio|link|meta|base)\b/i,
    );
    expect(snapshot.html).not.toMatch(/\son\w+=|style=|javascript:|data:|vbscript:|srcdoc|url\(/i);
    expect(snapshot.html.match(/href="[^"]*"/g)).toEqual([
      'href="https://example.org/idempotency"',
    ]);
    expect(snapshot.images).toEqual([]);
    expect(site.requests.filter((r) => r.includes('evil'))).toEqual([]);
  });
});

describe('extractArticle keeps images within the caps', () => {
  it('keeps the first 20 images and counts the rest as left out', async () => {
    const snapshot = await extractArticle(site.at('/articles/gallery.html'), own());
    expect(snapshot.images).toHaveLength(20);
    expect(snapshot.imagesLeftOut).toBe(5);
    expect(snapshot.images.at(-1)!.sourceUrl).toBe(site.at('/articles/images/terms-640.png?n=20'));
    // Images past the cap leave the HTML, captions and text stay.
    expect(snapshot.html.match(/<img /g)).toHaveLength(20);
    expect(snapshot.text).toContain('Step 25');
  });

  it('shrinks images to fit the byte budget, and leaves out what cannot fit', async () => {
    const full = await extractArticle(site.at('/articles/long-post.html'), own());
    const sizes = full.images.map((i) => Buffer.from(i.base64, 'base64').length);
    // Room for the first picture at three quarters of its size, then nothing much.
    const budget = Math.floor(sizes[0]! * 0.75);
    const snapshot = await extractArticle(
      site.at('/articles/long-post.html'),
      own({ images: { maxTotalBytes: budget } }),
    );
    const kept = snapshot.images.map((i) => Buffer.from(i.base64, 'base64').length);
    expect(kept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(budget);
    expect(snapshot.images[0]!.width).toBeLessThan(1600);
    expect(snapshot.images.length + snapshot.imagesLeftOut).toBe(3);
  });

  it('keeps the article when its images are missing, not images, or on no host', async () => {
    const snapshot = await extractArticle(site.at('/articles/broken-images.html'), own());
    expect(snapshot.images.map((i) => i.sourceUrl)).toEqual([
      site.at('/articles/images/datacentre.jpg'),
    ]);
    expect(snapshot.imagesLeftOut).toBe(3);
    expect(snapshot.html.match(/<img [^>]*>/g)).toEqual([
      '<img alt="Racks of servers" src="curio-image:0" width="600" height="800">',
    ]);
  });
});

describe('extractArticle says why it failed', () => {
  it('for a page that is only a <title>', async () => {
    const error = await failure(extractArticle(site.at('/articles/title-only.html'), own()));
    expect(error.name).toBe('ArticleNotAnArticle');
    expect(error.message).toBe(
      'Not an article: Curio found no article text on this page (only the title "Loading…").',
    );
  });

  it('for a PDF', async () => {
    const error = await failure(extractArticle(site.at('/articles/raft-paper.pdf'), own()));
    expect(error.message).toMatch(/^Not an article \(application\/pdf\)/);
    expect(error.kind).toBe('NotAnArticle');
  });

  it('for a 404 and a 500', async () => {
    const missing = await failure(extractArticle(site.at('/articles/missing.html'), own()));
    expect(missing.message).toBe('Page answered 404 (Not Found); check that the link still works.');
    expect(missing.kind).toBe('HttpStatus');
    const broken = await failure(extractArticle(site.at('/status/500'), own()));
    expect(broken.message).toMatch(/^Page answered 500 \(Internal Server Error\)/);
    expect(broken.kind).toBe('ServerError');
  });

  it('for a redirect loop', async () => {
    const error = await failure(
      extractArticle(site.at('/redirect/6/articles/json-ld.html'), own()),
    );
    expect(error.kind).toBe('TooManyRedirects');
    expect(error.message).toMatch(/^Redirected more than 5 times/);
  });

  it('for a page that never finishes, when the deadline passes', async () => {
    // The page never ends, so any deadline passes; a short one keeps the test short.
    const options = own({ page: { timeoutMs: 300 } });
    const error = await failure(extractArticle(site.at('/articles/never-finishes.html'), options));
    expect(error.name).toBe('ArticleTimeout');
    expect(error.message).toBe('Took longer than 0.3 s to load; the site may be slow or down.');
  });

  it('says the default deadline in its message', () => {
    const error = articleErrorFrom(new FetchError('Timeout', 'x'), ARTICLE_PAGE_LIMITS);
    expect(error.message).toMatch(/^Took longer than 15 s to load/);
  });

  it('for a 50 MB body, whatever the speed: the size limit ends it', async () => {
    const options = own({ page: { timeoutMs: 10 * 60_000 } });
    const error = await failure(extractArticle(site.at('/articles/fifty-megabytes.html'), options));
    expect(error.kind).toBe('TooLarge');
    expect(error.message).toBe('Larger than 10 MB, more than Curio keeps of one page.');
  });

  it('for a link that is not http(s)', async () => {
    const error = await failure(extractArticle('ftp://example.org/file', own()));
    expect(error.kind).toBe('UnsupportedLink');
  });
});

describe('extractArticle for links from others', () => {
  it('refuses this machine, and says which setting allows it', async () => {
    const error = await failure(
      extractArticle(site.at('/articles/json-ld.html'), own({ refuseLocalAddresses: true })),
    );
    expect(error.name).toBe('ArticleLocalAddress');
    expect(error.message).toMatch(/^Did not fetch 127\.0\.0\.1: it is this computer/);
    expect(error.message).toMatch(/"Allow local network addresses for links from others"/);
  });

  it('refuses a name that resolves to a private address before connecting', async () => {
    const resolve = resolverOf({ 'nas.test': '192.168.1.20' });
    const error = await failure(
      extractArticle('http://nas.test/', own({ refuseLocalAddresses: true, network: { resolve } })),
    );
    expect(error.message).toMatch(
      /^Did not fetch nas\.test \(192\.168\.1\.20\): it is a private network address/,
    );
  });

  describe('fetches their images under the same rule', () => {
    let inside: Server;
    let insidePort: number;
    const insideRequests: string[] = [];
    beforeAll(async () => {
      // A "device on the local network" at 127.0.0.5, and a page that points at it.
      inside = createServer((req, res) => {
        insideRequests.push(req.url ?? '');
        if (req.url === '/page') {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(
            `<article><h1>Camera</h1><p>${'Words about a picture on the local network. '.repeat(20)}</p>` +
              `<img src="http://camera.test:${insidePort}/snapshot.jpg" alt="snapshot"></article>`,
          );
        } else {
          void sharp({ create: { width: 4, height: 4, channels: 3, background: '#888' } })
            .jpeg()
            .toBuffer()
            .then((jpeg) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg));
        }
      });
      await new Promise<void>((resolve) => inside.listen(0, '127.0.0.5', resolve));
      insidePort = (inside.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => inside.close(() => resolve())));

    // blog.test stands in for a public site; camera.test is a loopback address like any other.
    const network = {
      resolve: resolverOf({ 'blog.test': '127.0.0.5', 'camera.test': '127.0.0.5' }),
    };

    it('an image on the local network is left out of a link from others', async () => {
      let asked = 0;
      const classify = (address: string): AddressKind =>
        // Only the first connection (the page) is treated as public.
        asked++ === 0 ? 'public' : classifyAddress(address);
      const snapshot = await extractArticle(
        `http://blog.test:${insidePort}/page`,
        own({ refuseLocalAddresses: true, network: { ...network, classify } }),
      );
      expect(snapshot.images).toEqual([]);
      expect(snapshot.imagesLeftOut).toBe(1);
      expect(insideRequests).toEqual(['/page']);
    });

    it('and kept for the curator’s own link', async () => {
      insideRequests.length = 0;
      const snapshot = await extractArticle(
        `http://blog.test:${insidePort}/page`,
        own({ network }),
      );
      expect(snapshot.images).toHaveLength(1);
      expect(insideRequests).toEqual(['/page', '/snapshot.jpg']);
    });
  });
});

const api = () =>
  createNodeDesktopApi({
    mode: 'web',
    version: 'test',
    articleOptions: {
      reader,
      network: {
        resolve: () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' })),
      },
    },
  });

const call = (args: unknown[]) => dispatchDesktopCall(api(), 'snapshotArticle', args);

describe('DesktopApi.snapshotArticle', () => {
  it('answers with a snapshot that survives JSON and the shared schema', async () => {
    const value = await call([site.at('/articles/long-post.html'), { fromOthers: false }]);
    const snapshot = ArticleSnapshotSchema.parse(JSON.parse(JSON.stringify(value)));
    expect(snapshot.images).toHaveLength(3);
    expect(Buffer.from(snapshot.images[0]!.base64, 'base64').subarray(8, 12).toString()).toBe(
      'WEBP',
    );
  });

  it('guards links from others unless the setting allows local addresses', async () => {
    const url = site.at('/articles/json-ld.html');
    await expect(call([url, { fromOthers: true }])).rejects.toMatchObject({
      name: 'ArticleLocalAddress',
    });
    const allowed = await call([url, { fromOthers: true, allowLocalNetwork: true }]);
    expect(ArticleSnapshotSchema.parse(allowed).byline).toBe('Jun Tanaka');
  });

  it('refuses calls without the options', async () => {
    await expect(call([site.at('/articles/json-ld.html')])).rejects.toMatchObject({
      name: 'InvalidArguments',
    });
    await expect(call([site.at('/articles/json-ld.html'), { fromOthers: 'yes' }])).rejects.toThrow(
      /options \(argument 2\)/,
    );
  });

  it('names its failures so the renderer can tell what to retry', async () => {
    const error = await call([site.at('/articles/missing.html'), { fromOthers: false }]).catch(
      (e: Error) => e,
    );
    const kind = articleFailureKind((error as Error).name);
    expect(kind).toBe('HttpStatus');
    expect(ARTICLE_FAILURES[kind!].retry).toBe(false);
    expect(articleFailureKind('ArticleTimeout')).toBe('Timeout');
    expect(articleFailureKind('FetchTimeout')).toBeNull();
    expect(articleFailureKind('Articleconstructor')).toBeNull();
  });
});
