// Running in the background with Electron mocked: both choices are off until the curator turns
// them on; with the tray choice on, closing hides the window (so the queue keeps running) until
// "Quit Curio"; "Start at login" registers a login item, or an XDG autostart file on Linux.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow, MenuItem, MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BACKGROUND_ARG,
  KEEP_IN_TRAY,
  START_AT_LOGIN,
  readPrefs,
  setUpBackground,
} from './background';

const electron = vi.hoisted(() => {
  class Tray {
    static created: Tray[] = [];
    menu: MenuItemConstructorOptions[] = [];
    destroyed = false;
    readonly listeners = new Map<string, () => void>();
    constructor(readonly image: unknown) {
      Tray.created.push(this);
    }
    setToolTip() {}
    setContextMenu(menu: MenuItemConstructorOptions[]) {
      this.menu = menu;
    }
    on(event: string, listener: () => void) {
      this.listeners.set(event, listener);
    }
    destroy() {
      this.destroyed = true;
    }
  }
  return {
    app: {} as Record<string, unknown>,
    Tray,
    // The template itself stands in for the built menu, so tests can click its items.
    Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => template },
    nativeImage: { createFromDataURL: (url: string) => ({ url }) },
  };
});
vi.mock('electron', () => electron);

const app = Object.assign(new EventEmitter(), {
  setLoginItemSettings: vi.fn(),
  getLoginItemSettings: vi.fn(() => ({ wasOpenedAtLogin: false })),
  quit: vi.fn(),
});
electron.app = app as unknown as Record<string, unknown>;

function fakeWindow() {
  const window = Object.assign(new EventEmitter(), {
    hide: vi.fn(),
    show: vi.fn(),
    focus: vi.fn(),
    restore: vi.fn(),
    isMinimized: () => false,
    webContents: { setBackgroundThrottling: vi.fn() },
  });
  return window;
}

/** Closes the window the way the user does; true when the close went ahead. */
function close(window: ReturnType<typeof fakeWindow>): boolean {
  let prevented = false;
  window.emit('close', { preventDefault: () => (prevented = true) });
  return !prevented;
}

function click(items: MenuItemConstructorOptions[], label: string, checked: boolean): void {
  const item = items.find((i) => i.label === label)!;
  item.click!({ checked } as MenuItem, undefined, {} as never);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'curio-background-'));
  app.removeAllListeners();
  app.setLoginItemSettings.mockClear();
  electron.Tray.created = [];
});

function setUp(extra: Partial<Parameters<typeof setUpBackground>[0]> = {}) {
  const window = fakeWindow();
  const background = setUpBackground({
    prefsFile: join(dir, 'background.json'),
    openWindow: () => window as unknown as BrowserWindow,
    platform: 'linux',
    argv: ['/usr/bin/curio'],
    autostartDir: join(dir, 'autostart'),
    execPath: '/opt/Curio/curio',
    ...extra,
  });
  background.watch(window as unknown as BrowserWindow);
  return { window, background };
}

describe('running in the background', () => {
  it('is off until asked: closing the window closes it, and there is no tray', () => {
    const { window, background } = setUp();
    expect(background.prefs()).toEqual({ keepInTray: false, startAtLogin: false });
    expect(background.menuItems().map((i) => [i.label, i.checked])).toEqual([
      [KEEP_IN_TRAY, false],
      [START_AT_LOGIN, false],
    ]);
    expect(close(window)).toBe(true);
    expect(electron.Tray.created).toEqual([]);
    expect(background.startHidden).toBe(false);
  });

  it('keeps running in the tray once turned on, unthrottled, until Quit Curio', () => {
    const onChange = vi.fn();
    const { window, background } = setUp({ onChange });
    click(background.menuItems(), KEEP_IN_TRAY, true);
    expect(onChange).toHaveBeenCalled();
    expect(readPrefs(join(dir, 'background.json')).keepInTray).toBe(true);
    const [tray] = electron.Tray.created;
    expect(tray).toBeDefined();

    expect(close(window)).toBe(false);
    expect(window.hide).toHaveBeenCalled();
    expect(window.webContents.setBackgroundThrottling).toHaveBeenCalledWith(false);

    // The tray brings the window back, shows the choices, and quits for real.
    click(tray!.menu, 'Open Curio', true);
    expect(window.show).toHaveBeenCalled();
    expect(tray!.menu.find((i) => i.label === KEEP_IN_TRAY)?.checked).toBe(true);
    click(tray!.menu, 'Quit Curio', true);
    expect(app.quit).toHaveBeenCalled();
    expect(background.quitting()).toBe(false);
    app.emit('before-quit');
    expect(background.quitting()).toBe(true);
    expect(close(window)).toBe(true);
  });

  it('turning the tray off removes it and lets the window close again', () => {
    writeFileSync(join(dir, 'background.json'), JSON.stringify({ keepInTray: true }));
    const { window, background } = setUp();
    const [tray] = electron.Tray.created;
    click(background.menuItems(), KEEP_IN_TRAY, false);
    expect(tray!.destroyed).toBe(true);
    expect(close(window)).toBe(true);
  });

  it('starts at login through an XDG autostart file on Linux, hidden when the tray is on', () => {
    const { background } = setUp();
    click(background.menuItems(), START_AT_LOGIN, true);
    const file = join(dir, 'autostart', 'curio.desktop');
    expect(readFileSync(file, 'utf8')).toContain(`Exec="/opt/Curio/curio" ${BACKGROUND_ARG}`);
    click(background.menuItems(), START_AT_LOGIN, false);
    expect(existsSync(file)).toBe(false);

    click(background.menuItems(), KEEP_IN_TRAY, true);
    expect(setUp({ argv: ['/opt/Curio/curio', BACKGROUND_ARG] }).background.startHidden).toBe(true);
  });

  it('registers a login item on macOS and Windows', () => {
    const { background } = setUp({ platform: 'win32' });
    click(background.menuItems(), START_AT_LOGIN, true);
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({
      openAtLogin: true,
      args: [BACKGROUND_ARG],
    });
    click(background.menuItems(), START_AT_LOGIN, false);
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({
      openAtLogin: false,
      args: [BACKGROUND_ARG],
    });
  });

  it('reads a damaged choices file as everything off', () => {
    const file = join(dir, 'background.json');
    writeFileSync(file, '{"keepInTray": "yes"');
    expect(readPrefs(file)).toEqual({ keepInTray: false, startAtLogin: false });
    writeFileSync(file, JSON.stringify({ keepInTray: 'yes', startAtLogin: true }));
    expect(readPrefs(file)).toEqual({ keepInTray: false, startAtLogin: true });
  });
});
