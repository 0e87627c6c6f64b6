// One collection's room: its document, its members' presence and their connections.
//
// Everything a room does runs through one serial queue, starting with loading the stored log.
// That gives the hub its guarantees without locks: a client that connects while the room loads
// waits in the queue and never sees an empty document; an update is stored before the next task
// runs, so no client can receive (by broadcast or in a sync reply) anything not yet on disk.
// Whatever goes wrong with one connection's message closes that connection, not the room.
import * as Y from 'yjs';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import type { Role } from '../shared/sync';
import type { HubClock } from './clock';
import type { HubMetrics } from './metrics';
import { PresenceGate } from './presence-gate';
import {
  ProtocolError,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeConfirmed,
  encodeSyncStep1,
  encodeUpdate,
  readClientMessage,
  type AwarenessEntry,
} from './protocol';
import { RateLimit } from './rate-limit';
import type { RoomStore } from './room-store';
import { SyncAnswers } from './sync-answers';
import type { UpdateChecker } from './update-check';
import { WaitingUpdates } from './waiting-updates';

/** A connected client, as the room sees it. */
export interface Peer {
  readonly role: Role;
  /** The member its token was made out to. */
  readonly member: string;
  /** Asked for MESSAGE_CONFIRMED after each of its updates is stored. */
  readonly confirms?: boolean;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomDeps {
  store: RoomStore;
  metrics: HubMetrics;
  clock: HubClock;
  log: (line: string) => void;
  /** Called when the in-memory room can no longer be trusted; the hub forgets it. */
  onBroken: (room: Room) => void;
  /** Decodes updates before they are applied, so a poison update is never half-applied. */
  checker: UpdateChecker;
  /** Fold the log into a snapshot once it has this many entries. */
  compactAfter: number;
  /** Bytes of early updates one connection may leave waiting (waiting-updates.ts). */
  maxWaitingBytes: number;
}

/** WebSocket close codes. 1011 and 4500+ make y-websocket reconnect; 1002 marks a bad client. */
export const CLOSE = { protocolError: 1002, internalError: 1011, goingAway: 1001 } as const;

/** Requests for the room's state one connection may make: a client sends one when it connects. */
const SYNC_REQUESTS = { burst: 4, everyMs: 10_000 };

interface PeerState {
  syncRequests: RateLimit;
  /** Closed by the room for bad input: its queued messages are discarded. */
  rejected: boolean;
  left: boolean;
}

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  private readonly peers = new Map<Peer, PeerState>();
  private readonly answers: SyncAnswers;
  private readonly waiting: WaitingUpdates<Peer>;
  private readonly presence: PresenceGate<Peer>;
  /** Every presence state, as one message; null after any change. */
  private everyone: Uint8Array | null = null;
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
    const { metrics } = deps;
    this.answers = new SyncAnswers(this.doc, () => metrics.stateEncodes++);
    this.waiting = new WaitingUpdates(this.doc, deps.maxWaitingBytes, (delta) => {
      metrics.waitingBytes += delta;
    });
    this.presence = new PresenceGate((reason) => metrics.dropPresence(reason));
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
    const { burst, everyMs } = SYNC_REQUESTS;
    const syncRequests = new RateLimit(this.deps.clock, burst, everyMs);
    this.peers.set(peer, { syncRequests, rejected: false, left: false });
    this.enqueue(() => {
      peer.send(encodeSyncStep1(this.doc));
      if (this.awareness.getStates().size > 0) peer.send(this.everyoneMessage());
    });
  }

  receive(peer: Peer, bytes: Uint8Array): void {
    this.enqueue(() => this.handleContained(peer, bytes));
  }

  /** The peer's connection ended: messages it sent before still count. */
  leave(peer: Peer): void {
    const left = this.peers.get(peer);
    if (left) left.left = true;
    this.enqueue(() => {
      this.peers.delete(peer);
      this.waiting.drop(peer);
      const { owned, forgotten } = this.presence.release(peer);
      if (owned.length > 0) removeAwarenessStates(this.awareness, owned, null);
      for (const id of forgotten) {
        if (!this.awareness.states.has(id)) this.awareness.meta.delete(id);
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
      // The log holds only changes that were integrated when stored, so nothing should wait;
      // whatever would, stays out of every answer.
      this.doc.store.pendingStructs = null;
      this.doc.store.pendingDs = null;
      this.head = log.head;
      this.rows = log.updates.length;
      if (log.updates.length === 1) this.answers.keepWhole(log.updates[0] as Uint8Array);
      this.deps.log(`room ${this.name} loaded: ${log.updates.length} stored updates`);
    } catch (error) {
      this.fail(`could not load: ${String(error)}`);
    }
  }

  /** A message that makes the hub fail closes only its sender's connection. */
  private async handleContained(peer: Peer, bytes: Uint8Array): Promise<void> {
    try {
      await this.handle(peer, bytes);
    } catch (error) {
      if (this.broken) return;
      this.deps.log(`room ${this.name}: a message from ${peer.member} failed: ${String(error)}`);
      this.deps.metrics.close('internal-error');
      this.reject(peer, 'the hub could not handle a message', CLOSE.internalError);
    }
  }

  private async handle(peer: Peer, bytes: Uint8Array): Promise<void> {
    const state = this.peers.get(peer);
    if (!state || state.rejected) return;
    this.deps.metrics.messages++;
    let message;
    try {
      message = readClientMessage(bytes, { checkUpdates: false });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.reject(peer, `malformed message: ${error.message}`);
      return;
    }
    // Asking for the room's state or everyone's presence has a cost; a client asks once.
    const asks = message.type === 'sync-step1' || message.type === 'query-awareness';
    if (asks && !state.syncRequests.take()) {
      this.deps.metrics.syncRequestsDropped++;
      return;
    }
    switch (message.type) {
      case 'sync-step1':
        for (const answer of this.answers.answer(message.stateVector)) peer.send(answer);
        return;
      case 'sync-step2':
      case 'update':
        if (peer.role !== 'editor') {
          this.deps.metrics.readerUpdatesDropped++;
          return;
        }
        return this.receiveUpdate(peer, message.update);
      case 'awareness':
        return this.receivePresence(peer, message.entries);
      case 'query-awareness':
        peer.send(this.everyoneMessage());
        return;
    }
  }

  private async receiveUpdate(peer: Peer, update: Uint8Array): Promise<void> {
    const stateVector = Y.encodeStateVector(this.doc);
    const problem = await this.deps.checker.check(update, stateVector);
    if (problem) this.reject(peer, `malformed message: ${problem}`);
    else if ((await this.applyUpdate(peer, update)) && peer.confirms) {
      peer.send(encodeConfirmed(Y.encodeStateVector(this.doc)));
    }
  }

  private receivePresence(peer: Peer, entries: AwarenessEntry[]): void {
    const admitted = this.presence.admit(peer, peer.member, entries);
    if (admitted.length === 0) return;
    applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(admitted), peer);
  }

  /** True when the update is stored (or held nothing new); false when it was refused. */
  private async applyUpdate(peer: Peer, update: Uint8Array): Promise<boolean> {
    const integrated: Uint8Array[] = [];
    const collect = (u: Uint8Array) => integrated.push(u);
    this.doc.on('update', collect);
    let overLimit: Peer[];
    try {
      overLimit = this.waiting.apply(peer, update);
    } catch (error) {
      // The update decoded but Yjs could not integrate it: the document in memory may hold part
      // of it. Refuse it and rebuild the room from storage, which never saw it.
      this.reject(peer, `update could not be applied: ${String(error)}`);
      this.fail('an update failed half-way; reloading from storage');
      return false;
    } finally {
      this.doc.off('update', collect);
    }
    for (const other of overLimit) {
      this.waiting.drop(other);
      this.deps.metrics.close('waiting-updates');
      this.reject(other, 'sent changes that build on changes it never sent');
    }
    // Nothing new (a resync), or only changes still waiting for the ones they build on.
    if (integrated.length === 0) return !overLimit.includes(peer);
    return (await this.store(peer, integrated)) && !overLimit.includes(peer);
  }

  /** Stores what Yjs integrated, then broadcasts it. */
  private async store(peer: Peer, integrated: Uint8Array[]): Promise<boolean> {
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
    this.answers.stored(merged);
    // The first update of an empty room is the whole room: the answer to a new device.
    if (this.rows === 1) this.answers.keepWhole(merged);
    for (const other of this.peers.keys()) if (other !== peer) other.send(message);
    if (this.rows >= this.deps.compactAfter) this.compactSoon();
    return true;
  }

  /** Takes the snapshot now (consistent with `head`), writes it outside the queue. */
  private compactSoon(): void {
    if (this.compacting) return;
    this.compacting = true;
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    this.answers.keepWhole(snapshot);
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

  private everyoneMessage(): Uint8Array {
    this.everyone ??= encodeAwareness(
      encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
    );
    return this.everyone;
  }

  private readonly onAwarenessUpdate = (changes: {
    added: number[];
    updated: number[];
    removed: number[];
  }): void => {
    this.everyone = null;
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const message = encodeAwareness(encodeAwarenessUpdate(this.awareness, changed));
    for (const peer of this.peers.keys()) peer.send(message);
  };

  private reject(peer: Peer, reason: string, code: number = CLOSE.protocolError): void {
    const state = this.peers.get(peer);
    if (state) state.rejected = true;
    if (code === CLOSE.protocolError) this.deps.metrics.protocolErrors++;
    peer.close(code, reason.slice(0, 120));
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
    this.waiting.clear();
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
