// The library window with Electron mocked: the renderer gets a sandbox, no Node and an isolated
// preload, whatever else changes about the window.
import { describe, expect, it, vi } from 'vitest';
import { createMainWindow } from './window';

const electron = vi.hoisted(() => {
  class BrowserWindow {
    static created: BrowserWindow[] = [];
    readonly loadURL = vi.fn(() => Promise.resolve());
    readonly once = vi.fn();
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      BrowserWindow.created.push(this);
    }
  }
  return { BrowserWindow };
});
vi.mock('electron', () => electron);

describe('createMainWindow', () => {
  it('sandboxes the renderer and loads the app', () => {
    createMainWindow({ preload: '/app/out/preload/index.cjs', url: 'curio://app/index.html' });
    const [window] = electron.BrowserWindow.created;
    expect(window!.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    for (const risky of ['experimentalFeatures', 'enableBlinkFeatures', 'additionalArguments'])
      expect(window!.options.webPreferences).not.toHaveProperty(risky);
    expect(window!.loadURL).toHaveBeenCalledWith('curio://app/index.html');
  });

  it('stays hidden when started into the tray', () => {
    electron.BrowserWindow.created = [];
    createMainWindow({ preload: '/p.cjs', url: 'curio://app/index.html', hidden: true });
    expect(electron.BrowserWindow.created[0]!.once).not.toHaveBeenCalled();
    createMainWindow({ preload: '/p.cjs', url: 'curio://app/index.html' });
    expect(electron.BrowserWindow.created[1]!.once).toHaveBeenCalledWith(
      'ready-to-show',
      expect.any(Function),
    );
  });
});
