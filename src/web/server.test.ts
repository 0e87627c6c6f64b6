import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../e2e/fixtures/server';
import { createNodeDesktopApi } from '../main/services/desktop-api';
import { MAX_API_BODY_BYTES, MAX_API_BODY_DEPTH } from './api-route';
import { startWebServer, type WebServer } from './server';

let base: string;
let staticDir: string;
let site: FixtureServer;
let web: WebServer;
/** What the server logged; only failures of its own code belong there, with their stack. */
const logged: string[] = [];

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'curio-web-test-'));
  staticDir = join(base, 'web');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(
    join(staticDir, 'index.html'),
    '<!doctype html><html lang="en"><head><title>Curio</title></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(join(staticDir, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(base, 'curio-web-test-secret.txt'), 'TOP-SECRET-CONTENT');
  site = await startFixtureServer();
  web = await startWebServer({
    staticDir,
    port: 0,
    // No deadline: these tests are about the transport, and a busy machine must not fail them.
    api: createNodeDesktopApi({
      mode: 'web',
      version: '9.9.9',
      fetchLimits: { timeoutMs: Infinity },
    }),
    log: (line) => logged.push(line),
  });
});

afterAll(async () => {
  await web.close();
  await site.close();
  rmSync(base, { recursive: true, force: true });
});

function call(method: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(new URL(`api/${method}`, web.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${web.token}`,
      origin: web.url.replace(/\/$/, ''),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function errorOf(response: Response): Promise<{ name: string; message: string }> {
  const body = (await response.json()) as { error: { name: string; message: string } };
  return body.error;
}

/** A raw request, for headers fetch will not let a caller set (Host) or paths it would normalise. */
function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, headers, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web mode serves the renderer', () => {
  it('serves index.html with the token in a meta tag, the CSP, isolation and no caching', async () => {
    const response = await fetch(web.url);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<head><meta name="curio-api-token" content="${web.token}">`);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Cross-origin isolated, so the window may share memory with the search worker.
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('credentialless');
  });

  it('makes a new token each launch', async () => {
    const other = await startWebServer({
      staticDir,
      port: 0,
      api: createNodeDesktopApi({ mode: 'web', version: '0' }),
    });
    expect(other.token).not.toBe(web.token);
    expect(other.token.length).toBeGreaterThanOrEqual(40);
    await other.close();
  });

  it('serves fingerprinted assets as immutable, with their MIME type', async () => {
    const response = await fetch(new URL('assets/index-abc123.js', web.url));
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('answers client-side routes with the app and missing assets with 404', async () => {
    expect(await (await fetch(new URL('library/unread', web.url))).text()).toContain(
      'curio-api-token',
    );
    expect((await fetch(new URL('assets/missing.js', web.url))).status).toBe(404);
  });

  it.each([
    '/..%2fcurio-web-test-secret.txt',
    '/%2e%2e/curio-web-test-secret.txt',
    '/assets/%00.js',
  ])('refuses to step outside the build folder: %s', async (path) => {
    const response = await raw(path, { host: `127.0.0.1:${web.port}` });
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('TOP-SECRET-CONTENT');
  });

  it('answers only to its own Host name (DNS rebinding)', async () => {
    expect((await raw('/', { host: `localhost:${web.port}` })).status).toBe(200);
    const page = await raw('/', { host: `attacker.example:${web.port}` });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain(web.token);
    expect((await raw('/api/appInfo', { host: 'attacker.example' })).status).toBe(403);
  });
});

