// The hub's plain HTTP side: /healthz for load balancers, /metrics for Prometheus, and
// /v1/check/<collection>, which tells a browser why its invite is refused (a browser cannot read
// why a WebSocket upgrade failed).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthRequest, Authorization } from './auth';
import type { HubMetrics } from './metrics';

export interface RouteDeps {
  metrics: HubMetrics;
  rooms: () => number;
  connections: () => number;
  authorize: (req: AuthRequest) => Authorization;
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
  const url = `/${path.slice('/v1/check/'.length)}`;
  const verdict = deps.authorize({ url, headers: req.headers });
  const body = verdict.ok
    ? { ok: true, member: verdict.claims.member, role: verdict.claims.role }
    : { ok: false, error: `The hub refused this invite: ${verdict.message}.` };
  res.writeHead(verdict.ok ? 200 : verdict.status, {
    ...CORS,
    'content-type': 'application/json',
  });
  res.end(JSON.stringify(body));
}

export function routes(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://hub.invalid').pathname;
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, rooms: deps.rooms(), connections: deps.connections() }));
    } else if (path.startsWith('/v1/check/')) {
      check(req, res, path, deps);
    } else if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(deps.metrics.render(deps.rooms()));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found. Connect with a WebSocket to /<collection id>?token=…\n');
    }
  };
}
