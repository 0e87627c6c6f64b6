// A real local PDS (from @atproto/dev-env) for publishing tests, a network with an AppView for
// reading replies, a loopback proxy that can lose, fail, stall or rate-limit chosen requests, and
// a loopback server for preview images.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestNetwork, TestNetworkNoAppView } from '@atproto/dev-env';
import { AtpAgent } from '@atproto/api';
import sharp from 'sharp';
import { startPostgres } from '../../../../../tests/support/postgres';
import { vaultNames } from '../../../../shared/publish';
import type { CredentialVault } from '../../vault/credential-vault';

export interface TestAccount {
  did: string;
  handle: string;
  password: string;
}

let accountSeq = 0;

export async function startPds(): Promise<TestNetworkNoAppView> {
  return TestNetworkNoAppView.create({});
}

export async function createAccount(
  net: TestNetworkNoAppView,
  name = 'user',
): Promise<TestAccount> {
  const handle = `${name}${++accountSeq}.test`;
  const password = `pw-${accountSeq}-secret`;
  const agent = new AtpAgent({ service: net.pds.url });
  const res = await agent.createAccount({ handle, email: `${handle}@example.com`, password });
  return { did: res.data.did, handle, password };
}

/** An in-memory vault holding one account's app password. */
export function memoryVault(
  serviceUrl: string,
  account: TestAccount,
): CredentialVault & { secrets: Map<string, string> } {
  const secrets = new Map([
    [vaultNames.blueskyPassword(serviceUrl, account.handle), account.password],
  ]);
  return {
    secrets,
    get: async (name) => secrets.get(name) ?? null,
    set: async (name, value) => void secrets.set(name, value),
    delete: async (name) => void secrets.delete(name),
    names: async () => [...secrets.keys()],
  };
}

export async function listPosts(net: TestNetworkNoAppView, did: string) {
  const agent = new AtpAgent({ service: net.pds.url });
  const res = await agent.com.atproto.repo.listRecords({
    repo: did,
    collection: 'app.bsky.feed.post',
    limit: 100,
  });
  return res.data.records;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * - drop-after-commit: forwards, lets the PDS commit, then cuts the connection without answering
 * - error-500: answers 500 without forwarding
 * - stall-after-commit: forwards, then never answers (the client's deadline fires)
 * - rate-limit: answers 429 with RateLimit-* headers asking for a one-second wait
 */
export type Fault = 'drop-after-commit' | 'error-500' | 'stall-after-commit' | 'rate-limit';

export interface FaultyProxy {
  url: string;
  server: Server;
  /** Faults to apply, in order, to requests whose path contains `match`. */
  inject(match: string, faults: Fault[]): void;
  /** How many requests of each method went through (or were refused), e.g. createRecord -> 3. */
  seen: Map<string, number>;
  close(): Promise<void>;
}

export async function startFaultyProxy(targetUrl: string): Promise<FaultyProxy> {
  const target = new URL(targetUrl);
  const plans: Array<{ match: string; faults: Fault[] }> = [];
  const seen = new Map<string, number>();
  const forward = (
    req: IncomingMessage,
    body: Buffer,
    onResponse: (res: IncomingMessage, body: Buffer) => void,
  ) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => onResponse(res, Buffer.concat(chunks)));
      },
    );
    upstream.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = (req.url ?? '').replace(/^\/xrpc\//, '').replace(/\?.*$/, '');
      seen.set(method, (seen.get(method) ?? 0) + 1);
      const plan = plans.find((p) => req.url?.includes(p.match) && p.faults.length);
      const fault = plan?.faults.shift();
      if (fault === 'error-500') {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'InternalServerError', message: 'injected' }));
      } else if (fault === 'rate-limit') {
        const reset = Math.ceil(Date.now() / 1000) + 1;
        res
          .writeHead(429, {
            'content-type': 'application/json',
            'ratelimit-limit': '10',
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(reset),
          })
          .end(JSON.stringify({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }));
      } else if (fault === 'drop-after-commit') {
        forward(req, body, () => req.socket.destroy());
      } else if (fault === 'stall-after-commit') {
        forward(req, body, () => undefined);
      } else {
        forward(req, body, (up, upBody) => {
          res.writeHead(up.statusCode ?? 502, up.headers).end(upBody);
        });
      }
    });
  });
  const url = await listen(server);
  return {
    url,
    server,
    seen,
    inject: (match, faults) => plans.push({ match, faults: [...faults] }),
    close: () => closeServer(server),
  };
}

/** A fetch that sends every request for `from`'s origin to `to` instead (the agent follows the PDS's own URL after login). */
export function redirectingFetch(from: string, to: string): typeof globalThis.fetch {
  const fromOrigin = new URL(from).origin;
  return (input, init) => {
    const raw = input instanceof Request ? input.url : input.toString();
    const url = new URL(raw);
    if (url.origin === fromOrigin || url.origin === new URL(to).origin) {
      const next = new URL(url.pathname + url.search, to);
      return input instanceof Request
        ? globalThis.fetch(new Request(next, input), init)
        : globalThis.fetch(next, init);
    }
    return globalThis.fetch(input, init);
  };
}

/** Serves generated images: /big.png (2400×1600 noise, several MB), /small.jpg, /missing.png (404). */
export async function startImageServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const big = await sharp({
    create: {
      width: 2400,
      height: 1600,
      channels: 3,
      background: '#336699',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .png({ compressionLevel: 1 })
    .toBuffer();
  const small = await sharp({
    create: { width: 320, height: 200, channels: 3, background: '#cc3300' },
  })
    .jpeg()
    .toBuffer();
  const server = createServer((req, res) => {
    const image = req.url === '/big.png' ? big : req.url === '/small.jpg' ? small : null;
    if (!image) return void res.writeHead(404).end();
    res
      .writeHead(200, {
        'content-type': req.url?.endsWith('.png') ? 'image/png' : 'image/jpeg',
        'content-length': image.byteLength,
      })
      .end(image);
  });
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
}

/**
 * A local network with an AppView (PLC, PDS, Ozone and the bsky AppView): the AppView indexes
 * into a throwaway PostgreSQL cluster, started here and removed by `close`. `schema` is letters
 * and underscores only (the AppView's rule).
 */
export async function startAppViewNetwork(
  schema: string,
): Promise<{ net: TestNetwork; close: () => Promise<void> }> {
  const pg = await startPostgres();
  try {
    const { host, user, database } = pg.connection;
    // TestNetwork.create insists on REDIS_HOST, but nothing in this AppView version connects to
    // it (its Redis serves caches the test network does not configure): any value passes.
    process.env.REDIS_HOST ??= '127.0.0.1:6379';
    const net = await TestNetwork.create({
      dbPostgresUrl: `postgresql://${user}@localhost/${database}?host=${encodeURIComponent(host)}`,
      dbPostgresSchema: schema,
    });
    return {
      net,
      close: async () => {
        await net.close();
        await pg.remove();
      },
    };
  } catch (error) {
    await pg.remove();
    throw error;
  }
}
