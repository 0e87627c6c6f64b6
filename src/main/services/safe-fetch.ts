// Fetching pages a user (or a page's redirects) points at: every request has a deadline that covers
// the body too, a byte limit counted after decompression, a redirect limit, and only http(s) links
// without a user name or password on every hop. What comes back is a stream the caller can stop
// early.
import type { Dispatcher } from 'undici';

export const SAFE_FETCH_DEFAULTS = {
  timeoutMs: 10_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'Mozilla/5.0 (compatible; Curio/0.1; +link preview)',
} as const;

export interface SafeFetchOptions {
  /**
   * Deadline for the whole exchange, from the first request to the last body byte; Infinity for
   * none.
   */
  timeoutMs?: number;
  /** Largest body accepted, counted after gzip/brotli are undone. */
  maxBytes?: number;
  maxRedirects?: number;
  accept?: string;
  userAgent?: string;
  /** Lets the caller cancel, e.g. when the window that asked goes away. */
  signal?: AbortSignal;
  /** Makes every connection, redirects included; the address guard checks where they go. */
  dispatcher?: Dispatcher;
}

export type FetchErrorKind =
  | 'UnsupportedScheme'
  | 'Credentials'
  | 'Timeout'
  | 'TooLarge'
  | 'TooManyRedirects'
  | 'HttpStatus'
  | 'Network'
  | 'Aborted';

/** A fetch that went wrong, with a message a curator can act on. The name crosses transports. */
export class FetchError extends Error {
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
  ) {
    super(message);
    this.name = `Fetch${kind}`;
  }
}

export interface SafeResponse {
  /** The URL that answered, after redirects. */
  readonly url: string;
  readonly status: number;
  /** Lower-case MIME type without parameters (`text/html`), or '' when the server sent none. */
  readonly mimeType: string;
  /** The `charset` parameter of Content-Type, if any. */
  readonly charset: string | undefined;
  readonly headers: Headers;
  /** The body in chunks, stopped with FetchError('TooLarge') past the limit. Read it once. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops the download and frees the connection; safe to call more than once. */
  cancel(): Promise<void>;
}

const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Refuses what Curio never fetches, on the first hop and on every redirect: schemes other than
 * http(s), and links carrying a user name or password (fetch cannot send them, and a page that
 * redirects to one is asking for credentials Curio does not have).
 */
function requireFetchable(url: URL, via?: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError(
      'UnsupportedScheme',
      via
        ? `${via.toString()} redirected to a ${url.protocol} link; Curio only follows http and https links.`
        : `Curio only fetches http and https links, not ${url.protocol} links.`,
    );
  }
  if (url.username || url.password) {
    throw new FetchError(
      'Credentials',
      via
        ? `${via.toString()} redirected to a link with a user name or password. Links with a user name or password are not fetched.`
        : 'Links with a user name or password are not fetched; remove the "name:password@" part and try again.',
    );
  }
}

