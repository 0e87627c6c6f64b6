// One collection's room: its document, its members' awareness and their connections.
//
// Everything a room does runs through one serial queue, starting with loading the stored log.
// That gives the hub its guarantees without locks: a client that connects while the room loads
// waits in the queue and never sees an empty document; an update is stored before the next task
// runs, so no client can receive (by broadcast or in a sync reply) anything not yet on disk.
import * as Y from 'yjs';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import type { HubMetrics } from './metrics';
import {
  ProtocolError,
  encodeAwareness,
  encodeConfirmed,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  readClientMessage,
} from './protocol';
import type { RoomStore } from './room-store';
import type { Role } from './token';
import type { UpdateChecker } from './update-check';

/** A connected client, as the room sees it. */
export interface Peer {
  readonly role: Role;
  /** Asked for MESSAGE_CONFIRMED after each of its updates is stored. */
  readonly confirms?: boolean;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomDeps {
  store: RoomStore;
  metrics: HubMetrics;
  log: (line: string) => void;
  /** Called when the in-memory room can no longer be trusted; the hub forgets it. */
  onBroken: (room: Room) => void;
  /** Decodes updates before they are applied, so a poison update is never half-applied. */
  checker: UpdateChecker;
  /** Fold the log into a snapshot once it has this many entries. */
  compactAfter: number;
}

/** WebSocket close codes. 1011 and 4500+ make y-websocket reconnect; 1002 marks a bad client. */
export const CLOSE = { protocolError: 1002, internalError: 1011, goingAway: 1001 } as const;

interface PeerState {
  awarenessIds: Set<number>;
  /** Closed by the room for bad input: its queued messages are discarded. */
  rejected: boolean;
  left: boolean;
}

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  private readonly peers = new Map<Peer, PeerState>();
  private queue: Promise<void>;
  private broken = false;
  private head = 0;
  private rows = 0;
  private compacting = false;
  private destroyed = false;

  /** `after`: the previous instance of this room, still writing its final snapshot. */
  constructor(
    readonly name: string,
    private readonly deps: RoomDeps,
    after: Promise<void> = Promise.resolve(),
  ) {
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.queue = after.catch(() => undefined).then(() => this.load());
  }

  /** Connected peers; one that has left counts no more, though its queued messages still run. */
  get peerCount(): number {
    let count = 0;
    for (const state of this.peers.values()) if (!state.left) count++;
    return count;
  }

  join(peer: Peer): void {
    this.peers.set(peer, { awarenessIds: new Set(), rejected: false, left: false });
    this.enqueue(() => {
      peer.send(encodeSyncStep1(this.doc));
      const states = [...this.awareness.getStates().keys()];
      if (states.length > 0) {
        peer.send(encodeAwareness(encodeAwarenessUpdate(this.awareness, states)));
      }
    });
  }

  receive(peer: Peer, bytes: Uint8Array): void {
    this.enqueue(() => this.handle(peer, bytes));
  }

  /** The peer's connection ended: messages it sent before still count. */
  leave(peer: Peer): void {
    const left = this.peers.get(peer);
    if (left) left.left = true;
    this.enqueue(() => {
      const state = this.peers.get(peer);
      this.peers.delete(peer);
      if (state && state.awarenessIds.size > 0) {
        removeAwarenessStates(this.awareness, [...state.awarenessIds], null);
      }
    });
  }

  /** Folds the log into one snapshot and releases the document. */
  async shutdown(): Promise<void> {
    this.enqueue(async () => {
      if (!this.broken && this.rows > 1) await this.compactNow();
    });
    await this.queue;
    this.destroy();
  }

