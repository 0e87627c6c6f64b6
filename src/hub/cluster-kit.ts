// What the hub cluster's tests share: hub processes on one throwaway PostgreSQL, stock
// y-websocket clients, a loopback load balancer that sends each new connection to a live hub,
// and waits that re-check on every change a client sees.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import { ObservableV2 } from 'lib0/observable';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CONFIRM_PARAMS, MESSAGE_CONFIRMED, type Role } from '../shared/sync';
import type { TestDatabase } from './pg/test-kit';
import { spawnHub, tempDataDir, tokenFor, type HubProcess } from './test-kit';

/** The connection string hubs get for the test's cluster (over its Unix socket). */
export function storeUrl(db: Pick<TestDatabase, 'connection'>): string {
  const { host, port, user, database } = db.connection as {
    host: string;
    port: number;
    user: string;
    database: string;
  };
  return `postgres://${user}@localhost:${port}/${database}?host=${encodeURIComponent(host)}`;
}

/** Starts `count` hub processes on `url`, each with a data folder of its own. */
export function spawnCluster(url: string, count: number, args: string[] = []) {
  return Promise.all(
    Array.from({ length: count }, () => spawnHub(tempDataDir(), ['--store', url, ...args])),
  );
}

/** A stock y-websocket client, as the app runs it (confirmations asked for). */
export class Replica {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;

  constructor(
    url: string,
    readonly room: string,
    readonly member: string,
    role: Role = 'editor',
    confirm = false,
  ) {
    this.provider = new WebsocketProvider(url, room, this.doc, {
      params: { token: tokenFor(room, role, member), ...(confirm ? CONFIRM_PARAMS : {}) },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    this.provider.awareness.setLocalStateField('user', { id: member });
  }

  get items(): Y.Map<unknown> {
    return this.doc.getMap('items');
  }

  /** Resolves when `check` holds, re-checked whenever the document, presence or link changes. */
  until(check: () => boolean): Promise<void> {
    return new Promise((done) => {
      const test = () => {
        if (!check()) return;
        this.doc.off('update', test);
        this.provider.awareness.off('change', test);
        this.provider.off('status', test);
        this.provider.off('sync', test);
        done();
      };
      this.doc.on('update', test);
      this.provider.awareness.on('change', test);
      this.provider.on('status', test);
      this.provider.on('sync', test);
      test();
    });
  }

  synced(): Promise<void> {
    return this.until(() => this.provider.synced);
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/**
 * A member who writes one key after another, never more than `window` ahead of what the hub
 * confirmed, and keeps track of which of its keys were confirmed (as the app reads
 * MESSAGE_CONFIRMED: the hub's state vector once its updates are stored).
 */
export class Writer extends Replica {
  /** Each written key and the document clock it reached. */
  readonly written: { key: string; clock: number }[] = [];
  confirmedClock = 0;
  private readonly events = new ObservableV2<{ confirmed: () => void }>();
  private writing = false;
  private stopped: Promise<void> = Promise.resolve();

  constructor(url: string, room: string, member: string) {
    super(url, room, member, 'editor', true);
    this.provider.messageHandlers[MESSAGE_CONFIRMED] = (_encoder, decoder) => {
      const vector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      this.confirmedClock = Math.max(this.confirmedClock, vector.get(this.doc.clientID) ?? 0);
      this.events.emit('confirmed', []);
    };
  }

  /** Keys the hub has confirmed stored. */
  confirmedKeys(): string[] {
    return this.written.filter((w) => w.clock <= this.confirmedClock).map((w) => w.key);
  }

  /** Resolves once `check` holds, re-checked at each confirmation. */
  untilConfirmed(check: () => boolean): Promise<void> {
    return new Promise((done) => {
      const test = () => {
        if (!check()) return;
        this.events.off('confirmed', test);
        done();
      };
      this.events.on('confirmed', test);
      test();
    });
  }

  /** Writes until `stop`; `onConfirm` hears every confirmation with the clock it covers. */
  start(window = 8): void {
    this.writing = true;
    this.stopped = (async () => {
      while (this.writing) {
        const key = `${this.member}-${this.written.length}`;
        this.items.set(key, this.written.length);
        this.written.push({ key, clock: Y.getState(this.doc.store, this.doc.clientID) });
        const allowed = this.written.length - window;
        await this.untilConfirmed(
          () =>
            !this.writing ||
            this.written[allowed]?.clock === undefined ||
            this.written[allowed]!.clock <= this.confirmedClock,
        );
        await new Promise<void>((done) => setImmediate(done));
      }
    })();
  }

  async stop(): Promise<void> {
    this.writing = false;
    this.events.emit('confirmed', []);
    await this.stopped;
  }

  onConfirm(listener: () => void): () => void {
    this.events.on('confirmed', listener);
    return () => this.events.off('confirmed', listener);
  }
}

/**
 * A TCP load balancer on loopback: each new connection goes to the next hub still alive, as a
 * balancer with health checks would send it; a connection to a hub that died ends with it.
 */
export class Balancer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private next = 0;

  private constructor(private readonly hubs: HubProcess[]) {
    this.server = createServer((client) => this.route(client));
  }

  static async start(hubs: HubProcess[]): Promise<Balancer> {
    const balancer = new Balancer(hubs);
    await new Promise<void>((done) => balancer.server.listen(0, '127.0.0.1', done));
    return balancer;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Replaces a hub (after a restart) in the rotation. */
  replace(old: HubProcess, fresh: HubProcess): void {
    this.hubs[this.hubs.indexOf(old)] = fresh;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((done) => this.server.close(done));
  }

  private route(client: Socket): void {
    const alive = this.hubs.filter((h) => h.child.exitCode === null && h.child.signalCode === null);
    const hub = alive[this.next++ % Math.max(1, alive.length)];
    if (!hub) {
      client.destroy();
      return;
    }
    const { port } = new URL(hub.url);
    const upstream = connect(Number(port), '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}
