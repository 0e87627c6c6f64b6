// When to try an XRPC call again and how long to wait. Rate limits wait for the server's
// RateLimit-Reset; network failures, timeouts and 5xx back off exponentially with jitter; an
// expired or missing session asks the caller to log in again; anything else is final.
import { XRPCError } from '@atproto/api';

export interface RetryPolicy {
  /** Tries per call, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest rate-limit wait accepted; beyond it the job stops and says when to try again. */
  maxRateLimitWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  maxRateLimitWaitMs: 5 * 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: () => Math.random(),
};

export type Failure =
  | { kind: 'rate-limited'; waitMs: number | null }
  | { kind: 'transient' }
  | { kind: 'auth' }
  | { kind: 'final' };

const TRANSIENT_STATUS = new Set([1, 2, 408, 500, 502, 503, 504]);
const AUTH_ERRORS = new Set([
  'ExpiredToken',
  'InvalidToken',
  'AuthRequired',
  'AuthenticationRequired',
]);

function header(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() === name && v !== undefined) return v;
  return undefined;
}

/** How long a 429 asks to wait: RateLimit-Reset (epoch seconds) or Retry-After (seconds). */
export function rateLimitWait(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  now: number,
): number | null {
  const reset = Number(header(headers, 'ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  const after = Number(header(headers, 'retry-after'));
  if (Number.isFinite(after) && after >= 0) return after * 1000;
  return null;
}

export function classify(error: unknown, now: number): Failure {
  if (error instanceof XRPCError) {
    if (error.status === 429)
      return { kind: 'rate-limited', waitMs: rateLimitWait(error.headers, now) };
    if (error.status === 401 || AUTH_ERRORS.has(error.error)) return { kind: 'auth' };
    if (TRANSIENT_STATUS.has(error.status)) return { kind: 'transient' };
    return { kind: 'final' };
  }
  // fetch() rejects with TypeError on network failure and with an abort/timeout DOMException.
  if (
    error instanceof Error &&
    (error.name === 'TypeError' || error.name === 'AbortError' || error.name === 'TimeoutError')
  ) {
    return { kind: 'transient' };
  }
  return { kind: 'final' };
}

export class RateLimitedError extends Error {
  constructor(readonly retryAt: number) {
    super(
      `Bluesky's rate limit is reached; publishing can continue after ${new Date(retryAt).toISOString().slice(11, 16)} UTC.`,
    );
    this.name = 'RateLimited';
  }
}

export class GaveUpError extends Error {
  constructor(what: string, attempts: number, cause: unknown) {
    super(
      `${what} failed ${attempts} times (${cause instanceof Error ? cause.message : String(cause)}); try again later.`,
      { cause },
    );
    this.name = 'GaveUp';
  }
}

/**
 * Runs `call` until it succeeds, retrying per `policy`. `reauthenticate` runs on an auth failure
 * (at most twice) before the next try; it may rethrow the error to make auth failures final.
 */
export async function withRetry<T>(
  what: string,
  call: () => Promise<T>,
  policy: RetryPolicy,
  reauthenticate: (error: unknown) => Promise<void>,
): Promise<T> {
  let logins = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = classify(error, policy.now());
      if (failure.kind === 'final') throw error;
      if (failure.kind === 'auth') {
        if (++logins > 2) throw error;
        await reauthenticate(error);
        attempt--;
        continue;
      }
      if (attempt >= policy.attempts) throw new GaveUpError(what, attempt, error);
      let wait =
        Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) *
        (0.5 + policy.random() / 2);
      if (failure.kind === 'rate-limited' && failure.waitMs !== null) {
        if (failure.waitMs > policy.maxRateLimitWaitMs)
          throw new RateLimitedError(policy.now() + failure.waitMs);
        wait = failure.waitMs + 50;
      }
      await policy.sleep(wait);
    }
  }
}