  private enqueue(task: () => void | Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.broken ? undefined : task()))
      .catch((error: unknown) => this.fail(`unexpected error: ${String(error)}`));
  }

  private async load(): Promise<void> {
    try {
      const log = await this.deps.store.load(this.name);
      this.doc.transact(() => {
        for (const update of log.updates) Y.applyUpdate(this.doc, update);
      });
      this.head = log.head;
      this.rows = log.updates.length;
      this.deps.log(`room ${this.name} loaded: ${log.updates.length} stored updates`);
    } catch (error) {
      this.fail(`could not load: ${String(error)}`);
    }
  }

  private async handle(peer: Peer, bytes: Uint8Array): Promise<void> {
    const state = this.peers.get(peer);
    if (state?.rejected) return;
    this.deps.metrics.messages++;
    let message;
    try {
      message = readClientMessage(bytes, { checkUpdates: false });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.reject(peer, `malformed message: ${error.message}`);
      return;
    }
    switch (message.type) {
      case 'sync-step1':
        peer.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
        return;
      case 'sync-step2':
      case 'update':
        if (peer.role !== 'editor') {
          this.deps.metrics.readerUpdatesDropped++;
          return;
        }
        {
          const problem = await this.deps.checker.check(message.update);
          if (problem) this.reject(peer, `malformed message: ${problem}`);
          else if ((await this.applyUpdate(peer, message.update)) && peer.confirms) {
            peer.send(encodeConfirmed(Y.encodeStateVector(this.doc)));
          }
        }
        return;
      case 'awareness':
        applyAwarenessUpdate(this.awareness, message.update, peer);
        return;
      case 'query-awareness': {
        const ids = [...this.awareness.getStates().keys()];
        peer.send(encodeAwareness(encodeAwarenessUpdate(this.awareness, ids)));
        return;
      }
    }
  }

  /** True when the update is stored (or held nothing new); false when it was refused. */
  private async applyUpdate(peer: Peer, update: Uint8Array): Promise<boolean> {
    const integrated: Uint8Array[] = [];
    const collect = (u: Uint8Array) => integrated.push(u);
    this.doc.on('update', collect);
    try {
      Y.applyUpdate(this.doc, update, peer);
    } catch (error) {
      // The update decoded but Yjs could not integrate it: the document in memory may hold part
      // of it. Refuse it and rebuild the room from storage, which never saw it.
      this.reject(peer, `update could not be applied: ${String(error)}`);
      this.fail('an update failed half-way; reloading from storage');
      return false;
    } finally {
      this.doc.off('update', collect);
    }
    // Nothing new (a resync), or only structs still waiting for their dependencies: Yjs emits
    // those, and they are stored, once the missing updates arrive.
    if (integrated.length === 0) return true;
    const merged =
      integrated.length === 1 ? (integrated[0] as Uint8Array) : Y.mergeUpdates(integrated);
    try {
      this.head = await this.deps.store.append(this.name, merged);
      this.rows++;
    } catch (error) {
      this.fail(`could not store an update: ${String(error)}`);
      return false;
    }
    this.deps.metrics.updates++;
    this.deps.metrics.updateBytes += merged.length;
    const message = encodeUpdate(merged);
    for (const other of this.peers.keys()) if (other !== peer) other.send(message);
    if (this.rows >= this.deps.compactAfter) this.compactSoon();
    return true;
  }

  /** Takes the snapshot now (consistent with `head`), writes it outside the queue. */
  private compactSoon(): void {
    if (this.compacting) return;
    this.compacting = true;
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const through = this.head;
    const replaced = this.rows;
    setImmediate(() => {
      this.deps.store
        .compact(this.name, through, snapshot)
        .then(() => {
          this.rows -= replaced - 1;
        })
        .catch((error: unknown) => this.deps.log(`room ${this.name} compaction failed: ${error}`))
        .finally(() => {
          this.compacting = false;
        });
    });
  }

  private async compactNow(): Promise<void> {
    if (this.compacting) return;
    await this.deps.store.compact(this.name, this.head, Y.encodeStateAsUpdate(this.doc));
    this.rows = 1;
  }

  private readonly onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const owner = this.peers.get(origin as Peer);
    if (owner) {
      for (const id of [...changes.added, ...changes.updated]) owner.awarenessIds.add(id);
      for (const id of changes.removed) owner.awarenessIds.delete(id);
    }
    const message = encodeAwareness(encodeAwarenessUpdate(this.awareness, changed));
    for (const peer of this.peers.keys()) peer.send(message);
  };

  private reject(peer: Peer, reason: string): void {
    const state = this.peers.get(peer);
    if (state) state.rejected = true;
    this.deps.metrics.protocolErrors++;
    peer.close(CLOSE.protocolError, reason.slice(0, 120));
  }

  private fail(reason: string): void {
    if (this.broken) return;
    this.broken = true;
    this.deps.log(`room ${this.name} closed: ${reason}`);
    for (const peer of this.peers.keys()) peer.close(CLOSE.internalError, 'room reloading');
    this.peers.clear();
    this.deps.onBroken(this);
    this.destroy();
  }

  private destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
