// Quick capture in the desktop app: Curio is the handler of `curio://add?url=…` links, which the
// system hands over at launch (in the arguments), to the running app (a second instance's
// arguments, or macOS's open-url). The link opens the app's Add link dialog, filled in; nothing
// is saved until the curator confirms. Links that are not quick capture, or carry anything but an
// http(s) link of sane length, are dropped. A window already showing the app is sent the page
// rather than made to load it: leaving the page would first wait for any change still being
// saved, and then close the window.
import { app, type BrowserWindow } from 'electron';
import { QUICK_CAPTURE_CHANNEL } from '../../shared/desktop-bridge';
import { QUICK_CAPTURE_URL, quickCapturePage } from '../../shared/quick-capture';

/** The quick-capture link among a process's arguments, if any. */
export function captureInArgs(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.startsWith(`${QUICK_CAPTURE_URL}?`)) ?? null;
}

/**
 * Registers Curio for `curio://` links and opens each quick-capture link in the window that
 * `window()` returns, once there is one. Call it before the app is ready (macOS hands a launch's
 * link over early), and call the returned `windowReady` once the window exists. `appBase` is
 * where the app's pages are served (`curio://app/`).
 */
export function handleQuickCapture(
  window: () => BrowserWindow | null,
  appBase: string,
): { windowReady: () => void } {
  if (!app.isDefaultProtocolClient('curio')) app.setAsDefaultProtocolClient('curio');
  let waiting = captureInArgs(process.argv);
  const open = (raw: string | null) => {
    const page = raw ? quickCapturePage(raw, appBase) : null;
    if (!page) return;
    const target = window();
    if (!target) {
      waiting = raw;
      return;
    }
    if (target.isMinimized()) target.restore();
    target.focus();
    const { webContents } = target;
    if (webContents.getURL().startsWith(appBase)) webContents.send(QUICK_CAPTURE_CHANNEL, page);
    else void target.loadURL(page);
  };
  app.on('open-url', (event, url) => {
    event.preventDefault();
    open(url);
  });
  app.on('second-instance', (_event, argv) => open(captureInArgs(argv)));
  return {
    windowReady: () => {
      const raw = waiting;
      waiting = null;
      open(raw);
    },
  };
}
