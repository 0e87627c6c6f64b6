// `POST /api/<method>` with a JSON array of arguments: DesktopApi over HTTP. Only the page this
// server handed out may call it: the request must carry the per-launch token from that page's
// <meta name="curio-api-token"> and, when a browser sends it, come from the same origin.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError, DesktopApi } from '../shared/api';
import { bytesReplacer, bytesReviver, dispatchDesktopCall, toApiError } from '../shared/api';
import { MAX_BACKUP_BYTES } from '../shared/backups';
import { JsonDepthScanner } from './json-depth';

/**
 * publishSite carries every site pick (the build covers them all), a few hundred bytes each once
 * notes are left out; the cap keeps a runaway client from filling memory.
 */
export const MAX_API_BODY_BYTES = 32 * 1024 * 1024;

/** A backup carries a whole collection's log, base64 in JSON (a third larger), plus its names. */
const BODY_LIMITS: Readonly<Record<string, number>> = {
  writeBackup: Math.ceil((MAX_BACKUP_BYTES * 4) / 3) + 1024 * 1024,
};

const fromBase64 = (base64: string) => {
  const buffer = Buffer.from(base64, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};
const toBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * How deeply the arguments may nest. Curio's own calls nest less than ten levels; the cap stops a
 * body of brackets from keeping the parser busy for seconds.
 */
export const MAX_API_BODY_DEPTH = 64;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    name: string,
    message: string,
  ) {
    super(message);
    this.name = name;
  }
}

/** Which HTTP status tells a client what kind of failure a service error is. */
function statusFor(error: ApiError): number {
  if (error.name === 'UnknownMethod') return 404;
  if (error.name === 'InvalidArguments' || error.name === 'InvalidUrlError') return 400;
  if (error.name === 'NotSupported') return 501;
  if (error.name.startsWith('Fetch') || error.name.startsWith('Article')) return 502;
  return 500;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, bytesReplacer(toBase64));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, error: ApiError): void {
  sendJson(res, status, { error: { name: error.name, message: error.message } });
}

function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request's bearer token, or HttpError 401/403. */
function checkToken(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization;
  const given = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!given) {
    throw new HttpError(
      401,
      'Unauthorized',
      'This request carries no Curio API token. Reload the page that Curio web mode opened.',
    );
  }
  if (!tokensMatch(given, token)) {
    throw new HttpError(
      403,
      'Forbidden',
      'The Curio API token is wrong: it changes each time web mode starts. Reload the page.',
    );
  }
}

/** Browsers say where a request comes from; a page on another origin may not call the API. */
function checkOrigin(req: IncomingMessage, allowedOrigins: ReadonlySet<string>): void {
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins.has(origin)) {
    throw new HttpError(403, 'Forbidden', `Requests from ${origin} may not call Curio's API.`);
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(
      403,
      'Forbidden',
      `Cross-site requests (${site}) may not call Curio's API.`,
    );
  }
}

async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, 'UnsupportedMediaType', 'Send the arguments as application/json.');
  }
  const chunks: Buffer[] = [];
  const depth = new JsonDepthScanner();
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new HttpError(
        413,
        'PayloadTooLarge',
        `The arguments are larger than ${Math.round(maxBytes / (1024 * 1024))} MB.`,
      );
    }
    // Once too deep, the rest is read to the end (within the size cap) but neither kept nor
    // scanned, so the client hears why instead of a reset connection.
    if (depth.deepest > MAX_API_BODY_DEPTH) continue;
    depth.scan(chunk);
    chunks.push(chunk);
  }
  if (depth.deepest > MAX_API_BODY_DEPTH) {
    throw new HttpError(
      400,
      'InvalidArguments',
      `The arguments nest more than ${MAX_API_BODY_DEPTH} levels deep; no call of Curio's takes arguments like that.`,
    );
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text, bytesReviver(fromBase64)) as unknown;
  } catch (error) {
    throw new HttpError(
      400,
      'InvalidArguments',
      `The body is not JSON (${error instanceof Error ? error.message : String(error)}); send an array of arguments.`,
    );
  }
}

export interface ApiRouteOptions {
  api: DesktopApi;
  token: string;
  allowedOrigins: ReadonlySet<string>;
  log: (line: string) => void;
}

export async function handleApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  options: ApiRouteOptions,
): Promise<void> {
  try {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      throw new HttpError(405, 'MethodNotAllowed', `Call ${method} with POST.`);
    }
    checkOrigin(req, options.allowedOrigins);
    checkToken(req, options.token);
    const args = await readJsonBody(req, BODY_LIMITS[method] ?? MAX_API_BODY_BYTES);
    if (!Array.isArray(args)) {
      throw new HttpError(
        400,
        'InvalidArguments',
        `Send the arguments of ${method} as a JSON array.`,
      );
    }
    const result = await dispatchDesktopCall(options.api, method, args);
    if (result === undefined) {
      res.writeHead(204, { 'cache-control': 'no-store' });
      res.end();
    } else {
      sendJson(res, 200, result);
    }
  } catch (error) {
    if (error instanceof HttpError) return sendError(res, error.status, toApiError(error));
    const apiError = toApiError(error);
    const status = statusFor(apiError);
    if (status === 500)
      options.log(
        `API ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : apiError.message}`,
      );
    sendError(res, status, apiError);
  }
}
