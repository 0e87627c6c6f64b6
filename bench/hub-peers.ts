// The servers Curio's hub is measured against, started on loopback: Hocuspocus with its SQLite
// extension (it stores a document some time after a change, not before confirming it), the
// y-websocket reference server (memory only), and a bare relay that only forwards bytes. Clients
// for each: stock y-websocket providers for Curio's hub, the reference server and the relay, and
// a minimal client of Hocuspocus's protocol, which prefixes every y-websocket message with the
// document's name and opens with a token message.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server as Hocuspocus } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';
import { setupWSConnection } from '@y/websocket-server/utils';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket, { WebSocketServer } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { tempDataDir, tokenFor } from '../src/hub/test-kit';

export interface PeerServer {
  name: string;
  url: string;
  close(): Promise<void>;
}

/** A replica of one room through one server, whatever its protocol. */
export interface BenchClient {
  readonly doc: Y.Doc;
  /** Resolves once the first sync is done. */
  readonly synced: Promise<void>;
  close(): void;
}

const Polyfill = WebSocket as unknown as typeof globalThis.WebSocket;

/** y-websocket's reference server: setupWSConnection per connection, documents in memory. */
export async function startYWebsocketServer(): Promise<PeerServer> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) => setupWSConnection(ws, req, { gc: true }));
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const { port } = http.address() as AddressInfo;
  return {
    name: 'y-websocket reference server (memory)',
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((done) => http.close(done));
    },
  };
}

/** The baseline: forwards every message to the room's other sockets. No auth, no storage. */
export async function startBareRelay(): Promise<PeerServer> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((done) => wss.once('listening', done));
  const rooms = new Map<string, Set<WebSocket>>();
  wss.on('connection', (ws, req) => {
    const room = req.url?.split('?')[0] ?? '/';
    const peers = rooms.get(room) ?? new Set<WebSocket>();
    rooms.set(room, peers);
    peers.add(ws);
    ws.on('message', (data, isBinary) => {
      for (const peer of peers) if (peer !== ws) peer.send(data, { binary: isBinary });
    });
    ws.on('close', () => peers.delete(ws));
  });
  const { port } = wss.address() as AddressInfo;
  return {
    name: 'bare relay',
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
    },
  };
}

/** Hocuspocus with @hocuspocus/extension-sqlite on a fresh file. */
export async function startHocuspocus(): Promise<PeerServer> {
  const server = new Hocuspocus({
    port: 0,
    address: '127.0.0.1',
    quiet: true,
    stopOnSignals: false,
    extensions: [new SQLite({ database: join(tempDataDir(), 'hocuspocus.sqlite') })],
  });
  await server.listen();
  return {
    name: 'Hocuspocus 4.7 + extension-sqlite',
    url: `ws://127.0.0.1:${server.address.port}`,
    close: () => server.destroy(),
  };
}

/** A stock y-websocket provider; with a Curio token when `member` is given. */
export function providerClient(
  url: string,
  room: string,
  member?: string,
  role: 'editor' | 'reader' = 'editor',
): BenchClient & { provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, room, doc, {
    params: member ? { token: tokenFor(room, role, member) } : {},
    WebSocketPolyfill: Polyfill,
    disableBc: true,
  });
  const synced = new Promise<void>((done) => {
    if (provider.synced) done();
    else provider.once('sync', () => done());
  });
  return {
    doc,
    provider,
    synced,
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/**
 * A stock provider over the bare relay. Nobody there answers a sync request for the room, so
 * an empty replica counts as synced once it is connected.
 */
export function relayClient(url: string, room: string): BenchClient {
  const client = providerClient(url, room);
  const synced = new Promise<void>((done) => {
    if (client.provider.wsconnected) done();
    else client.provider.on('status', ({ status }) => status === 'connected' && done());
  });
  return { ...client, synced };
}

const HP = { sync: 0, awareness: 1, auth: 2, syncReply: 4 } as const;
const STEP = { one: 0, two: 1, update: 2 } as const;

/** A client of Hocuspocus's protocol: the room's name before every message, a token first. */
export function hocuspocusClient(url: string, room: string): BenchClient {
  const doc = new Y.Doc();
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const message = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, room);
    write(e);
    return encoding.toUint8Array(e);
  };
  const sync = (step: number, payload: Uint8Array) =>
    message((e) => {
      encoding.writeVarUint(e, HP.sync);
      encoding.writeVarUint(e, step);
      encoding.writeVarUint8Array(e, payload);
    });
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((done) => (markSynced = done));
  ws.on('open', () => {
    ws.send(
      message((e) => {
        encoding.writeVarUint(e, HP.auth);
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, '');
      }),
    );
    ws.send(sync(STEP.one, Y.encodeStateVector(doc)));
  });
  ws.on('message', (data: ArrayBuffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type !== HP.sync && type !== HP.syncReply) return;
    const step = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (step === STEP.one) ws.send(sync(STEP.two, Y.encodeStateAsUpdate(doc, payload)));
    else {
      Y.applyUpdate(doc, payload, ws);
      if (step === STEP.two) markSynced();
    }
  });
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== ws && ws.readyState === WebSocket.OPEN) ws.send(sync(STEP.update, update));
  });
  return { doc, synced, close: () => ws.close() };
}
