// Navigation lock-down with Electron mocked: a window never leaves the app or opens another one;
// web links go to the system browser, anything else is dropped.
import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { lockDownNavigation } from './navigation';

const electron = vi.hoisted(() => ({ shell: { openExternal: vi.fn(() => Promise.resolve()) } }));
vi.mock('electron', () => electron);

type WindowOpenHandler = (details: { url: string }) => { action: string };

/** The parts of WebContents the lock-down uses: its events and the window-open handler. */
class FakeContents extends EventEmitter {
  windowOpen: WindowOpenHandler | null = null;
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpen = handler;
  }
  /** Emits a cancellable event as Electron does, and says whether it was cancelled. */
  attempt(name: string, ...args: unknown[]): boolean {
    const event = { preventDefault: vi.fn() };
    this.emit(name, event, ...args);
    return event.preventDefault.mock.calls.length > 0;
  }
}

let contents: FakeContents;
beforeEach(() => {
  electron.shell.openExternal.mockClear();
  contents = new FakeContents();
  lockDownNavigation(contents as unknown as WebContents);
});

describe('lockDownNavigation', () => {
  it.each([
    'https://example.org/paper.pdf',
    'http://intranet.local/wiki',
    'curio://app/index.html',
    'file:///etc/passwd',
    'javascript:alert(1)',
  ])('keeps the window where it is when the page goes to %s', (url) => {
    expect(contents.attempt('will-navigate', url)).toBe(true);
  });

  it('opens web links in the system browser and nothing else', () => {
    for (const url of [
      'https://example.org/a',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'not a url',
    ]) {
      contents.attempt('will-navigate', url);
      contents.windowOpen!({ url });
    }
    expect(electron.shell.openExternal.mock.calls).toEqual([
      ['https://example.org/a'],
      ['https://example.org/a'],
    ]);
  });

  it('opens no new window, whatever the link', () => {
    for (const url of ['https://example.org/', 'curio://app/index.html', 'about:blank']) {
      expect(contents.windowOpen!({ url })).toEqual({ action: 'deny' });
    }
  });

  it('follows no redirect and attaches no webview', () => {
    expect(contents.attempt('will-redirect', 'https://example.org/')).toBe(true);
    expect(contents.attempt('will-attach-webview', {}, {})).toBe(true);
  });
});
