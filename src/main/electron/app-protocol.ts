// The app's own origin, curio://app/, serving the built renderer (out/renderer) with the app's CSP.
// A standard, secure scheme gives the renderer a real origin — IndexedDB, workers and 'self' in
// the CSP all need one — without file://'s reach into the rest of the disk.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { protocol, type Session } from 'electron';
import { contentSecurityPolicy, CROSS_ORIGIN_ISOLATION } from '../services/content-security-policy';
import { fileInside, isAppRoute, isFile, mimeTypeOf } from '../services/static-files';

export const APP_SCHEME = 'curio';
export const APP_HOST = 'app';
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** True for URLs of the app itself (WHATWG URL gives custom schemes no origin to compare). */
export function isAppProtocolUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Which URLs are the app's own, for the IPC sender check: curio://app/, or under `electron-vite
 * dev` the dev server's origin and nothing else.
 */
export function appUrlCheck(devServerUrl: string | undefined): (url: string) => boolean {
  if (!devServerUrl) return isAppProtocolUrl;
  const origin = new URL(devServerUrl).origin;
  return (url) => {
    try {
      return new URL(url).origin === origin;
    } catch {
      return false;
    }
  };
}

function notFound(path: string): Response {
  return new Response(`Nothing at ${path}`, {
    status: 404,
    headers: { 'content-type': 'text/plain' },
  });
}

export function serveAppProtocol(session: Session, rendererDir: string): void {
  const headers = (file: string) => ({
    'content-type': mimeTypeOf(file),
    'content-security-policy': contentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    ...CROSS_ORIGIN_ISOLATION,
  });
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (!isAppProtocolUrl(request.url) || request.method !== 'GET') return notFound(request.url);
    const { pathname } = new URL(request.url);
    let file = fileInside(rendererDir, pathname);
    if (!file || !(await isFile(file))) {
      if (!isAppRoute(pathname)) return notFound(pathname);
      file = join(rendererDir, 'index.html');
    }
    return new Response(await readFile(file), { status: 200, headers: headers(file) });
  });
}
