import { beforeEach, describe, expect, it, vi } from 'vitest';
import { desktopApiArgs } from '../shared/api';
import { DESKTOP_IPC_CHANNEL, QUICK_CAPTURE_CHANNEL } from '../shared/desktop-bridge';

// Electron cannot start here; the preload only needs these two objects from it.
const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn() },
}));
vi.mock('electron', () => electron);

async function exposed(): Promise<Record<string, (...args: unknown[]) => Promise<unknown>>> {
  await import('./index');
  const [[name, api]] = electron.contextBridge.exposeInMainWorld.mock.calls as [[string, never]];
  expect(name).toBe('curio');
  return api;
}

/** Sends a quick-capture page from the main process, as Electron delivers it to the preload. */
function sendCapture(page: unknown): void {
  const [[channel, handler]] = electron.ipcRenderer.on.mock.calls as unknown as [
    [string, (event: unknown, page: unknown) => void],
  ];
  expect(channel).toBe(QUICK_CAPTURE_CHANNEL);
  handler({}, page);
}

describe('the preload bridge', () => {
  beforeEach(() => electron.ipcRenderer.invoke.mockReset());

  it('exposes one frozen object with a method for each one the main process answers', async () => {
    const api = await exposed();
    // Beside it, only the quick-capture subscription.
    expect(electron.contextBridge.exposeInMainWorld.mock.calls.map(([name]) => name)).toEqual([
      'curio',
      'curioCaptures',
    ]);
    expect(Object.keys(api).sort()).toEqual(Object.keys(desktopApiArgs).sort());
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('forwards a call over the one channel and returns its value', async () => {
    const api = await exposed();
    electron.ipcRenderer.invoke.mockResolvedValue({ ok: true, value: { title: 'T' } });
    await expect(api.unfurl!('https://example.org/')).resolves.toEqual({ title: 'T' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(DESKTOP_IPC_CHANNEL, 'unfurl', [
      'https://example.org/',
    ]);
  });

  it('rejects with a plain {name, message} the bridge can carry', async () => {
    const api = await exposed();
    electron.ipcRenderer.invoke.mockResolvedValue({
      ok: false,
      error: { name: 'FetchTimeout', message: 'example.org did not answer' },
    });
    const reason: unknown = await api.unfurl!('https://example.org/').catch((e: unknown) => e);
    expect(reason).toEqual({ name: 'FetchTimeout', message: 'example.org did not answer' });
    expect(reason).not.toBeInstanceOf(Error);
  });

  it('hands quick-capture pages to the app, keeping those that came before it listened', async () => {
    await exposed();
    const { captures } = await import('./index');
    sendCapture('curio://app/add?url=https%3A%2F%2Fa.example%2F');
    sendCapture({ not: 'a page' });
    const heard: string[] = [];
    const stop = captures.subscribe((page) => heard.push(page));
    expect(heard).toEqual(['curio://app/add?url=https%3A%2F%2Fa.example%2F']);
    sendCapture('curio://app/add?url=https%3A%2F%2Fb.example%2F');
    stop();
    sendCapture('curio://app/add?url=https%3A%2F%2Fc.example%2F');
    expect(heard).toHaveLength(2);
    // Kept for whoever listens next.
    captures.subscribe((page) => heard.push(page));
    expect(heard.at(-1)).toBe('curio://app/add?url=https%3A%2F%2Fc.example%2F');
  });
});
