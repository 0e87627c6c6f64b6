// Who is in a room and what each member shows (presence, never stored): the room's awareness,
// the gate that lets a connection speak only for the clients it introduced (presence-gate.ts), and
// the one message that tells a newcomer everyone's presence.
import type * as Y from 'yjs';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import type { HubMetrics } from './metrics';
import { PresenceGate } from './presence-gate';
import {
  encodeAwareness,
  encodeAwarenessEntries,
  readAwarenessUpdate,
  type AwarenessEntry,
} from './protocol';
import { FROM_CLUSTER, type Peer } from './room-deps';

export interface PresenceOutlets {
  metrics: HubMetrics;
  /** Sends a presence message to every member connected here, in the room's order. */
  broadcast(message: Uint8Array): void;
  /** Tells the other hubs of a change made here, when there are any. */
  publish(update: Uint8Array): void;
}

export class RoomPresence {
  private readonly awareness: Awareness;
  private readonly gate: PresenceGate<Peer>;
  /** Every presence state, as one message; null after any change. */
  private everyone: Uint8Array | null = null;

  constructor(
    doc: Y.Doc,
    private readonly outlets: PresenceOutlets,
  ) {
    this.awareness = new Awareness(doc);
    this.gate = new PresenceGate((reason) => outlets.metrics.dropPresence(reason));
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onUpdate);
  }

  /** Whether anyone has presence in the room. */
  get anyone(): boolean {
    return this.awareness.getStates().size > 0;
  }

  /** Presence a member connected here sent. */
  receive(peer: Peer, entries: AwarenessEntry[]): void {
    const admitted = this.gate.admit(peer, peer.member, entries);
    if (admitted.length === 0) return;
    applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(admitted), peer);
  }

  /** Presence from a member connected to another hub. */
  heard(update: Uint8Array): void {
    const admitted = this.gate.admitFromCluster(readAwarenessUpdate(update));
    if (admitted.length === 0) return;
    applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(admitted), FROM_CLUSTER);
  }

  /** The peer left: the presence it owned goes, and the clients it alone knew are forgotten. */
  release(peer: Peer): void {
    const { owned, forgotten } = this.gate.release(peer);
    if (owned.length > 0) removeAwarenessStates(this.awareness, owned, null);
    for (const id of forgotten) {
      if (!this.awareness.states.has(id)) this.awareness.meta.delete(id);
    }
  }

  everyoneMessage(): Uint8Array {
    this.everyone ??= encodeAwareness(
      encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
    );
    return this.everyone;
  }

  destroy(): void {
    this.awareness.off('update', this.onUpdate);
    this.awareness.destroy();
  }

  private readonly onUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    this.everyone = null;
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const update = encodeAwarenessUpdate(this.awareness, changed);
    this.outlets.broadcast(encodeAwareness(update));
    // Each hub times out silent members itself; other hubs' changes came from them.
    if (origin !== FROM_CLUSTER && origin !== 'timeout') this.outlets.publish(update);
  };
}
