// Reads a Bluesky account's public posts for import: resolves the handle on the configured service,
// finds the account's own PDS in its DID document, and pages through its post and repost records
// with com.atproto.repo.listRecords. Public records need no login. Paging is bounded, each request
// has a deadline, and failures say which of handle, service or PDS went wrong.
import { AtpAgent, XRPCError } from '@atproto/api';
import {
  POST_COLLECTION,
  REPOST_COLLECTION,
  blueskyDrafts,
  type BlueskyRecord,
  type ImportResult,
} from '../../../shared/import';

export interface BlueskyAccountRef {
  /** Where the handle is resolved: the curator's service setting (default https://bsky.social). */
  serviceUrl: string;
  /** `@alice.bsky.social`, `alice.bsky.social` or a DID. */
  handle: string;
}

export interface ReadBlueskyAccountOptions {
  /** Records per listRecords page (the PDS allows up to 100). */
  pageSize?: number;
  /** The newest posts read at most; older ones are left out with a problem saying so. */
  maxPosts?: number;
  /** Deadline of each request. */
  requestTimeoutMs?: number;
  /** Where did:plc documents are looked up when the service does not host the account. */
  plcUrl?: string;
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
}

export class BlueskyImportError extends Error {
  constructor(
    name: 'BlueskyUnknownHandle' | 'BlueskyUnreachable' | 'BlueskyImportFailed',
    message: string,
  ) {
    super(message);
    this.name = name;
  }
}

const DEFAULTS = {
  pageSize: 100,
  maxPosts: 50_000,
  requestTimeoutMs: 30_000,
  plcUrl: 'https://plc.directory',
};

function withDeadline(
  fetchFn: typeof globalThis.fetch,
  ms: number,
  signal?: AbortSignal,
): typeof globalThis.fetch {
  return (input, init) => {
    const signals = [
      AbortSignal.timeout(ms),
      ...(signal ? [signal] : []),
      ...(init?.signal ? [init.signal] : []),
    ];
    return fetchFn(input, { ...init, signal: AbortSignal.any(signals) });
  };
}

function unreachable(what: string, url: string, error: unknown): BlueskyImportError {
  const reason = error instanceof Error ? error.message : String(error);
  return new BlueskyImportError(
    'BlueskyUnreachable',
    `Curio could not reach ${what} at ${url} (${reason}). Check the address and your connection, then try again.`,
  );
}

/** True for failures of the transport rather than answers of the server. */
function isNetworkFailure(error: unknown): boolean {
  return (
    !(error instanceof XRPCError) ||
    error.status < 100 ||
    error.status === 502 ||
    error.status === 504
  );
}

async function resolveDid(agent: AtpAgent, handle: string, serviceUrl: string): Promise<string> {
  if (handle.startsWith('did:')) return handle;
  try {
    const res = await agent.com.atproto.identity.resolveHandle({ handle });
    return res.data.did;
  } catch (error) {
    if (isNetworkFailure(error)) throw unreachable('the Bluesky service', serviceUrl, error);
    throw new BlueskyImportError(
      'BlueskyUnknownHandle',
      `No Bluesky account has the handle @${handle} on ${serviceUrl}. Check the spelling, or the service address if the account lives on its own server.`,
    );
  }
}

function pdsOf(didDoc: unknown): string | null {
  const services = (
    didDoc as { service?: Array<{ id?: string; type?: string; serviceEndpoint?: unknown }> }
  )?.service;
  const pds = services?.find(
    (s) => s.id?.endsWith('#atproto_pds') || s.type === 'AtprotoPersonalDataServer',
  );
  return typeof pds?.serviceEndpoint === 'string' ? pds.serviceEndpoint : null;
}

