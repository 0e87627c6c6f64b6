// The renderer's way to DesktopApi. In Electron the preload exposes it as `window.curio`; in web
// mode it is HTTP to the server that served this page, authorised by the token that server put in
// <meta name="curio-api-token">. Either way a failure arrives as a DesktopApiError with its name.
import {
  API_TOKEN_META,
  ApiErrorSchema,
  DesktopApiError,
  bytesReviver,
  jsonWithBytesInPieces,
  type DesktopApi,
  type DesktopMethod,
} from '../../shared/api';
import { DESKTOP_METHODS, type CaptureBridge } from '../../shared/desktop-bridge';
import { isHttpUrl } from '../../shared/model';
import { timeSlices } from '../data/next-task';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    readonly curio?: DesktopApi;
    /** Quick-capture pages sent to the window while it is open; set by the Electron preload. */
    readonly curioCaptures?: CaptureBridge;
  }
  // Base64 of typed arrays (Chromium 140, Firefox 133, Safari 18.2); not yet in TypeScript's lib.
  interface Uint8Array {
    toBase64(): string;
  }
  interface Uint8ArrayConstructor {
    fromBase64(base64: string): Uint8Array;
  }
}

const toBase64 = (bytes: Uint8Array) => bytes.toBase64();
const fromBase64 = (base64: string) => Uint8Array.fromBase64(base64);

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** Electron's bridge rejects with a plain {name, message}; make it an Error again. */
function asDesktopApiError(reason: unknown): Error {
  if (reason instanceof DesktopApiError) return reason;
  const parsed = ApiErrorSchema.safeParse(reason);
  if (parsed.success) return new DesktopApiError(parsed.data.name, parsed.data.message);
  return reason instanceof Error ? reason : new DesktopApiError('Error', String(reason));
}

function electronApi(bridge: DesktopApi): DesktopApi {
  const api: Partial<Record<DesktopMethod, AnyMethod>> = {};
  for (const method of DESKTOP_METHODS) {
    const call = bridge[method] as AnyMethod;
    api[method] = (...args) =>
      call(...args).catch((reason: unknown) => Promise.reject(asDesktopApiError(reason)));
  }
  return api as DesktopApi;
}

/** How long encoding a request body may hold the window before it lets a frame through. */
const BODY_SLICE_MS = 8;

/**
 * The call's JSON, its bytes in base64 a slice at a time: a backup of 100,000 links is 85 MB,
 * which encoded in one go held the window for seconds.
 */
async function requestBody(args: unknown[]): Promise<Blob> {
  // A Blob per piece: one Blob of all the pieces would encode them all to UTF-8 in one go.
  const parts: Blob[] = [];
  const slice = timeSlices(BODY_SLICE_MS);
  for (const piece of jsonWithBytesInPieces(args, toBase64, crypto.randomUUID())) {
    parts.push(new Blob([piece]));
    await slice();
  }
  return new Blob(parts, { type: 'application/json' });
}

async function post(token: string, method: string, args: unknown[]): Promise<unknown> {
  let response: Response;
  const request = await requestBody(args);
  try {
    response = await fetch(`/api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: request,
    });
  } catch {
    throw new DesktopApiError(
      'Unavailable',
      'Curio web mode is not answering. Start it again with `npm run web` and reload this page.',
    );
  }
  if (response.status === 204) return undefined;
  const body: unknown = await response
    .text()
    .then((text) => JSON.parse(text, bytesReviver(fromBase64)) as unknown)
    .catch(() => null);
  if (response.ok) return body;
  const error = ApiErrorSchema.safeParse((body as { error?: unknown } | null)?.error);
  throw error.success
    ? new DesktopApiError(error.data.name, error.data.message)
    : new DesktopApiError('HttpError', `Curio web mode answered ${response.status} to ${method}.`);
}

/** Web mode opens links itself: a new tab, without handing this page to the opened one. */
function openInBrowser(url: string): Promise<void> {
  if (!isHttpUrl(url)) {
    return Promise.reject(
      new DesktopApiError('InvalidArguments', 'Only http and https links open outside Curio.'),
    );
  }
  window.open(url, '_blank', 'noopener,noreferrer');
  return Promise.resolve();
}

function httpApi(token: string | null): DesktopApi {
  const api: Partial<Record<DesktopMethod, AnyMethod>> = {};
  for (const method of DESKTOP_METHODS) {
    api[method] = (...args) =>
      token
        ? post(token, method, args)
        : Promise.reject(
            new DesktopApiError(
              'Unavailable',
              'This page was not opened by Curio (no API token), so links cannot be fetched. ' +
                'Open the desktop app, or the address `npm run web` prints.',
            ),
          );
  }
  return { ...(api as DesktopApi), openExternal: openInBrowser };
}

let cached: DesktopApi | undefined;

export function getDesktopApi(): DesktopApi {
  if (cached) return cached;
  const bridge = window.curio;
  if (bridge) {
    cached = electronApi(bridge);
  } else {
    const meta = document.querySelector<HTMLMetaElement>(`meta[name="${API_TOKEN_META}"]`);
    cached = httpApi(meta?.content || null);
  }
  return cached;
}
