// Curio's windows never navigate away from the app and never open other windows: a link to the
// web opens in the system browser instead, and anything else is dropped.
import { shell, type WebContents } from 'electron';
import { isHttpUrl } from '../../shared/model';

function openInBrowser(url: string): void {
  if (isHttpUrl(url)) void shell.openExternal(url);
}

export function lockDownNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openInBrowser(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
