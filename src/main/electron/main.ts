// Curio's Electron main process: kept thin. It gives the renderer its own origin and CSP, locks
// down navigation and permissions, and serves DesktopApi from the plain Node services over IPC.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, Menu, session, shell } from 'electron';
import { contentSecurityPolicy, CROSS_ORIGIN_ISOLATION } from '../services/content-security-policy';
import { BackupStore } from '../services/backups/backup-store';
import { createNodeDesktopApi } from '../services/desktop-api';
import { createPublishingApi } from '../services/publish';
import { APP_ENTRY, appUrlCheck, registerAppScheme, serveAppProtocol } from './app-protocol';
import { registerDesktopIpc } from './ipc';
import { SafeStorageVault } from './vault';
import { buildAppMenu } from './menu';
import { lockDownNavigation } from './navigation';
import { restrictPermissions } from './permissions';
import { createMainWindow } from './window';
import { handleQuickCapture } from './quick-capture';
import { setUpBackground, type Background } from './background';
import { finishDeferredUnloads } from './deferred-unload';

const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));
/** Set by `electron-vite dev`; a packaged app never loads from a dev server. */
const DEV_SERVER_URL = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;

// The same folder web mode defaults to. CURIO_USER_DATA_DIR gives tests (and a second profile) a
// throwaway one; the single-instance lock is per folder, so those can run side by side.
const userData = process.env.CURIO_USER_DATA_DIR;
app.setName('Curio');
app.setPath('userData', userData ? resolve(userData) : join(app.getPath('appData'), 'Curio'));

registerAppScheme();
app.enableSandbox();

const isAppUrl = appUrlCheck(DEV_SERVER_URL);

/**
 * Under `electron-vite dev` pages come from Vite, so the CSP and cross-origin isolation are added
 * to its responses.
 */
function applyDevServerCsp(devServerUrl: string): void {
  const policy = contentSecurityPolicy({ devServer: true });
  session.defaultSession.webRequest.onHeadersReceived(
    { urls: [`${new URL(devServerUrl).origin}/*`] },
    (details, callback) =>
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [policy],
          ...Object.fromEntries(
            Object.entries(CROSS_ORIGIN_ISOLATION).map(([name, value]) => [name, [value]]),
          ),
        },
      }),
  );
}

let background: Background | null = null;

function openMainWindow(hidden = false): BrowserWindow {
  const window = createMainWindow({ preload: PRELOAD, url: DEV_SERVER_URL ?? APP_ENTRY, hidden });
  background?.watch(window);
  // After the tray's close-to-hide, which decides whether a close goes ahead at all.
  finishDeferredUnloads(window, {
    quitting: () => background?.quitting() ?? false,
    reopen: () => openMainWindow(),
  });
  return window;
}

/** The library window (perhaps hidden in the tray), or a new one. */
const libraryWindow = (): BrowserWindow => BrowserWindow.getAllWindows()[0] ?? openMainWindow();

async function start(): Promise<void> {
  await app.whenReady();
  serveAppProtocol(session.defaultSession, RENDERER_DIR);
  if (DEV_SERVER_URL) applyDevServerCsp(DEV_SERVER_URL);
  restrictPermissions(session.defaultSession);
  const api = createNodeDesktopApi({
    mode: 'electron',
    version: app.getVersion(),
    // desktop-api has already refused anything but http(s).
    openExternal: (url) => shell.openExternal(url),
    publishing: createPublishingApi({
      vault: new SafeStorageVault(app.getPath('userData')),
      credentialStorage: 'encrypted',
      cacheDir: join(app.getPath('userData'), 'cache', 'site'),
    }),
    backups: new BackupStore({ dataDir: app.getPath('userData') }),
  });
  registerDesktopIpc(api, isAppUrl);
  const setMenu = () => Menu.setApplicationMenu(buildAppMenu(background?.menuItems()));
  background = setUpBackground({
    prefsFile: join(app.getPath('userData'), 'background.json'),
    openWindow: libraryWindow,
    onChange: setMenu,
  });
  setMenu();
  openMainWindow(background.startHidden);
  quickCapture?.windowReady();
  app.on('activate', () => {
    libraryWindow().show();
  });
}

let quickCapture: ReturnType<typeof handleQuickCapture> | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  quickCapture = handleQuickCapture(
    () => BrowserWindow.getAllWindows()[0] ?? null,
    DEV_SERVER_URL ?? APP_ENTRY.replace(/index\.html$/, ''),
  );
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDownNavigation(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  start().catch((error: unknown) => {
    console.error('Curio could not start:', error);
    app.exit(1);
  });
}
