// The hub's front: an HTTP (or HTTPS) server whose upgrades are authorised (auth.ts) before any
// document byte is sent, sockets limited before that (sockets.ts), connections routed to their
// rooms (connections.ts, rooms.ts), and /healthz, /metrics and the invite check beside
// (routes.ts). Rooms live in SQLite in the data folder, or in PostgreSQL shared with other hubs
// (cluster.ts).
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { asksForConfirmations } from '../shared/sync';
import { authorize, refuse, type AuthRequest, type Authorization } from './auth';
import { systemClock, type HubClock } from './clock';
import { Cluster, type ClusterOptions } from './cluster';
import { Connections } from './connections';
import { hubPaths, loadOrCreateSecret } from './data-dir';
import { GroupCommit } from './group-commit';
import { HubMetrics } from './metrics';
import { Revocations, type RevocationList } from './revocations';
import { CLOSE } from './room-peers';
import type { RoomStore } from './room-store';
import { Rooms } from './rooms';
import { routes, type StoreHealth } from './routes';
import { SocketGuard } from './sockets';
import { SqliteRoomStore } from './sqlite-store';
import { UpdateChecker } from './update-check';

export interface HubOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  dataDir: string;
  /** Signing secret; by default read from (or generated into) the data folder. */
  secret?: string;
  log?: (line: string) => void;
  /** Larger messages close the connection (ws maxPayload). */
  maxMessageBytes?: number;
  /** Storage backend; SQLite in the data folder by default. */
  store?: RoomStore;
  /** Serve the rooms together with other hubs through PostgreSQL (instead of `store`). */
  cluster?: ClusterOptions;
  /** Serve `wss://` and `https://` with this certificate chain and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** How often each connection is pinged; one that has not answered the last ping is dropped. */
  pingEveryMs?: number;
  compactAfter?: number;
  /** How long an empty room stays loaded. */
  idleUnloadMs?: number;
  /** How often live connections are checked against revocations and expiry. */
  revocationPollMs?: number;
  /** A socket that has not completed its upgrade (or an HTTP request) by then is closed. */
  upgradeTimeoutMs?: number;
  /** Open sockets per address (IPv6: per /64); 0 for none, as behind a reverse proxy. */
  maxConnectionsPerAddress?: number;
  /** Bytes of early updates (ones whose dependencies have not arrived) a connection may hold. */
  maxWaitingBytes?: number;
  /**
   * Bytes sent to a connection and not yet taken by it, beyond the largest message still being
   * written to it, before it is dropped as too slow.
   */
  maxUnreadBytes?: number;
  /** Time, for deadlines and rate limits; the system's by default. */
  clock?: HubClock;
}

