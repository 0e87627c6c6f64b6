// The hub's plain HTTP side: /healthz for load balancers, /metrics for Prometheus, and
// /v1/check/<collection>, which tells a browser why its invite is refused (a browser cannot read
// why a WebSocket upgrade failed), as a code (src/shared/sync/invite-check.ts) and in words.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHECK_PATH, type CheckAnswer } from '../shared/sync';
import type { AuthRequest, Authorization } from './auth';
import type { CommitStats } from './group-commit';
import type { HubMetrics } from './metrics';
import type { StoreStats } from './pg/stats';

export interface StoreHealth {
  kind: 'sqlite' | 'postgres' | 'custom';
  ok: boolean;
  /** The round trip of a trivial query, in milliseconds. */
  latencyMs: number;
  /** PostgreSQL only: whether this hub hears other hubs' commits now. */
  listening?: boolean;
  problem?: string;
}

export interface RouteDeps {
  metrics: HubMetrics;
  rooms: () => number;
  connections: () => number;
  authorize: (req: AuthRequest) => Authorization;
  store: () => Promise<StoreHealth>;
  commits: () => CommitStats;
  /** The PostgreSQL store's counters, when the hub is one of a cluster. */
  cluster: () => StoreStats | null;
}

/** Open to any origin: the check reveals nothing the token its caller holds does not. */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization',
  'access-control-allow-methods': 'GET',
};

function check(req: IncomingMessage, res: ServerResponse, path: string, deps: RouteDeps): void {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, CORS);
    res.end();
    return;
  }
  const url = `/${path.slice(CHECK_PATH.length)}`;
  const verdict = deps.authorize({ url, headers: req.headers });
  const body: CheckAnswer = verdict.ok
    ? { ok: true, member: verdict.claims.member, role: verdict.claims.role }
    : {
        ok: false,
        reason: verdict.reason,
        error: `The hub refused this invite: ${verdict.message}.`,
      };
  res.writeHead(verdict.ok ? 200 : verdict.status, {
    ...CORS,
    'content-type': 'application/json',
  });
  res.end(JSON.stringify(body));
}

/** 503 when the store cannot be reached, so that a load balancer sends clients elsewhere. */
async function health(res: ServerResponse, deps: RouteDeps): Promise<void> {
  const store = await deps.store();
  const body = { ok: store.ok, rooms: deps.rooms(), connections: deps.connections(), store };
  res.writeHead(store.ok ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function routes(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://hub.invalid').pathname;
    if (req.method === 'GET' && path === '/healthz') {
      void health(res, deps);
    } else if (path.startsWith(CHECK_PATH)) {
      check(req, res, path, deps);
    } else if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(deps.metrics.render(deps.rooms(), deps.commits(), deps.cluster()));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found. Connect with a WebSocket to /<collection id>?token=…\n');
    }
  };
}