function parseContentType(header: string | null): {
  mimeType: string;
  charset: string | undefined;
} {
  if (!header) return { mimeType: '', charset: undefined };
  const [type = '', ...params] = header.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const [name, value] = param.split('=', 2).map((s) => s.trim());
    if (name?.toLowerCase() === 'charset' && value) charset = value.replace(/^"|"$/g, '');
  }
  return { mimeType: type.trim().toLowerCase(), charset };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round(bytes / (1024 * 1024))} MB`
    : `${Math.round(bytes / 1024)} kB`;
}

/** Turns whatever fetch threw into a FetchError that says which limit or failure it was. */
function explain(error: unknown, url: URL, deadline: AbortSignal): FetchError {
  if (error instanceof FetchError) return error;
  if (deadline.aborted) {
    const reason: unknown = deadline.reason;
    if (reason instanceof FetchError) return reason;
    return new FetchError('Aborted', `Fetching ${url.toString()} was cancelled.`);
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof FetchError) return cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const detail = code ?? (cause instanceof Error ? cause.message : String(cause));
  return new FetchError('Network', `Could not reach ${url.host} (${detail}).`);
}

/** Fetches `input` within the limits in `options`; throws FetchError for anything but a 2xx answer. */
export async function safeFetch(
  input: string,
  options: SafeFetchOptions = {},
): Promise<SafeResponse> {
  const maxBytes = options.maxBytes ?? SAFE_FETCH_DEFAULTS.maxBytes;
  const maxRedirects = options.maxRedirects ?? SAFE_FETCH_DEFAULTS.maxRedirects;
  let url = fetchableUrl(input);
  const deadline = startDeadline(
    url,
    options.timeoutMs ?? SAFE_FETCH_DEFAULTS.timeoutMs,
    options.signal,
  );
  // Node's fetch takes undici's `dispatcher`; the DOM typings jsdom brings in do not know it.
  const init = {
    redirect: 'manual',
    signal: deadline.signal,
    headers: {
      accept: options.accept ?? '*/*',
      'user-agent': options.userAgent ?? SAFE_FETCH_DEFAULTS.userAgent,
    },
    dispatcher: options.dispatcher,
  } as RequestInit;
  try {
    for (let redirects = 0; ; redirects += 1) {
      let response: Response;
      try {
        response = await fetch(url, init);
      } catch (error) {
        throw explain(error, url, deadline.signal);
      }
      const next = await redirectTarget(response, url, { input, redirects, maxRedirects });
      if (next) {
        url = next;
        continue;
      }
      await requireReadable(response, url, maxBytes);
      return respond(response, url, {
        maxBytes,
        deadline: deadline.signal,
        finish: deadline.finish,
      });
    }
  } catch (error) {
    deadline.finish();
    throw error;
  }
}

function fetchableUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new FetchError(
      'UnsupportedScheme',
      `"${input.slice(0, 200)}" is not a URL Curio can fetch.`,
    );
  }
  requireFetchable(url);
  return url;
}

/** Aborts on `timeoutMs` or when the caller's `signal` aborts; `finish` lets go of both. */
function startDeadline(url: URL, timeoutMs: number, signal: AbortSignal | undefined) {
  const deadline = new AbortController();
  // Node fires a timer at once when its delay is past 2^31 - 1 ms, so longer means no deadline.
  const timer =
    timeoutMs <= MAX_TIMER_DELAY_MS
      ? setTimeout(() => {
          deadline.abort(
            new FetchError(
              'Timeout',
              `${url.host} did not answer within ${timeoutMs / 1000} s; try again later.`,
            ),
          );
        }, timeoutMs)
      : undefined;
  timer?.unref();
  const onCallerAbort = () =>
    deadline.abort(new FetchError('Aborted', `Fetching ${url.toString()} was cancelled.`));
  if (signal?.aborted) onCallerAbort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  const finish = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  };
  return { signal: deadline.signal, finish };
}

/**
 * Where a redirect leads, checked like the first address; null when `response` is not a
 * redirect. Refuses one more redirect than `maxRedirects` of `input`.
 */
async function redirectTarget(
  response: Response,
  url: URL,
  hops: { input: string; redirects: number; maxRedirects: number },
): Promise<URL | null> {
  const location = response.headers.get('location');
  if (!REDIRECT_STATUSES.has(response.status) || !location) return null;
  await response.body?.cancel().catch(() => undefined);
  if (hops.redirects >= hops.maxRedirects) {
    throw new FetchError(
      'TooManyRedirects',
      `${hops.input} redirected more than ${hops.maxRedirects} times (a redirect loop?), so Curio gave up.`,
    );
  }
  let next: URL;
  try {
    next = new URL(location, url);
  } catch {
    throw new FetchError(
      'UnsupportedScheme',
      `${url.toString()} redirected to an invalid address.`,
    );
  }
  requireFetchable(next, url);
  return next;
}

/** Refuses an answer that is not 2xx, or that says up front it is over `maxBytes`. */
async function requireReadable(response: Response, url: URL, maxBytes: number): Promise<void> {
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => undefined);
    const text = response.statusText ? ` ${response.statusText}` : '';
    throw new FetchError('HttpStatus', `${url.host} answered ${response.status}${text}.`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchError(
      'TooLarge',
      `${url.host} sends ${formatBytes(declared)}, more than the ${formatBytes(maxBytes)} Curio reads.`,
    );
  }
}

function respond(
  response: Response,
  url: URL,
  limits: { maxBytes: number; deadline: AbortSignal; finish: () => void },
): SafeResponse {
  const { mimeType, charset } = parseContentType(response.headers.get('content-type'));
  const reader = response.body?.getReader();
  let cancelled = false;
  const cancel = async () => {
    limits.finish();
    if (cancelled) return;
    cancelled = true;
    await reader?.cancel().catch(() => undefined);
  };
  async function* body(): AsyncGenerator<Uint8Array> {
    if (!reader) return;
    let received = 0;
    try {
      for (;;) {
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await reader.read();
        } catch (error) {
          throw explain(error, url, limits.deadline);
        }
        if (step.done) return;
        received += step.value.byteLength;
        if (received > limits.maxBytes) {
          throw new FetchError(
            'TooLarge',
            `${url.host} sent more than ${formatBytes(limits.maxBytes)}, so Curio stopped reading.`,
          );
        }
        yield step.value;
      }
    } finally {
      await cancel();
    }
  }
  return {
    url: url.toString(),
    status: response.status,
    mimeType,
    charset,
    headers: response.headers,
    body: body(),
    cancel,
  };
}
