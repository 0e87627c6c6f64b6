// The library window, with the renderer sandboxed: no Node, isolated from the preload, web
// security on. Everything it may ask of the machine goes through window.curio.
import { BrowserWindow } from 'electron';

export interface MainWindowOptions {
  preload: string;
  /** curio://app/index.html, or the Vite dev server's URL under `electron-vite dev`. */
  url: string;
  /** Stay hidden once loaded (started at login into the tray). */
  hidden?: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Curio',
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  if (!options.hidden) window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}