async function findPds(
  agent: AtpAgent,
  did: string,
  serviceUrl: string,
  options: Required<Pick<ReadBlueskyAccountOptions, 'plcUrl'>> & { fetch: typeof globalThis.fetch },
): Promise<string> {
  try {
    const repo = await agent.com.atproto.repo.describeRepo({ repo: did });
    const pds = pdsOf(repo.data.didDoc);
    if (pds) return pds;
  } catch (error) {
    if (isNetworkFailure(error)) throw unreachable('the Bluesky service', serviceUrl, error);
    // Not hosted on this service: read the DID document itself.
  }
  const docUrl = did.startsWith('did:web:')
    ? `https://${decodeURIComponent(did.slice('did:web:'.length))}/.well-known/did.json`
    : `${options.plcUrl.replace(/\/$/, '')}/${encodeURIComponent(did)}`;
  let doc: unknown;
  try {
    const res = await options.fetch(docUrl);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    doc = await res.json();
  } catch (error) {
    throw unreachable(`the identity directory for ${did}`, docUrl, error);
  }
  const pds = pdsOf(doc);
  if (!pds) {
    throw new BlueskyImportError(
      'BlueskyImportFailed',
      `The account ${did} names no server for its posts, so they cannot be read.`,
    );
  }
  return pds;
}

/** Pages through one collection of the repo, newest first, up to `max` records. */
async function listAll(
  pds: AtpAgent,
  pdsUrl: string,
  did: string,
  collection: string,
  pageSize: number,
  max: number,
  signal?: AbortSignal,
): Promise<{ records: BlueskyRecord[]; truncated: boolean }> {
  const records: BlueskyRecord[] = [];
  let cursor: string | undefined;
  for (;;) {
    signal?.throwIfAborted();
    let page;
    try {
      page = await pds.com.atproto.repo.listRecords({
        repo: did,
        collection,
        limit: pageSize,
        cursor,
      });
    } catch (error) {
      if (isNetworkFailure(error)) throw unreachable("the account's server", pdsUrl, error);
      const reason = error instanceof Error ? error.message : String(error);
      throw new BlueskyImportError(
        'BlueskyImportFailed',
        `The account's server at ${pdsUrl} refused to list its posts (${reason}).`,
      );
    }
    for (const r of page.data.records) {
      if (records.length >= max) return { records, truncated: true };
      records.push({ uri: r.uri, value: r.value });
    }
    const next = page.data.cursor;
    // A server that repeats its cursor or sends an empty page would otherwise loop forever.
    if (!next || next === cursor || page.data.records.length === 0)
      return { records, truncated: false };
    cursor = next;
  }
}

/** Every post of the account with a link card, as import drafts; replies and reposts counted. */
export async function readBlueskyAccount(
  account: BlueskyAccountRef,
  options: ReadBlueskyAccountOptions = {},
): Promise<ImportResult> {
  const o = { ...DEFAULTS, ...options };
  const fetchFn = withDeadline(
    options.fetch ?? globalThis.fetch,
    o.requestTimeoutMs,
    options.signal,
  );
  const handle = account.handle.trim().replace(/^@/, '').toLowerCase();
  const service = new AtpAgent({ service: account.serviceUrl, fetch: fetchFn });
  const did = await resolveDid(service, handle, account.serviceUrl);
  const pdsUrl = await findPds(service, did, account.serviceUrl, {
    plcUrl: o.plcUrl,
    fetch: fetchFn,
  });
  const pds = new AtpAgent({ service: pdsUrl, fetch: fetchFn });
  const posts = await listAll(
    pds,
    pdsUrl,
    did,
    POST_COLLECTION,
    o.pageSize,
    o.maxPosts,
    options.signal,
  );
  const reposts = await listAll(
    pds,
    pdsUrl,
    did,
    REPOST_COLLECTION,
    o.pageSize,
    o.maxPosts,
    options.signal,
  );
  const out = blueskyDrafts({ did, posts: posts.records, reposts: reposts.records.length });
  if (posts.truncated) {
    out.problem(
      '',
      `only the newest ${o.maxPosts.toLocaleString('en')} posts were read; older posts are not in this import`,
      'warning',
    );
  }
  return out.finish('bluesky');
}
