// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { desktopApiArgs, type DesktopApi } from '../../shared/api';

type Bridge = Record<keyof DesktopApi, (...args: unknown[]) => Promise<unknown>>;

/** A fresh module each time: getDesktopApi() remembers the transport it picked. */
async function load() {
  vi.resetModules();
  return import('./desktop');
}

afterEach(() => {
  Reflect.deleteProperty(window, 'curio');
  document.head.innerHTML = '';
  vi.unstubAllGlobals();
});

describe('getDesktopApi in Electron', () => {
  it('rebuilds the named error the preload rejects with', async () => {
    // Electron itself cannot run here; this stands in for the preload's bridge object.
    const unused = Object.fromEntries(
      Object.keys(desktopApiArgs).map((method) => [
        method,
        () => Promise.reject(new Error(method)),
      ]),
    ) as Bridge;
    const bridge: Bridge = {
      ...unused,
      appInfo: () => Promise.resolve({ mode: 'electron', version: '1', platform: 'linux' }),
      unfurl: () => Promise.reject({ name: 'FetchTimeout', message: 'example.org did not answer' }),
      openExternal: () => Promise.resolve(),
    };
    Object.defineProperty(window, 'curio', { value: bridge, configurable: true });
    const api = (await load()).getDesktopApi();
    // The class from the module graph load() just built, not the one this file imported.
    const { DesktopApiError } = await import('../../shared/api');
    await expect(api.appInfo()).resolves.toMatchObject({ mode: 'electron' });
    const error: unknown = await api.unfurl('https://example.org/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DesktopApiError);
    expect(error).toMatchObject({ name: 'FetchTimeout', message: 'example.org did not answer' });
  });
});

describe('getDesktopApi in a browser', () => {
  it('offers every method, and says why it cannot work when the page has no token', async () => {
    const api = (await load()).getDesktopApi();
    expect(Object.keys(api).sort()).toEqual(Object.keys(desktopApiArgs).sort());
    await expect(api.unfurl('https://example.org/')).rejects.toMatchObject({
      name: 'Unavailable',
      message: expect.stringMatching(/no API token/),
    });
  });

  it('sends the token from the meta tag and turns an error body into DesktopApiError', async () => {
    document.head.innerHTML = '<meta name="curio-api-token" content="tok123">';
    const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      requests.push({ url, init });
      return Promise.resolve(
        new Response(
          JSON.stringify({ error: { name: 'FetchHttpStatus', message: 'answered 404' } }),
          {
            status: 502,
          },
        ),
      );
    });
    const error: unknown = await (
      await load()
    )
      .getDesktopApi()
      .unfurl('https://example.org/')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FetchHttpStatus', message: 'answered 404' });
    expect(requests[0]?.url).toBe('/api/unfurl');
    expect(new Headers(requests[0]?.init?.headers).get('authorization')).toBe('Bearer tok123');
    expect(await (requests[0]?.init?.body as Blob).text()).toBe('["https://example.org/"]');
  });

  it('opens http(s) links in a new tab itself and refuses anything else', async () => {
    const open = vi.fn();
    vi.stubGlobal('open', open);
    const api = (await load()).getDesktopApi();
    await api.openExternal('https://example.org/');
    expect(open).toHaveBeenCalledWith('https://example.org/', '_blank', 'noopener,noreferrer');
    await expect(api.openExternal('javascript:alert(1)')).rejects.toMatchObject({
      name: 'InvalidArguments',
    });
  });
});
