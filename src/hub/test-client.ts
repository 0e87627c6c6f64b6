// A bare protocol client for the hub's tests: holds a Y.Doc, applies what the hub sends, sends
// local edits as updates, and keeps the presence the hub forwards, so that a test sees exactly
// which messages arrive. And hubs started in-process for it to talk to.
import { ObservableV2 } from 'lib0/observable';
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CONFIRM_PARAMS, readTokenClaims, type Role } from '../shared/sync';
import {
  encodeAwareness,
  encodeAwarenessEntries,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  readServerMessage,
  type AwarenessEntry,
  type ServerMessage,
} from './protocol';
import { startHub, type HubOptions, type RunningHub } from './hub';
import { TEST_SECRET, tempDataDir, tokenFor } from './test-kit';

export class TestClient {
  readonly doc = new Y.Doc();
  /** Everyone's presence as the hub forwarded it. */
  readonly presence = new Awareness(new Y.Doc());
  readonly received: ServerMessage[] = [];
  closeCode: number | null = null;
  /** The presence client id round trips use, apart from the document's. */
  readonly probeId = (Math.random() * 2 ** 31) >>> 0;
  private readonly events = new ObservableV2<{ change: () => void }>();
  private probes = 0;

  private constructor(
    readonly ws: WebSocket,
    /** The member the client's token names: presence it sends must speak for it. */
    readonly member: string,
  ) {
    this.presence.setLocalState(null);
    ws.on('message', (data: Buffer) => {
      const message = readServerMessage(new Uint8Array(data));
      this.received.push(message);
      if (message.type === 'sync-step1') {
        this.sendRaw(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
      } else if (message.type === 'sync-step2' || message.type === 'update') {
        Y.applyUpdate(this.doc, message.update, this);
      } else if (message.type === 'awareness') {
        applyAwarenessUpdate(this.presence, message.update, this);
      }
      this.events.emit('change', []);
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.presence.destroy();
      this.events.emit('change', []);
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.sendRaw(encodeUpdate(update));
    });
  }

  /** `confirm`: ask for MESSAGE_CONFIRMED after each stored update, as the app does. */
  static async connect(
    url: string,
    room: string,
    token: string,
    { confirm = false } = {},
  ): Promise<TestClient> {
    const query = new URLSearchParams({ token, ...(confirm ? CONFIRM_PARAMS : {}) });
    const ws = new WebSocket(`${url}/${room}?${query.toString()}`);
    const client = new TestClient(ws, readTokenClaims(token)?.member ?? '');
    await new Promise<void>((done, fail) => {
      ws.once('open', () => done());
      ws.once('error', fail);
    });
    client.sendRaw(encodeSyncStep1(client.doc));
    return client;
  }

  /** Connects as `member` with a test token and waits for the first sync. */
  static async member(url: string, room: string, member: string, role: Role = 'editor') {
    const client = await TestClient.connect(url, room, tokenFor(room, role, member));
    await client.synced();
    return client;
  }

  sendRaw(bytes: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  sendPresence(entries: AwarenessEntry[]): void {
    this.sendRaw(encodeAwareness(encodeAwarenessEntries(entries)));
  }

  /**
   * Resolves when `check` holds, re-checked on every message; fails when the hub closes the
   * connection first. There is no deadline of its own: a hub that never answers fails the test
   * at the test's time limit, however busy the machine is.
   */
  waitFor(check: () => boolean): Promise<void> {
    return new Promise((done, fail) => {
      const test = () => {
        if (check()) {
          cleanup();
          done();
        } else if (this.closeCode !== null) {
          cleanup();
          fail(new Error(`the hub closed the connection (${this.closeCode})`));
        }
      };
      const cleanup = () => this.events.off('change', test);
      this.events.on('change', test);
      test();
    });
  }

  synced(): Promise<void> {
    return this.waitFor(() => this.received.some((m) => m.type === 'sync-step2'));
  }

  /**
   * Sends a presence probe and waits for the hub to forward it back. The hub handles a
   * connection's messages in order, so everything sent before has been handled (stored or
   * dropped) when this resolves.
   */
  async roundTrip(): Promise<void> {
    const clock = ++this.probes;
    const state = { user: { id: this.member }, probe: clock };
    this.sendPresence([{ clientId: this.probeId, clock, state }]);
    await this.waitFor(() => this.presence.getStates().get(this.probeId)?.probe === clock);
  }

  /**
   * Resolves when the hub answers a ping. The hub reads a connection's frames in order, so it
   * has read everything sent before; and, in the same process, handed it to its room.
   */
  pong(): Promise<void> {
    return new Promise((done) => {
      this.ws.once('pong', () => done());
      this.ws.ping();
    });
  }

  closed(): Promise<void> {
    return this.waitFor(() => this.closeCode !== null);
  }

  close(): void {
    this.ws.close();
  }
}

/** Hubs started in-process, on a free port and a fresh data folder, to be closed together. */
export class InProcessHubs {
  private readonly running: RunningHub[] = [];

  async start(options: Partial<HubOptions> = {}): Promise<RunningHub> {
    const dataDir = tempDataDir();
    const hub = await startHub({ port: 0, dataDir, secret: TEST_SECRET, ...options });
    this.running.push(hub);
    return hub;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.running.splice(0).map((hub) => hub.close()));
  }
}
