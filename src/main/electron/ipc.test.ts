// The IPC handler with Electron mocked: only the app's own top frame is answered, only for the
// bridge's method names, and every argument is parsed before a service sees it.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DESKTOP_IPC_CHANNEL, type DesktopCallOutcome } from '../../shared/desktop-bridge';
import { createNodeDesktopApi } from '../services/desktop-api';
import { appUrlCheck } from './app-protocol';
import { registerDesktopIpc } from './ipc';

const electron = vi.hoisted(() => ({
  ipcMain: { handle: vi.fn() },
  protocol: { registerSchemesAsPrivileged: vi.fn() },
}));
vi.mock('electron', () => electron);

type Frame = { url: string; parent: Frame | null } | null;
type Handler = (
  event: { senderFrame: Frame },
  method: unknown,
  args: unknown,
) => Promise<DesktopCallOutcome>;

const APP = 'curio://app/index.html';
const top = (url: string): Frame => ({ url, parent: null });

let opened: string[];

function register(devServerUrl?: string): Handler {
  electron.ipcMain.handle.mockReset();
  opened = [];
  const api = createNodeDesktopApi({
    mode: 'electron',
    version: '1.2.3',
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
  });
  registerDesktopIpc(api, appUrlCheck(devServerUrl));
  expect(electron.ipcMain.handle).toHaveBeenCalledTimes(1);
  const [[channel, handler]] = electron.ipcMain.handle.mock.calls as [[string, Handler]];
  expect(channel).toBe(DESKTOP_IPC_CHANNEL);
  return handler;
}

describe('the DesktopApi IPC handler', () => {
  let handle: Handler;
  beforeEach(() => {
    handle = register();
  });

  it("answers the app's own top frame", async () => {
    expect(await handle({ senderFrame: top(APP) }, 'appInfo', [])).toEqual({
      ok: true,
      value: { mode: 'electron', version: '1.2.3', platform: process.platform },
    });
    await handle({ senderFrame: top('curio://app/library/unread') }, 'openExternal', [
      'https://example.org/',
    ]);
    expect(opened).toEqual(['https://example.org/']);
  });

  it.each([
    ['a frame that is gone', null],
    ['a page on another origin', top('https://evil.example/')],
    ['another host of the app scheme', top('curio://evil/index.html')],
    ['a file', top('file:///home/ada/page.html')],
    ['a frame inside the app', { url: APP, parent: top(APP) }],
  ])('refuses %s, before any service runs', async (_label, senderFrame) => {
    const outcome = await handle({ senderFrame }, 'openExternal', ['https://example.org/']);
    expect(outcome).toEqual({
      ok: false,
      error: { name: 'Forbidden', message: "Only Curio's own window may call DesktopApi." },
    });
    expect(opened).toEqual([]);
  });

  it.each([
    ['formatDisk', 'DesktopApi has no method "formatDisk".'],
    ['__proto__', 'DesktopApi has no method "__proto__".'],
    ['toString', 'DesktopApi has no method "toString".'],
    [42, 'DesktopApi has no method without a name.'],
  ])('refuses the method %s', async (method, message) => {
    expect(await handle({ senderFrame: top(APP) }, method, [])).toEqual({
      ok: false,
      error: { name: 'UnknownMethod', message },
    });
  });

  it.each([
    ['a number for a link', 'unfurl', [42], /^Invalid arguments for unfurl: url \(argument 1\)/],
    ['arguments that are not a list', 'unfurl', 'https://example.org/', /^Invalid arguments/],
    ['too many arguments', 'appInfo', ['extra'], /^Invalid arguments for appInfo/],
    [
      'a link far too long',
      'openExternal',
      [`https://example.org/${'a'.repeat(5000)}`],
      /^Invalid arguments for openExternal: url \(argument 1\)/,
    ],
  ])('refuses %s, naming the problem', async (_label, method, args, message) => {
    const outcome = await handle({ senderFrame: top(APP) }, method, args);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.name).toBe('InvalidArguments');
    expect(outcome.error.message).toMatch(message);
    expect(opened).toEqual([]);
  });

  it('opens only http(s) links outside the app', async () => {
    for (const link of ['javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share']) {
      const outcome = await handle({ senderFrame: top(APP) }, 'openExternal', [link]);
      expect(outcome).toMatchObject({ ok: false, error: { name: 'InvalidArguments' } });
    }
    expect(opened).toEqual([]);
  });

  it('passes a service failure on as data, with its name', async () => {
    const outcome = await handle({ senderFrame: top(APP) }, 'unfurl', ['ftp://example.org/x']);
    expect(outcome).toMatchObject({ ok: false, error: { name: 'InvalidUrlError' } });
  });
});

describe('the IPC handler under electron-vite dev', () => {
  it("answers the dev server's pages and nothing else", async () => {
    const handle = register('http://localhost:5173/');
    expect(
      await handle({ senderFrame: top('http://localhost:5173/') }, 'appInfo', []),
    ).toMatchObject({ ok: true });
    for (const url of [APP, 'http://localhost:5174/', 'http://127.0.0.1:5173/']) {
      expect(await handle({ senderFrame: top(url) }, 'appInfo', [])).toMatchObject({
        ok: false,
        error: { name: 'Forbidden' },
      });
    }
  });
});
