import { beforeEach, describe, expect, it, vi } from 'vitest';
import { desktopApiArgs } from '../shared/api';
import { DESKTOP_IPC_CHANNEL } from '../shared/desktop-bridge';

// Electron cannot start here; the preload only needs these two objects from it.
const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn() },
}));
vi.mock('electron', () => electron);

async function exposed(): Promise<Record<string, (...args: unknown[]) => Promise<unknown>>> {
  await import('./index');
  const [[name, api]] = electron.contextBridge.exposeInMainWorld.mock.calls as [[string, never]];
  expect(name).toBe('curio');
  return api;
}

describe('the preload bridge', () => {
  beforeEach(() => electron.ipcRenderer.invoke.mockReset());

  it('exposes one frozen object with a method for each one the main process answers', async () => {
    const api = await exposed();
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
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
});
