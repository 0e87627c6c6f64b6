import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const response = await safeFetch(site.at('/gzip-bomb'), { maxBytes: 64 * 1024 });
    const error = await failure(text(response.body));
    expect(error.kind).toBe('TooLarge');
    expect(error.message).toMatch(/more than 64 kB/);
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
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).kind).toBe('Aborted');
  });

  it('keeps the deadline running while the body is read', async () => {
    const response = await safeFetch(site.at('/slow-drip'), { timeoutMs: 300 });
    const error = await failure(text(response.body));
    expect(error.kind).toBe('Timeout');
    expect(error.name).toBe('FetchTimeout');
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

  it('stops the download when the reader stops early', async () => {
    const response = await safeFetch(site.at('/huge-body'));
    for await (const chunk of response.body) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    await response.cancel();
  });
});