export interface RunningHub {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Settings = Required<
  Pick<
    HubOptions,
    | 'port'
    | 'host'
    | 'maxMessageBytes'
    | 'compactAfter'
    | 'idleUnloadMs'
    | 'revocationPollMs'
    | 'upgradeTimeoutMs'
    | 'maxConnectionsPerAddress'
    | 'maxWaitingBytes'
    | 'maxUnreadBytes'
    | 'pingEveryMs'
  >
>;

export const HUB_DEFAULTS: Settings = {
  port: 4455,
  host: '127.0.0.1',
  maxMessageBytes: 32 * 1024 * 1024,
  compactAfter: 500,
  idleUnloadMs: 30_000,
  revocationPollMs: 1000,
  upgradeTimeoutMs: 10_000,
  maxConnectionsPerAddress: 64,
  maxWaitingBytes: 256 * 1024,
  maxUnreadBytes: 64 * 1024 * 1024,
  pingEveryMs: 30_000,
};

/** A cluster's hubs poll revocations this often, so that each refuses a token within a second. */
const CLUSTER_REVOCATION_POLL_MS = 500;

/** Everything a running hub is made of. */
interface Parts {
  log: (line: string) => void;
  clock: HubClock;
  store: RoomStore;
  commits: GroupCommit;
  cluster: Cluster | null;
  revocations: RevocationList;
  metrics: HubMetrics;
  checker: UpdateChecker;
  rooms: Rooms;
  connections: Connections;
  sockets: SocketGuard;
  wss: WebSocketServer;
  check: (req: AuthRequest) => Authorization;
}

async function assemble(options: HubOptions, settings: Settings): Promise<Parts> {
  const log = options.log ?? (() => {});
  const clock = options.clock ?? systemClock;
  mkdirSync(options.dataDir, { recursive: true });
  const paths = hubPaths(options.dataDir);
  const secret = loadOrCreateSecret(options.dataDir, options.secret).secret;
  const cluster = options.cluster ? await Cluster.open(options.cluster, log) : null;
  const store = cluster?.store ?? options.store ?? new SqliteRoomStore(paths.database);
  const revocations = cluster?.revocations ?? new Revocations(paths.database);
  const metrics = new HubMetrics();
  const checker = new UpdateChecker({
    onThreads: (alive) => {
      metrics.checkerThreads = alive;
    },
  });
  const { compactAfter, maxWaitingBytes } = settings;
  const commits = new GroupCommit(store, (ms) => metrics.commitLatency.observe(ms));
  const roomDeps = {
    store,
    commits,
    cluster: cluster?.forRooms,
    checker,
    metrics,
    clock,
    log,
    compactAfter,
    maxWaitingBytes,
  };
  const rooms = new Rooms(roomDeps, settings.idleUnloadMs);
  const limits = {
    upgradeTimeoutMs: settings.upgradeTimeoutMs,
    perAddress: settings.maxConnectionsPerAddress,
  };
  return {
    ...roomDeps,
    cluster,
    revocations,
    rooms,
    connections: new Connections(metrics, log, settings.maxUnreadBytes, (room) =>
      rooms.releaseIfIdle(room),
    ),
    sockets: new SocketGuard(limits, clock, metrics),
    wss: new WebSocketServer({
      noServer: true,
      maxPayload: settings.maxMessageBytes,
      perMessageDeflate: false,
    }),
    check: (req) => authorize(req, secret, revocations),
  };
}

/** Authorises an upgrade and hands the connection to its room, or refuses it. */
function upgrade(parts: Parts, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const { metrics, log, wss, sockets, connections, rooms } = parts;
  socket.on('error', () => socket.destroy());
  const address = req.socket.remoteAddress ?? '?';
  const verdict = parts.check(req);
  if (!verdict.ok) {
    metrics.reject(verdict.reason);
    log(`refused ${address} ${req.url?.split('?')[0]}: ${verdict.status} ${verdict.message}`);
    refuse(socket, verdict.status, verdict.message);
    return;
  }
  const confirms = asksForConfirmations(new URL(req.url ?? '/', 'http://hub.invalid').searchParams);
  wss.handleUpgrade(req, socket, head, (ws) => {
    sockets.settle(req.socket);
    const room = rooms.open(verdict.room);
    connections.add({ ws, room, claims: verdict.claims, address, confirms });
  });
}

/** A running hub honours `hub revoke` from another process, and drops expired tokens. */
async function watchRevocations(parts: Parts, everyMs: number): Promise<() => void> {
  const { revocations, connections, clock, log } = parts;
  let cursor = (await revocations.revokedSince(0)).cursor;
  let polling = false;
  let failing = false;
  const poll = setInterval(() => {
    if (polling) return;
    polling = true;
    Promise.resolve()
      .then(() => revocations.revokedSince(cursor))
      .then((revoked) => {
        cursor = revoked.cursor;
        if (failing) log('reading revocations again');
        failing = false;
        connections.closeInvalid(new Set(revoked.ids), clock.now() / 1000);
      })
      .catch((error: unknown) => {
        if (!failing) log(`could not read revocations (trying again): ${String(error)}`);
        failing = true;
      })
      .finally(() => (polling = false));
  }, everyMs);
  poll.unref();
  return () => clearInterval(poll);
}

async function storeHealth(parts: Parts): Promise<StoreHealth> {
  if (parts.cluster) return { kind: 'postgres', ...(await parts.cluster.store.check()) };
  const store = parts.store;
  if (store instanceof SqliteRoomStore) return { kind: 'sqlite', ...(await store.check()) };
  return { kind: 'custom', ok: true, latencyMs: 0 };
}

async function stop(parts: Parts, server: Server, stopPolling: () => void): Promise<void> {
  stopPolling();
  parts.sockets.closeUnsettled();
  parts.connections.closeAll(CLOSE.goingAway, 'hub stopping');
  // Clients that do not answer the close handshake would hold server.close() for 30 s.
  setTimeout(() => {
    for (const ws of parts.wss.clients) ws.terminate();
  }, 1000).unref();
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  parts.wss.close();
  parts.connections.stopPinging();
  await parts.rooms.close();
  await parts.commits.drain();
  if (parts.cluster) await parts.cluster.close();
  else {
    await parts.store.close();
    await parts.revocations.close();
  }
  await parts.checker.close();
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const settings: Settings = {
    ...HUB_DEFAULTS,
    ...(options.cluster ? { revocationPollMs: CLUSTER_REVOCATION_POLL_MS } : {}),
    ...definedOnly(options),
  };
  const parts = await assemble(options, settings);
  const { metrics, rooms, connections, sockets } = parts;
  const handle = routes({
    metrics,
    rooms: () => rooms.size,
    connections: () => connections.size,
    authorize: parts.check,
    store: () => storeHealth(parts),
    commits: () => parts.commits.stats,
    cluster: () => parts.cluster?.store.stats() ?? null,
  });
  // With TLS a socket is counted once its handshake is done; until then the TLS layer's own
  // deadline, set to the upgrade deadline, bounds how long a silent one is kept.
  const server = options.tls
    ? createTlsServer({ ...options.tls, handshakeTimeout: settings.upgradeTimeoutMs }, handle)
    : createServer(handle);
  server.on(options.tls ? 'secureConnection' : 'connection', (socket) => sockets.admit(socket));
  server.on('request', (req) => sockets.settle(req.socket));
  server.on('upgrade', (req, socket, head) => upgrade(parts, req, socket, head));
  await parts.cluster?.attach(rooms, parts.clock);
  const stopPolling = await watchRevocations(parts, settings.revocationPollMs);
  connections.startPinging(parts.clock, settings.pingEveryMs);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `${options.tls ? 'wss' : 'ws'}://${host}:${address.port}`,
    port: address.port,
    close: () => (closing ??= stop(parts, server, stopPolling)),
  };
}

/** The options that were given, so that an explicit `undefined` keeps the default. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
