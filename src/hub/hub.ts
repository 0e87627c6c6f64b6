// The hub's front: an HTTP server whose upgrades are authorised (auth.ts) before any document
// byte is sent, sockets limited before that (sockets.ts), connections routed to their rooms
// (connections.ts, rooms.ts), and /healthz, /metrics and the invite check beside (routes.ts).
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { authorize, refuse, type AuthRequest, type Authorization } from './auth';
import { systemClock, type HubClock } from './clock';
import { Connections } from './connections';
import { hubPaths, loadOrCreateSecret } from './data-dir';
import { GroupCommit } from './group-commit';
import { HubMetrics } from './metrics';
import { Revocations } from './revocations';
import { CLOSE } from './room';
import type { RoomStore } from './room-store';
import { Rooms } from './rooms';
import { routes } from './routes';
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
};

/** Everything a running hub is made of. */
interface Parts {
  log: (line: string) => void;
  clock: HubClock;
  store: RoomStore;
  commits: GroupCommit;
  revocations: Revocations;
  metrics: HubMetrics;
  checker: UpdateChecker;
  rooms: Rooms;
  connections: Connections;
  sockets: SocketGuard;
  wss: WebSocketServer;
  check: (req: AuthRequest) => Authorization;
}

function assemble(options: HubOptions, settings: Settings): Parts {
  const log = options.log ?? (() => {});
  const clock = options.clock ?? systemClock;
  mkdirSync(options.dataDir, { recursive: true });
  const paths = hubPaths(options.dataDir);
  const secret = loadOrCreateSecret(options.dataDir, options.secret).secret;
  const store = options.store ?? new SqliteRoomStore(paths.database);
  const revocations = new Revocations(paths.database);
  const metrics = new HubMetrics();
  const checker = new UpdateChecker();
  const { compactAfter, maxWaitingBytes } = settings;
  const commits = new GroupCommit(store);
  const roomDeps = { store, commits, checker, metrics, clock, log, compactAfter, maxWaitingBytes };
  const rooms = new Rooms(roomDeps, settings.idleUnloadMs);
  const limits = {
    upgradeTimeoutMs: settings.upgradeTimeoutMs,
    perAddress: settings.maxConnectionsPerAddress,
  };
  return {
    ...roomDeps,
    revocations,
    rooms,
    connections: new Connections(metrics, log, (room) => rooms.releaseIfIdle(room)),
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
  const confirms =
    new URL(req.url ?? '/', 'http://hub.invalid').searchParams.get('confirm') === '1';
  wss.handleUpgrade(req, socket, head, (ws) => {
    sockets.settle(req.socket);
    const room = rooms.open(verdict.room);
    connections.add({ ws, room, claims: verdict.claims, address, confirms });
  });
}

/** A running hub honours `hub revoke` from another process, and drops expired tokens. */
function watchRevocations({ revocations, connections, clock }: Parts, everyMs: number) {
  let cursor = revocations.revokedSince(0).cursor;
  const poll = setInterval(() => {
    const revoked = revocations.revokedSince(cursor);
    cursor = revoked.cursor;
    connections.closeInvalid(new Set(revoked.ids), clock.now() / 1000);
  }, everyMs);
  poll.unref();
  return () => clearInterval(poll);
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
  await parts.rooms.close();
  await parts.commits.drain();
  await parts.store.close();
  await parts.checker.close();
  parts.revocations.close();
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const settings: Settings = { ...HUB_DEFAULTS, ...definedOnly(options) };
  const parts = assemble(options, settings);
  const { metrics, rooms, connections, sockets } = parts;
  const server = createServer(
    routes({
      metrics,
      rooms: () => rooms.size,
      connections: () => connections.size,
      authorize: parts.check,
    }),
  );
  server.on('connection', (socket) => sockets.admit(socket));
  server.on('request', (req) => sockets.settle(req.socket));
  server.on('upgrade', (req, socket, head) => upgrade(parts, req, socket, head));
  const stopPolling = watchRevocations(parts, settings.revocationPollMs);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `ws://${host}:${address.port}`,
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
