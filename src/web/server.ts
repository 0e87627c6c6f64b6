// Web mode's server: the built renderer (out/web) and DesktopApi on 127.0.0.1, so the whole app runs
// in any browser. Every response carries the app's CSP; every request must name this server in its
// Host header, which stops DNS-rebinding pages from reading the token out of index.html.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { API_TOKEN_META, type DesktopApi } from '../shared/api';
import {
  contentSecurityPolicy,
  CROSS_ORIGIN_ISOLATION,
} from '../main/services/content-security-policy';
import { fileInside, isAppRoute, isFile, mimeTypeOf } from '../main/services/static-files';
import { handleApiCall, HttpError, sendError } from './api-route';

export interface WebServerOptions {
  /** The built renderer: a folder with index.html and assets/. */
  staticDir: string;
  api: DesktopApi;
  /** 0 picks a free port. */
  port: number;
  log?: (line: string) => void;
}

export interface WebServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function securityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', contentSecurityPolicy());
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION)) res.setHeader(name, value);
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
}

/** The method a `/api/<name>` path names, or HttpError 400 when it is not valid percent-encoding. */
function methodName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new HttpError(
      400,
      'BadRequest',
      `The method name in /api/${encoded.slice(0, 100)} is not valid percent-encoding.`,
    );
  }
}

/** index.html with the API token as a <meta>: readable by the page, invisible to other origins. */
export function injectToken(html: string, token: string): string {
  const meta = `<meta name="${API_TOKEN_META}" content="${token}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return meta + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + meta + html.slice(at);
}

/** The app's page, carrying this launch's API token. */
async function serveIndex(req: IncomingMessage, res: ServerResponse, app: App): Promise<void> {
  const html = injectToken(await readFile(join(app.root, 'index.html'), 'utf8'), app.token);
  res.writeHead(200, {
    'content-type': mimeTypeOf('index.html'),
    'content-length': Buffer.byteLength(html),
    // The token changes per launch, so the page must never come from a cache.
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}

/** A built file under `app.root`, or the app's page for a client-side route. */
async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  app: App,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    throw new HttpError(405, 'MethodNotAllowed', `${req.method} is not served here.`);
  }
  if (pathname === '/' || pathname === '/index.html') return serveIndex(req, res, app);
  const file = fileInside(app.root, pathname);
  if (file && (await isFile(file))) {
    res.writeHead(200, {
      'content-type': mimeTypeOf(file),
      // Vite fingerprints everything under assets/, so those never change under one name.
      'cache-control': pathname.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', (error) => res.destroy(error))
      .pipe(res);
    return;
  }
  // Client-side routes (no file extension) get the app; missing assets get a plain 404.
  if (isAppRoute(pathname)) return serveIndex(req, res, app);
  throw new HttpError(404, 'NotFound', `Nothing at ${pathname}.`);
}

interface App {
  /** The built renderer's folder. */
  root: string;
  token: string;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const root = resolve(options.staticDir);
  const token = randomBytes(32).toString('base64url');
  const log = options.log ?? ((line: string) => console.error(line));
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();

  const server = createServer((req, res) => {
    securityHeaders(res);
    void (async () => {
      if (!allowedHosts.has(req.headers.host ?? '')) {
        throw new HttpError(
          403,
          'Forbidden',
          `This server answers only as ${[...allowedHosts].join(' or ')}, not ${req.headers.host ?? 'an unnamed host'}.`,
        );
      }
      const { pathname } = new URL(req.url ?? '/', 'http://placeholder.invalid');
      const api = /^\/api\/([^/]*)$/.exec(pathname);
      if (api) {
        return handleApiCall(req, res, methodName(api[1] ?? ''), {
          api: options.api,
          token,
          allowedOrigins,
          log,
        });
      }
      return serveStatic(req, res, pathname, { root, token });
    })().catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) {
        return sendError(res, error.status, { name: error.name, message: error.message });
      }
      log(
        `web: ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendError(res, 500, { name: 'InternalError', message: 'Curio web mode failed to answer.' });
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([...allowedHosts].map((host) => `http://${host}`));

  return {
    url: `http://${HOST}:${port}/`,
    port,
    token,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}
