// What the page held off with Electron mocked: a quit goes on once the page has closed itself, a
// reload opens the window again, the tray's close-to-hide holds nothing, and closing again while
// the page is still saving asks before losing the change.
import { EventEmitter } from 'node:events';
import type { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { finishDeferredUnloads } from './deferred-unload';

const electron = vi.hoisted(() => ({
  app: { quit: vi.fn() },
  dialog: { showMessageBoxSync: vi.fn(() => 0) },
}));
vi.mock('electron', () => electron);

/** An Electron event: listeners see what earlier ones prevented. */
function event() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

function setUp({ keepInTray = false } = {}) {
  const window = Object.assign(new EventEmitter(), { webContents: new EventEmitter() });
  let quitting = false;
  const reopen = vi.fn();
  // The tray's close-to-hide listens first, as in main.ts.
  window.on('close', (e: ReturnType<typeof event>) => {
    if (keepInTray && !quitting) e.preventDefault();
  });
  finishDeferredUnloads(window as unknown as BrowserWindow, { quitting: () => quitting, reopen });
  return {
    reopen,
    quit: () => {
      quitting = true;
    },
    /** The curator closes the window; true when the close reached the page. */
    close: () => {
      const e = event();
      window.emit('close', e);
      return !e.defaultPrevented;
    },
    /** The page's beforeunload holds the unload; true when Electron lets it unload anyway. */
    pageHolds: () => {
      const e = event();
      window.webContents.emit('will-prevent-unload', e);
      return e.defaultPrevented;
    },
    closed: () => window.emit('closed'),
  };
}

beforeEach(() => {
  electron.app.quit.mockClear();
  electron.dialog.showMessageBoxSync.mockClear();
  electron.dialog.showMessageBoxSync.mockReturnValue(0);
});

describe('finishDeferredUnloads', () => {
  it('quits once the page that held the quit has saved and closed itself', () => {
    const win = setUp();
    win.quit();
    expect(win.close()).toBe(true);
    expect(win.pageHolds()).toBe(false);
    expect(electron.app.quit).not.toHaveBeenCalled();
    // The page closes itself once saved.
    win.closed();
    expect(electron.app.quit).toHaveBeenCalledTimes(1);
    expect(win.reopen).not.toHaveBeenCalled();
    expect(electron.dialog.showMessageBoxSync).not.toHaveBeenCalled();
  });

  it('quits again when the tray was on too: quitting closes, never hides', () => {
    const win = setUp({ keepInTray: true });
    win.quit();
    expect(win.close()).toBe(true);
    win.pageHolds();
    win.closed();
    expect(electron.app.quit).toHaveBeenCalledTimes(1);
  });

  it('just lets the window go after a held close when not quitting', () => {
    const win = setUp();
    win.close();
    win.pageHolds();
    win.closed();
    expect(electron.app.quit).not.toHaveBeenCalled();
    expect(win.reopen).not.toHaveBeenCalled();
  });

  it('opens the library window again after a reload the page held off', () => {
    const win = setUp();
    expect(win.pageHolds()).toBe(false);
    win.closed();
    expect(win.reopen).toHaveBeenCalledTimes(1);
    expect(electron.app.quit).not.toHaveBeenCalled();
  });

  it('counts no close the tray turned into hiding', () => {
    const win = setUp({ keepInTray: true });
    expect(win.close()).toBe(false);
    // A reload held later is still a reload, not that close.
    win.pageHolds();
    win.closed();
    expect(win.reopen).toHaveBeenCalledTimes(1);
  });

  it('does nothing after a window closed with nothing held', () => {
    const win = setUp();
    win.quit();
    win.close();
    win.closed();
    expect(electron.app.quit).not.toHaveBeenCalled();
    expect(win.reopen).not.toHaveBeenCalled();
  });

  it('asks before closing without saving when the curator closes again while it saves', () => {
    const win = setUp();
    win.close();
    expect(win.pageHolds()).toBe(false);
    // The page trying again by itself (more changes came in) asks nothing.
    expect(win.pageHolds()).toBe(false);
    expect(electron.dialog.showMessageBoxSync).not.toHaveBeenCalled();

    win.close();
    expect(win.pageHolds()).toBe(false);
    expect(electron.dialog.showMessageBoxSync).toHaveBeenCalledTimes(1);
    expect(electron.dialog.showMessageBoxSync.mock.calls[0]).toContainEqual(
      expect.objectContaining({ buttons: ['Keep waiting', 'Close without saving'] }),
    );

    win.quit();
    electron.dialog.showMessageBoxSync.mockReturnValue(1);
    win.close();
    expect(win.pageHolds()).toBe(true);
    // Electron's own quit goes on: nothing is asked of it again.
    win.closed();
    expect(electron.app.quit).not.toHaveBeenCalled();
  });
});
