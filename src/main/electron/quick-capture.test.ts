// Quick capture with Electron mocked: a curio://add link reaching the app (macOS's open-url, a
// second instance's arguments, the first launch's arguments) loads Add link filled in, in the
// window, once there is one; anything but a valid capture is dropped.
import { EventEmitter } from 'node:events';
import type { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { QUICK_CAPTURE_CHANNEL } from '../../shared/desktop-bridge';
import { captureInArgs, handleQuickCapture } from './quick-capture';

const electron = vi.hoisted(() => ({ app: {} as Record<string, unknown> }));
vi.mock('electron', () => electron);
// The app is an event emitter, as Electron's is.
const setAsDefaultProtocolClient = vi.fn(() => true);
const app = Object.assign(new EventEmitter(), {
  isDefaultProtocolClient: vi.fn(() => false),
  setAsDefaultProtocolClient,
});
electron.app = app as unknown as Record<string, unknown>;

/** A window; `showing` is the page it has loaded (none yet, unless given). */
function fakeWindow(showing = '') {
  return {
    webContents: { getURL: () => showing, send: vi.fn() },
    loadURL: vi.fn(() => Promise.resolve()),
    isMinimized: () => false,
    restore: vi.fn(),
    focus: vi.fn(),
  };
}

const SENT = 'curio://add?url=https%3A%2F%2Fraft.github.io%2F&title=Raft';
const PAGE = 'curio://app/add?url=https%3A%2F%2Fraft.github.io%2F&title=Raft';

beforeEach(() => {
  app.removeAllListeners();
});

describe('quick capture in the desktop app', () => {
  it('registers for curio:// links and opens what macOS hands over', () => {
    const window = fakeWindow();
    handleQuickCapture(() => window as unknown as BrowserWindow, 'curio://app/');
    expect(setAsDefaultProtocolClient).toHaveBeenCalledWith('curio');
    const event = { preventDefault: vi.fn() };
    app.emit('open-url', event, SENT);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(window.loadURL).toHaveBeenCalledWith(PAGE);
  });

  it('waits for the window when the link comes before it, and drops what is not a capture', () => {
    let window: ReturnType<typeof fakeWindow> | null = null;
    const capture = handleQuickCapture(() => window as unknown as BrowserWindow, 'curio://app/');
    app.emit('open-url', { preventDefault: vi.fn() }, SENT);
    window = fakeWindow();
    capture.windowReady();
    expect(window.loadURL).toHaveBeenCalledWith(PAGE);
    for (const argv of [
      ['curio', 'curio://add?url=javascript%3Aalert(1)'],
      ['curio', 'curio://app/add?url=https://a.example/'],
      ['curio', '--flag'],
    ]) {
      app.emit('second-instance', {}, argv);
    }
    expect(window.loadURL).toHaveBeenCalledTimes(1);
    app.emit('second-instance', {}, ['curio', '--', SENT]);
    expect(window.loadURL).toHaveBeenLastCalledWith(PAGE);
  });

  it('sends the page to a window already showing the app, which opens Add link without leaving', () => {
    const window = fakeWindow('curio://app/');
    handleQuickCapture(() => window as unknown as BrowserWindow, 'curio://app/');
    app.emit('second-instance', {}, ['curio', SENT]);
    expect(window.webContents.send).toHaveBeenCalledWith(QUICK_CAPTURE_CHANNEL, PAGE);
    expect(window.loadURL).not.toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('finds the capture among a launch’s arguments', () => {
    expect(captureInArgs(['/usr/bin/curio', '--no-sandbox', SENT])).toBe(SENT);
    expect(captureInArgs(['/usr/bin/curio'])).toBeNull();
  });
});
