import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../e2e/fixtures/server';
import { dispatchDesktopCall } from '../../shared/api';
import { createNodeDesktopApi } from './desktop-api';

let site: FixtureServer;
beforeAll(async () => {
  site = await startFixtureServer();
});
afterAll(() => site.close());

describe('createNodeDesktopApi', () => {
  it('answers through dispatchDesktopCall with real services', async () => {
    const api = createNodeDesktopApi({
      mode: 'electron',
      version: '1.2.3',
      fetchLimits: { timeoutMs: Infinity },
    });
    expect(await dispatchDesktopCall(api, 'appInfo', [])).toEqual({
      mode: 'electron',
      version: '1.2.3',
      platform: process.platform,
    });
    await expect(
      dispatchDesktopCall(api, 'unfurl', [site.at('/pages/twitter-card.html')]),
    ).resolves.toMatchObject({ title: 'Paxos Made Simple' });
  });

  it('passes only http(s) links to the injected opener', async () => {
    const opened: string[] = [];
    const api = createNodeDesktopApi({
      mode: 'electron',
      version: '1',
      openExternal: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    });
    await api.openExternal('https://example.org/a');
    await expect(api.openExternal('javascript:alert(1)')).rejects.toThrow(
      /refused javascript: link/,
    );
    await expect(api.openExternal('file:///etc/passwd')).rejects.toThrow(/Only http and https/);
    expect(opened).toEqual(['https://example.org/a']);
  });

  it('uses the fetch limits it was given', async () => {
    const api = createNodeDesktopApi({
      mode: 'web',
      version: '1',
      fetchLimits: { timeoutMs: 200 },
    });
    await expect(api.unfurl(site.at('/slow-headers'))).rejects.toMatchObject({
      name: 'FetchTimeout',
    });
  });
});
