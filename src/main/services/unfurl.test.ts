import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../e2e/fixtures/server';
import { unfurl } from './unfurl';

let site: FixtureServer;
beforeAll(async () => {
  site = await startFixtureServer();
});
afterAll(() => site.close());

/**
 * Limits for the failure cases. Only pages that never finish meet the deadline, so it can be
 * short; every other case has none, so a busy machine cannot turn a size or redirect failure into
 * a timeout.
 */
const neverFinishes = { timeoutMs: 1000, maxBytes: 1024 * 1024 };
const noDeadline = { timeoutMs: Infinity, maxBytes: 1024 * 1024 };

describe('unfurl reads what a page says about itself', () => {
  it('prefers Open Graph, resolves a relative image and names the site', async () => {
    expect(await unfurl(site.at('/pages/article.html'))).toEqual({
      url: site.at('/pages/article.html'),
      title: 'Raft: Understandable Consensus',
      description: 'How Raft elects a leader & replicates a log.',
      image: site.at('/images/raft.png'),
      siteName: 'Distributed Notes',
    });
  });

  it('falls back to Twitter card fields', async () => {
    const result = await unfurl(site.at('/pages/twitter-card.html'));
    expect(result).toMatchObject({
      title: 'Paxos Made Simple',
      description: "Lamport's short paper, as a card.",
      image: 'https://cdn.example.org/paxos.jpg',
      siteName: null,
    });
  });

  it('falls back to <title>, meta description, rel=image_src and application-name', async () => {
    const result = await unfurl(site.at('/pages/plain.html'));
    expect(result).toMatchObject({
      title: 'Time, Clocks, and the Ordering of Events',
      description: 'A classic paper on logical clocks.',
      image: site.at('/pages/figures/clocks.png'),
      siteName: 'Paper Archive',
    });
  });

  it('resolves images against <base href>', async () => {
    const result = await unfurl(site.at('/pages/base-href.html'));
    expect(result.image).toBe('https://cdn.example.org/assets/cover.jpg');
  });

  it('reads only the head, even when the markup omits <head> and <body>', async () => {
    const result = await unfurl(site.at('/minified'));
    expect(result.title).toBe('Minified page');
    expect(result.description).toBe('No head or body tags');
  });

  it('follows redirects and cleans tracking parameters from the final URL', async () => {
    const result = await unfurl(site.at('/redirect/3/pages/article.html?utm_source=feed&id=7#top'));
    expect(result.url).toBe(site.at('/pages/article.html?id=7'));
    expect(result.title).toBe('Raft: Understandable Consensus');
  });

  it('accepts input the way a curator types it', async () => {
    const result = await unfurl(`  ${site.at('/pages/plain.html')} `);
    expect(result.title).toBe('Time, Clocks, and the Ordering of Events');
  });
});

describe('unfurl decodes the page in its own encoding', () => {
  it.each([
    ['/charset/header-latin1', 'Café crème'],
    ['/charset/meta-latin1', 'Café crème'],
    ['/charset/shift-jis', '日本語'],
    ['/charset/utf16-bom', 'UTF-16 über'],
    ['/no-content-type', 'No content type'],
  ])('%s', async (path, title) => {
    expect((await unfurl(site.at(path))).title).toBe(title);
  });
});

describe('unfurl against hostile or broken pages', () => {
  it('drops javascript:, data: and file: image URLs', async () => {
    const result = await unfurl(site.at('/pages/hostile-links.html'));
    expect(result).toMatchObject({ title: 'Hostile links', image: null });
  });

  it('reads malformed markup the way a browser would, without failing', async () => {
    const result = await unfurl(site.at('/malformed'));
    expect(result.description).toBe('unquoted');
    expect(result.siteName).toBe('Recovered');
    expect(result.image).toBe('http://cdn.example.org/x.png');
  });

  it('stops downloading a 200 MB page once its head has ended', async () => {
    const total = 200 * 1024 * 1024;
    let sent = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><head><title>Huge body</title></head><body>');
      const chunk = Buffer.from('<p>filler</p>'.repeat(4096));
      const pump = () => {
        while (sent < total && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      // A reset is how a cancelled download ends; only the close matters here.
      const closed = once(server, 'connection').then(
        ([socket]: Socket[]) =>
          new Promise((resolve) => socket!.on('error', () => undefined).on('close', resolve)),
      );
      const result = await unfurl(`http://127.0.0.1:${port}/`, noDeadline);
      expect(result.title).toBe('Huge body');
      // The connection closes with most of the body never sent: the download was cancelled, not
      // read to the end or left hanging.
      await closed;
      expect(sent).toBeLessThan(total);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it.each([
    ['/huge-head', 'FetchTooLarge', /more than 1 MB/, noDeadline],
    ['/gzip-bomb', 'FetchTooLarge', /more than 1 MB/, noDeadline],
    ['/huge-declared', 'FetchTooLarge', /sends 10240 MB/, noDeadline],
    ['/slow-headers', 'FetchTimeout', /did not answer within 1 s/, neverFinishes],
    ['/slow-drip', 'FetchTimeout', /did not answer within 1 s/, neverFinishes],
    ['/redirect-loop', 'FetchTooManyRedirects', /redirected more than 5 times/, noDeadline],
    [
      '/redirect-to-javascript',
      'FetchUnsupportedScheme',
      /redirected to a javascript: link/,
      noDeadline,
    ],
    ['/redirect-to-file', 'FetchUnsupportedScheme', /redirected to a file: link/, noDeadline],
    ['/status/404', 'FetchHttpStatus', /answered 404 Not Found/, noDeadline],
    ['/status/500', 'FetchHttpStatus', /answered 500/, noDeadline],
  ])('%s fails with %s', async (path, name, message, limits) => {
    const error = await unfurl(site.at(path), limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe(name);
    expect((error as Error).message).toMatch(message);
  });

  it.each(['/binary', '/binary-as-html'])('%s yields empty fields, not garbage', async (path) => {
    expect(await unfurl(site.at(path))).toEqual({
      url: site.at(path),
      title: '',
      description: '',
      image: null,
      siteName: null,
    });
  });

  it('previews an image link as itself', async () => {
    const result = await unfurl(site.at('/image-as-page'));
    expect(result.image).toBe(site.at('/image-as-page'));
  });

  it('refuses links that are not http(s) before fetching anything', async () => {
    await expect(unfurl('javascript:alert(1)')).rejects.toThrow(/only http and https/);
    await expect(unfurl('ftp://example.org/x')).rejects.toThrow(/only http and https/);
  });
});
