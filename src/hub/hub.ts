// The hub's HTTP and WebSocket front: authorises each upgrade before any document byte is sent,
// routes connections to rooms, and serves /healthz and /metrics. Rooms do the rest (room.ts).
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { hubPaths, loadOrCreateSecret } from './data-dir';
import { HubMetrics, type RejectReason } from './metrics';
import { Revocations } from './revocations';
import { CLOSE, Room, type Peer } from './room';
import type { RoomStore } from './room-store';
import { SqliteRoomStore } from './sqlite-store';
import { CollectionIdSchema, verifyToken, type TokenClaims } from './token';
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
}

export interface RunningHub {
  url: string;
  port: number;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
};
/** Close code for a token that stopped being valid: y-websocket does not retry 4400-4499. */
const CLOSE_TOKEN_INVALID = 4401;
/** A client this far behind on reading is dropped; it resyncs when it reconnects. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

type Authorization =
  | { ok: true; room: string; claims: TokenClaims }
  | { ok: false; status: number; reason: RejectReason; message: string };

interface Connection extends Peer {
  readonly room: Room;
  readonly claims: TokenClaims;
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const log = options.log ?? (() => {});
  mkdirSync(options.dataDir, { recursive: true });
  const paths = hubPaths(options.dataDir);
  const secret = loadOrCreateSecret(options.dataDir, options.secret);
  const store = options.store ?? new SqliteRoomStore(paths.database);
  const revocations = new Revocations(paths.database);
  const metrics = new HubMetrics();
  const rooms = new Map<string, Room>();
  const idleTimers = new Map<Room, NodeJS.Timeout>();
  const unloading = new Map<string, Promise<void>>();
  const connections = new Set<Connection>();
  let nextConnection = 1;

  const checker = new UpdateChecker();
  const roomDeps = {
    store,
    checker,
    metrics,
    log,
    compactAfter: options.compactAfter ?? 500,
    onBroken: (room: Room) => {
      if (rooms.get(room.name) === room) rooms.delete(room.name);
    },
  };

  function roomFor(name: string): Room {
    let room = rooms.get(name);
    if (!room) {
      // A room still folding its log after going idle finishes before its successor loads.
      room = new Room(name, roomDeps, unloading.get(name));
      rooms.set(name, room);
    }
    const timer = idleTimers.get(room);
    if (timer) clearTimeout(timer);
    idleTimers.delete(room);
    return room;
  }

  function releaseIfIdle(room: Room): void {
    if (room.peerCount > 0 || idleTimers.has(room)) return;
    const timer = setTimeout(() => {
      idleTimers.delete(room);
      if (room.peerCount > 0 || rooms.get(room.name) !== room) return;
      rooms.delete(room.name);
      const done = room.shutdown().finally(() => {
        if (unloading.get(room.name) === done) unloading.delete(room.name);
      });
      unloading.set(room.name, done);
    }, options.idleUnloadMs ?? 30_000);
    timer.unref();
    idleTimers.set(room, timer);
  }

  function authorize(req: IncomingMessage): Authorization {
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    let roomName: string;
    try {
      roomName = decodeURIComponent(url.pathname.slice(1));
    } catch {
      roomName = '';
    }
    if (!CollectionIdSchema.safeParse(roomName).success) {
      return {
        ok: false,
        status: 400,
        reason: 'bad-room',
        message: 'the path must be /<collection id>',
      };
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = url.searchParams.get('token') ?? bearer;
    if (!token) return { ok: false, status: 401, reason: 'no-token', message: 'no token given' };
    const verdict = verifyToken(token, secret);
    if (!verdict.ok) {
      return { ok: false, status: 401, reason: verdict.reason, message: verdict.message };
    }
    if (revocations.isRevoked(verdict.claims.id)) {
      return { ok: false, status: 401, reason: 'revoked', message: 'the token was revoked' };
    }
    if (verdict.claims.collection !== roomName) {
      const message = 'the token is for another collection';
      return { ok: false, status: 403, reason: 'other-collection', message };
    }
    return { ok: true, room: roomName, claims: verdict.claims };
  }

  function refuse(socket: Duplex, status: number, message: string): void {
    const body = `${message}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
        'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  /** Logs one line per connection, when it ends: who, where, how long, and why it closed. */
  function connect(
    ws: WebSocket,
    room: Room,
    claims: TokenClaims,
    address: string,
    confirms: boolean,
  ): void {
    const label = `#${nextConnection++} ${claims.member} (${claims.role}, ${address})`;
    const started = Date.now();
    let received = 0;
    let ending: string | null = null;
    const connection: Connection = {
      role: claims.role,
      confirms,
      room,
      claims,
      send(message) {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          ending ??= 'too slow to keep up; dropped';
          ws.terminate();
          return;
        }
        ws.send(message);
      },
      close(code, reason) {
        ending ??= reason;
        ws.close(code, Buffer.from(reason).subarray(0, 120).toString());
      },
    };
    connections.add(connection);
    metrics.connections++;
    room.join(connection);
    ws.on('message', (data, isBinary) => {
      received++;
      if (!isBinary || !Buffer.isBuffer(data)) {
        metrics.protocolErrors++;
        connection.close(CLOSE.protocolError, 'messages must be binary');
        return;
      }
      room.receive(connection, new Uint8Array(data.buffer, data.byteOffset, data.length));
    });
    ws.on('error', (error) => {
      // ws reports oversized frames and broken framing here, then closes the socket.
      metrics.protocolErrors++;
      ending ??= error.message;
    });
    ws.on('close', (code, reason) => {
      connections.delete(connection);
      metrics.connections--;
      room.leave(connection);
      releaseIfIdle(room);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const why = ending ?? (reason.length ? reason.toString() : 'closed by the client');
      log(
        `connection ${label} to ${room.name}: ${seconds}s, ${received} messages, ` +
          `closed ${code}: ${why}`,
      );
    });
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? 32 * 1024 * 1024,
    perMessageDeflate: false,
  });

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://hub.invalid').pathname;
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, rooms: rooms.size, connections: connections.size }));
    } else if (path.startsWith('/v1/check/')) {
      // Browsers cannot read why a WebSocket upgrade was refused; this says it, for a token the
      // caller already holds. Open to any origin: it reveals nothing the token does not.
      const cors = {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': 'authorization',
        'access-control-allow-methods': 'GET',
      };
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors);
        res.end();
        return;
      }
      const checkUrl = `/${path.slice('/v1/check/'.length)}`;
      const verdict = authorize({ url: checkUrl, headers: req.headers } as IncomingMessage);
      const body = verdict.ok
        ? { ok: true, member: verdict.claims.member, role: verdict.claims.role }
        : { ok: false, error: `The hub refused this invite: ${verdict.message}.` };
      res.writeHead(verdict.ok ? 200 : verdict.status, {
        ...cors,
        'content-type': 'application/json',
      });
      res.end(JSON.stringify(body));
    } else if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(metrics.render(rooms.size));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found. Connect with a WebSocket to /<collection id>?token=…\n');
    }
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const address = req.socket.remoteAddress ?? '?';
    const verdict = authorize(req);
    if (!verdict.ok) {
      metrics.reject(verdict.reason);
      log(`refused ${address} ${req.url?.split('?')[0]}: ${verdict.status} ${verdict.message}`);
      refuse(socket, verdict.status, verdict.message);
      return;
    }
    const confirms =
      new URL(req.url ?? '/', 'http://hub.invalid').searchParams.get('confirm') === '1';
    wss.handleUpgrade(req, socket, head, (ws) =>
      connect(ws, roomFor(verdict.room), verdict.claims, address, confirms),
    );
  });

  // A running hub honours `hub revoke` from another process, and drops expired tokens.
  let revocationCursor = revocations.revokedSince(0).cursor;
  const poll = setInterval(() => {
    const { ids, cursor } = revocations.revokedSince(revocationCursor);
    revocationCursor = cursor;
    const revoked = new Set(ids);
    const nowSeconds = Date.now() / 1000;
    for (const connection of connections) {
      if (revoked.has(connection.claims.id)) {
        connection.close(CLOSE_TOKEN_INVALID, 'token revoked');
      } else if (connection.claims.expiresAt <= nowSeconds) {
        connection.close(CLOSE_TOKEN_INVALID, 'token expired');
      }
    }
  }, options.revocationPollMs ?? 1000);
  poll.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4455, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | null = null;
  return {
    url: `ws://${host}:${address.port}`,
    port: address.port,
    close() {
      closing ??= (async () => {
        clearInterval(poll);
        for (const timer of idleTimers.values()) clearTimeout(timer);
        for (const connection of connections) connection.close(CLOSE.goingAway, 'hub stopping');
        // Clients that do not answer the close handshake would hold server.close() for 30 s.
        setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000).unref();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        wss.close();
        await Promise.all([...rooms.values()].map((room) => room.shutdown()));
        await Promise.all(unloading.values());
        rooms.clear();
        await store.close();
        await checker.close();
        revocations.close();
      })();
      return closing;
    },
  };
}
