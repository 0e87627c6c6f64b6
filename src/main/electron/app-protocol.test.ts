// The curio:// handler with Electron mocked, over a real folder: it serves the built renderer with
// the app's CSP and nothing outside that folder, however the path is spelled.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../services/content-security-policy';
import { APP_SCHEME, registerAppScheme, serveAppProtocol } from './app-protocol';

const electron = vi.hoisted(() => ({ protocol: { registerSchemesAsPrivileged: vi.fn() } }));
vi.mock('electron', () => electron);

type ProtocolHandler = (request: { url: string; method: string }) => Promise<Response>;

let base: string;
let serve: ProtocolHandler;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'curio-protocol-test-'));
  const renderer = join(base, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Curio</title>');
  writeFileSync(join(renderer, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(base, 'secret.txt'), 'TOP-SECRET-CONTENT');
  const handle = vi.fn();
  serveAppProtocol({ protocol: { handle } } as unknown as Session, renderer);
  expect(handle).toHaveBeenCalledWith(APP_SCHEME, expect.any(Function));
  serve = handle.mock.calls[0]![1] as ProtocolHandler;
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string) => serve({ url, method: 'GET' });

describe('the curio:// protocol handler', () => {
  it('serves the app with its CSP, cross-origin isolation and nosniff', async () => {
    const response = await get('curio://app/index.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Curio</title>');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('serves assets with their type, and the app for its own routes', async () => {
    const script = await get('curio://app/assets/index-abc123.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await (await get('curio://app/library/unread')).text()).toContain('<title>Curio');
    expect((await get('curio://app/assets/missing.js')).status).toBe(404);
  });

  it.each([
    'curio://app/..%2fsecret.txt',
    'curio://app/%2e%2e/secret.txt',
    'curio://app/../secret.txt',
    'curio://app/assets/..%2f..%2fsecret.txt',
    'curio://app/%2e%2e%2fsecret.txt',
    'curio://app/assets/%00.js',
  ])('serves nothing outside the build folder: %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('TOP-SECRET');
  });

  it('answers only GET, and only as the app host', async () => {
    expect((await serve({ url: 'curio://app/index.html', method: 'POST' })).status).toBe(404);
    expect((await get('curio://evil/index.html')).status).toBe(404);
  });
});

describe('registerAppScheme', () => {
  it('makes curio:// a standard, secure origin that gets no CSP bypass', () => {
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'curio', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });
});
