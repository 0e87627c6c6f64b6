import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../e2e/fixtures/server';
import { FetchError, safeFetch } from './safe-fetch';

let site: FixtureServer;
beforeAll(async () => {
  site = await startFixtureServer();
});
afterAll(() => site.close());

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let out = '';
  for await (const chunk of body) out += decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

/** A port nothing listens on: bind one, note it, let it go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('safeFetch', () => {
  it('returns the final URL, MIME type and charset, and streams the body', async () => {
    const response = await safeFetch(site.at('/redirect/2/charset/header-latin1'));
    expect(response.url).toBe(site.at('/charset/header-latin1'));
    expect(response.mimeType).toBe('text/html');
    expect(response.charset).toBe('ISO-8859-1');
    expect((await text(response.body)).length).toBeGreaterThan(0);
  });

  it('counts the limit after decompression', async () => {
    const response = await safeFetch(site.at('/gzip-bomb'), {
      maxBytes: 64 * 1024,
      timeoutMs: Infinity,
    });
    const error = await failure(text(response.body));
    expect(error.kind).toBe('TooLarge');
    expect(error.message).toMatch(/more than 64 kB/);
  });

  it('takes Infinity as no deadline', async () => {
    const response = await safeFetch(site.at('/pages/plain.html'), { timeoutMs: Infinity });
    expect(await text(response.body)).toContain('Time, Clocks');
  });

  it('honours a smaller redirect limit', async () => {
    const error = await failure(
      safeFetch(site.at('/redirect/3/pages/plain.html'), { maxRedirects: 2 }),
    );
    expect(error.kind).toBe('TooManyRedirects');
  });

  it('lets the caller cancel', async () => {
    const controller = new AbortController();
    const pending = safeFetch(site.at('/slow-headers'), { signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).kind).toBe('Aborted');
  });

  it('keeps the deadline running while the body is read', async () => {
    // The deadline's clock is faked and moved on only once the headers are in, so it always
    // expires while the body is being read.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const response = await safeFetch(site.at('/slow-drip'), { timeoutMs: 300 });
      const reading = failure(text(response.body));
      vi.advanceTimersByTime(300);
      const error = await reading;
      expect(error.kind).toBe('Timeout');
      expect(error.name).toBe('FetchTimeout');
    } finally {
      vi.useRealTimers();
    }
  });

  it('says which host could not be reached', async () => {
    const port = await closedPort();
    const error = await failure(safeFetch(`http://127.0.0.1:${port}/`));
    expect(error.kind).toBe('Network');
    expect(error.message).toMatch(
      new RegExp(`Could not reach 127.0.0.1:${port} \\(ECONNREFUSED\\)`),
    );
  });

  it.each(['file:///etc/passwd', 'data:text/html,hi', 'not a url'])('refuses %s', async (input) => {
    expect((await failure(safeFetch(input))).kind).toBe('UnsupportedScheme');
  });

  it('refuses a link with a user name or password', async () => {
    const link = site.at('/pages/plain.html').replace('http://', 'http://ada:secret@');
    const error = await failure(safeFetch(link));
    expect(error.kind).toBe('Credentials');
    expect(error.message).toMatch(/^Links with a user name or password are not fetched/);
  });

  it('says so when a redirect leads to a link with a user name or password', async () => {
    const target = site.at('/pages/plain.html').replace('http://', 'http://ada:secret@');
    const redirect = createHttpServer((_req, res) => {
      res.writeHead(302, { location: target });
      res.end();
    });
    redirect.listen(0, '127.0.0.1');
    await once(redirect, 'listening');
    try {
      const { port } = redirect.address() as AddressInfo;
      const error = await failure(safeFetch(`http://127.0.0.1:${port}/login`));
      expect(error.kind).toBe('Credentials');
      expect(error.message).toBe(
        `http://127.0.0.1:${port}/login redirected to a link with a user name or password. Links with a user name or password are not fetched.`,
      );
    } finally {
      redirect.close();
    }
  });
});
