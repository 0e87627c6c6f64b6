// Running in the background, for the posting queue: a slot posts only while some maintainer's
// Curio runs, and the queue runs in the library window's renderer. Two opt-in choices, kept in a
// small file in the user-data folder and offered in the "Background" menu and the tray's menu:
// - "Keep running in the tray when the window is closed": closing hides the window (its renderer,
//   and so the queue, keeps running, unthrottled) and a tray icon brings it back or quits.
// - "Start at login": the system starts Curio at login with --background; with the tray choice
//   on, it then starts hidden in the tray.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  app,
  Menu,
  nativeImage,
  Tray,
  type BrowserWindow,
  type MenuItemConstructorOptions,
} from 'electron';
import { z } from 'zod';
import { TRAY_ICON_DATA_URL } from './tray-icon';

export const KEEP_IN_TRAY = 'Keep running in the tray when the window is closed';
export const START_AT_LOGIN = 'Start at login';
/** The argument the login item starts Curio with. */
export const BACKGROUND_ARG = '--background';

const PrefsSchema = z.object({
  keepInTray: z.boolean().catch(false),
  startAtLogin: z.boolean().catch(false),
});
export type BackgroundPrefs = z.infer<typeof PrefsSchema>;
const OFF: BackgroundPrefs = { keepInTray: false, startAtLogin: false };

/** The stored choices; anything missing or unreadable reads as off. */
export function readPrefs(file: string): BackgroundPrefs {
  try {
    const parsed = PrefsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : OFF;
  } catch {
    return OFF;
  }
}

/** Written whole to a temporary file first, so a crash never leaves half a file. */
function writePrefs(file: string, prefs: BackgroundPrefs): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(prefs), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export interface BackgroundOptions {
  /** Where the choices are kept, e.g. `<userData>/background.json`. */
  prefsFile: string;
  /** The library window if it exists, else a new one. */
  openWindow: () => BrowserWindow;
  platform?: NodeJS.Platform;
  argv?: readonly string[];
  /** Linux's autostart folder (XDG); defaults to `$XDG_CONFIG_HOME/autostart`. */
  autostartDir?: string;
  execPath?: string;
  /** Called after a choice changes, so other menus showing it can be rebuilt. */
  onChange?: () => void;
}

export interface Background {
  /** True when the window should start hidden: started at login, with the tray choice on. */
  startHidden: boolean;
  /** Hides the window instead of closing it while the tray choice is on. */
  watch(window: BrowserWindow): void;
  /** The "Background" menu's items. */
  menuItems(): MenuItemConstructorOptions[];
  prefs(): BackgroundPrefs;
  /** Whether the app is quitting: closing the window then closes it, tray or not. */
  quitting(): boolean;
}

/** Linux has no login-item API: a .desktop file in the XDG autostart folder does the job. */
function linuxAutostart(dir: string, execPath: string, on: boolean): void {
  const file = join(dir, 'curio.desktop');
  if (!on) return rmSync(file, { force: true });
  mkdirSync(dir, { recursive: true });
  const exec = `"${execPath.replace(/(["`$\\])/g, '\\$1')}" ${BACKGROUND_ARG}`;
  writeFileSync(
    file,
    [
      '[Desktop Entry]',
      'Type=Application',
      'Name=Curio',
      `Exec=${exec}`,
      'X-GNOME-Autostart-enabled=true',
      '',
    ].join('\n'),
  );
}

function bringForward(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

export function setUpBackground(options: BackgroundOptions): Background {
  const platform = options.platform ?? process.platform;
  const execPath = options.execPath ?? process.execPath;
  const autostartDir =
    options.autostartDir ??
    join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart');
  let prefs = readPrefs(options.prefsFile);
  let tray: Tray | null = null;
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });

  const show = () => bringForward(options.openWindow());
  const applyLogin = () => {
    if (platform === 'linux') linuxAutostart(autostartDir, execPath, prefs.startAtLogin);
    else app.setLoginItemSettings({ openAtLogin: prefs.startAtLogin, args: [BACKGROUND_ARG] });
  };

  const trayMenu = () =>
    Menu.buildFromTemplate([
      { label: 'Open Curio', click: show },
      { type: 'separator' },
      ...items(),
      { type: 'separator' },
      { label: 'Quit Curio', click: () => app.quit() },
    ]);

  const applyTray = () => {
    if (prefs.keepInTray && !tray) {
      tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON_DATA_URL));
      tray.setToolTip('Curio: the posting queue keeps running');
      tray.on('click', show);
    } else if (!prefs.keepInTray && tray) {
      tray.destroy();
      tray = null;
    }
    tray?.setContextMenu(trayMenu());
  };

  const change = (patch: Partial<BackgroundPrefs>) => {
    prefs = { ...prefs, ...patch };
    writePrefs(options.prefsFile, prefs);
    if ('startAtLogin' in patch) applyLogin();
    applyTray();
    options.onChange?.();
  };

  const items = (): MenuItemConstructorOptions[] => [
    {
      label: KEEP_IN_TRAY,
      type: 'checkbox',
      checked: prefs.keepInTray,
      click: (item) => change({ keepInTray: item.checked }),
    },
    {
      label: START_AT_LOGIN,
      type: 'checkbox',
      checked: prefs.startAtLogin,
      click: (item) => change({ startAtLogin: item.checked }),
    },
  ];

  applyTray();
  const atLogin =
    (options.argv ?? process.argv).includes(BACKGROUND_ARG) ||
    (platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true);

  return {
    startHidden: atLogin && prefs.keepInTray,
    prefs: () => prefs,
    quitting: () => quitting,
    menuItems: items,
    watch(window) {
      window.on('close', (event) => {
        if (quitting || !prefs.keepInTray) return;
        event.preventDefault();
        // A hidden window's timers are throttled to once a minute or less: the queue's are not.
        window.webContents.setBackgroundThrottling(false);
        window.hide();
      });
    },
  };
}
