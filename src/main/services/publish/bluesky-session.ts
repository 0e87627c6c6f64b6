// One logged-in Bluesky account. The agent refreshes its access token by itself; when the refresh
// token has expired too, the next call fails with an auth error and the session logs in again
// with the app password from the vault. Keep one session per account so logins stay rare
// (createSession has its own, strict rate limit).
import { AtpAgent, XRPCError } from '@atproto/api';
import type { BlueskySettings } from '../../../shared/publish';
import { vaultNames } from '../../../shared/publish';
import type { CredentialVault } from '../vault/credential-vault';
import { DEFAULT_RETRY, GaveUpError, withRetry, type RetryPolicy } from './retry';

export interface BlueskySessionOptions {
  /** Transport for every XRPC call (tests route it through a faulty proxy). */
  fetch?: typeof globalThis.fetch;
  /** Deadline per HTTP request. */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export class BlueskyAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlueskyAuth';
  }
}

/** The service did not answer at all (offline, DNS, refused, timed out): nothing was decided. */
export class BlueskyUnreachableError extends Error {
  constructor(serviceUrl: string, cause: unknown) {
    super(`Can't reach ${new URL(serviceUrl).host} — check your connection.`, { cause });
    this.name = 'Unreachable';
  }
}

const NO_ANSWER = new Set(['TypeError', 'AbortError', 'TimeoutError']);

/** True when a call failed without any answer from the service. */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof GaveUpError) return isUnreachable(error.cause);
  // XRPC reports "no response" as status 1 (ResponseType.Unknown), with fetch's error as the cause.
  if (error instanceof XRPCError && error.status === 1)
    return error.cause instanceof Error && NO_ANSWER.has(error.cause.name);
  return error instanceof Error && NO_ANSWER.has(error.name);
}

function withDeadline(base: typeof globalThis.fetch, ms: number): typeof globalThis.fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return base(input, { ...init, signal });
  };
}

export class BlueskySession {
  readonly agent: AtpAgent;
  readonly policy: RetryPolicy;

  constructor(
    readonly settings: Pick<BlueskySettings, 'serviceUrl' | 'identifier'>,
    private readonly vault: CredentialVault,
    options: BlueskySessionOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    const fetch = withDeadline(
      options.fetch ?? globalThis.fetch,
      options.requestTimeoutMs ?? 30_000,
    );
    this.agent = new AtpAgent({ service: settings.serviceUrl, fetch });
  }

  get did(): string {
    const did = this.agent.session?.did;
    if (!did) throw new BlueskyAuthError('Not logged in to Bluesky.');
    return did;
  }

  async ensureLoggedIn(): Promise<void> {
    if (!this.agent.session) await this.login();
  }

  /**
   * Logs in with the stored app password. Never puts the password in an error message. Someone
   * waiting on a settings screen passes a shorter policy than the publisher's.
   */
  async login(policy: RetryPolicy = this.policy): Promise<void> {
    const { serviceUrl, identifier } = this.settings;
    const password = await this.vault.get(vaultNames.blueskyPassword(serviceUrl, identifier));
    if (!password) {
      throw new BlueskyAuthError(
        `No app password is stored for ${identifier} on ${serviceUrl}; add one in Settings › Bluesky.`,
      );
    }
    try {
      await withRetry(
        'Logging in to Bluesky',
        () => this.agent.login({ identifier, password }),
        policy,
        async (error) => {
          throw error;
        },
      );
    } catch (error) {
      if (error instanceof XRPCError && (error.status === 401 || error.status === 400)) {
        throw new BlueskyAuthError(
          `${serviceUrl} refused the login for ${identifier} (${error.message}); check the handle and app password in Settings › Bluesky.`,
        );
      }
      if (isUnreachable(error)) throw new BlueskyUnreachableError(serviceUrl, error);
      throw error;
    }
  }

  /** Runs an XRPC call with retries; logs in again when the session is gone. */
  call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(what, fn, this.policy, () => this.login());
  }
}