describe('web mode serves DesktopApi', () => {
  it('answers a call with JSON', async () => {
    const response = await call('appInfo', []);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      mode: 'web',
      version: '9.9.9',
      platform: process.platform,
    });
  });

  it('runs the real services', async () => {
    const response = await call('unfurl', [site.at('/pages/article.html')]);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ title: 'Raft: Understandable Consensus' });
  });

  it('needs the token: none is 401, a wrong one 403', async () => {
    const none = await call('appInfo', [], { authorization: '' });
    expect(none.status).toBe(401);
    expect((await errorOf(none)).message).toMatch(/no Curio API token/);
    const wrong = await call('appInfo', [], { authorization: `Bearer ${'x'.repeat(43)}` });
    expect(wrong.status).toBe(403);
    expect((await errorOf(wrong)).name).toBe('Forbidden');
  });

  it('checks the token before saying whether a method exists', async () => {
    expect((await call('noSuchMethod', [], { authorization: '' })).status).toBe(401);
  });

  it('refuses other origins even with the token', async () => {
    const foreign = await call('appInfo', [], { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await errorOf(foreign)).message).toMatch(/evil\.example/);
    expect((await call('appInfo', [], { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('names the argument that is wrong', async () => {
    const response = await call('unfurl', [42]);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.name).toBe('InvalidArguments');
    expect(error.message).toMatch(/Invalid arguments for unfurl: url \(argument 1\)/);
  });

  it.each([
    ['a body that is not JSON', '{oops', 400, /not JSON/],
    ['a body that is not an array', { url: 'x' }, 400, /as a JSON array/],
  ])('rejects %s', async (_label, body, status, message) => {
    const response = await call('unfurl', body);
    expect(response.status).toBe(status);
    expect((await errorOf(response)).message).toMatch(message);
  });

  it('says an unknown method is unknown', async () => {
    const response = await call('formatDisk', []);
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({
      name: 'UnknownMethod',
      message: 'Unknown method "formatDisk".',
    });
    expect((await call('__proto__', [])).status).toBe(404);
  });

  it('wants POST and JSON', async () => {
    const get = await fetch(new URL('api/appInfo', web.url), {
      headers: { authorization: `Bearer ${web.token}` },
    });
    expect(get.status).toBe(405);
    expect((await call('appInfo', '[]', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('passes service failures on with their name', async () => {
    const response = await call('unfurl', [site.at('/status/404')]);
    expect(response.status).toBe(502);
    expect(await errorOf(response)).toMatchObject({ name: 'FetchHttpStatus' });
  });

  it('leaves opening links to the browser in web mode', async () => {
    const response = await call('openExternal', ['https://example.org/']);
    expect(response.status).toBe(501);
    expect((await errorOf(response)).name).toBe('NotSupported');
    const bad = await call('openExternal', ['javascript:alert(1)']);
    expect(bad.status).toBe(400);
  });

  it('answers a method name that is not valid percent-encoding with 400, not a stack trace', async () => {
    const before = logged.length;
    const response = await raw(
      '/api/%E0%A4%A',
      {
        host: `127.0.0.1:${web.port}`,
        authorization: `Bearer ${web.token}`,
        'content-type': 'application/json',
      },
      'POST',
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        name: 'BadRequest',
        message: 'The method name in /api/%E0%A4%A is not valid percent-encoding.',
      },
    });
    expect(response.body).not.toMatch(/ at |URIError/);
    expect(logged.slice(before)).toEqual([]);
  });

  it('names the real size limit', async () => {
    const response = await call('unfurl', `["${'x'.repeat(MAX_API_BODY_BYTES)}"]`);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).message).toBe('The arguments are larger than 32 MB.');
  });

  it('refuses arguments nested deeper than the cap before parsing them', async () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    for (const depth of [MAX_API_BODY_DEPTH + 1, 5_000_000]) {
      const response = await call('unfurl', nested(depth));
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toEqual({
        name: 'InvalidArguments',
        message: `The arguments nest more than ${MAX_API_BODY_DEPTH} levels deep; no call of Curio's takes arguments like that.`,
      });
    }
    // At the cap the body is parsed, and the arguments are checked as usual.
    const atCap = await call('unfurl', nested(MAX_API_BODY_DEPTH));
    expect((await errorOf(atCap)).message).toMatch(/^Invalid arguments for unfurl: url/);
  });
});
