// A close, quit or reload the page held off, because a change was still on its way to disk, is
// finished once the page has saved it and closed itself (src/renderer/data/unsaved-changes.ts):
// the quit goes on, and a reload opens the library window again. Electron cancels a held unload
// without a word; closing again while the page is still saving asks whether to close anyway.
import { app, dialog, type BrowserWindow } from 'electron';

export interface DeferredUnloadOptions {
  /** Whether the app is quitting (`before-quit` has been seen). */
  quitting: () => boolean;
  /** Opens the library window again, in place of a reload the page held off. */
  reopen: () => void;
}

/** Asked when the curator closes again while the page is still saving. */
function closeWithoutSaving(window: BrowserWindow): boolean {
  const choice = dialog.showMessageBoxSync(window, {
    type: 'warning',
    buttons: ['Keep waiting', 'Close without saving'],
    defaultId: 0,
    cancelId: 0,
    message: 'Curio is still saving your latest change.',
    detail: 'The window closes by itself once the change is on disk. Closing now loses it.',
  });
  return choice === 1;
}

/**
 * Finishes what `window`'s page held off. Call it after anything else that may cancel the
 * window's close (the tray's close-to-hide), so that a close it cancels is not counted.
 */
export function finishDeferredUnloads(window: BrowserWindow, options: DeferredUnloadOptions): void {
  // A close that went past every 'close' listener: the page's beforeunload runs next.
  let closeAsked = false;
  // What the page held off: a close (or quit), or a reload (nothing else may navigate it).
  let held: 'close' | 'reload' | null = null;
  window.on('close', (event) => {
    closeAsked = !event.defaultPrevented;
  });
  window.webContents.on('will-prevent-unload', (event) => {
    const byClose = closeAsked;
    closeAsked = false;
    if (held && byClose && closeWithoutSaving(window)) {
      held = null;
      // Lets the page unload despite its beforeunload handler.
      event.preventDefault();
      return;
    }
    if (byClose) held = 'close';
    else held ??= 'reload';
  });
  window.once('closed', () => {
    if (!held) return;
    if (options.quitting()) {
      // The held close cancelled the quit. Asked again now, it skips this closing window and
      // finishes as soon as the window is gone.
      app.quit();
    } else if (held === 'reload') {
      // At once, so that the app never finds itself without a window and quits.
      options.reopen();
    }
  });
}
