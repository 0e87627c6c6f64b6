// The confirmations a room served by several hubs owes its members. A confirmation must cover
// every update stored before the one it confirms (the posting queue's slot claims rely on it), and
// another hub may have stored some of those under lower numbers, not yet heard of here. So each is
// owed until the room holds every update numbered up to this hub's newest commit when it was owed,
// and then says the state of exactly the log the room holds (durable-state.ts).
import type * as Y from 'yjs';
import { DurableState } from './durable-state';
import { encodeConfirmed } from './protocol';

export class ClusterConfirmations<Peer> {
  private readonly durable = new DurableState();
  private owed: { seq: number; peer: Peer }[] = [];

  /** The room loaded the log: the document is the log. */
  loaded(doc: Y.Doc): void {
    this.durable.loaded(doc);
  }

  /** `peer` is owed a confirmation once the room holds every update through `seq`. */
  owe(seq: number, peer: Peer): void {
    this.owed.push({ seq, peer });
  }

  /** This hub's update was stored as `seq`; the room holds the log through `applied`. */
  stored(seq: number, update: Uint8Array, applied: number): void {
    this.durable.stored(seq, update, applied);
  }

  /** Updates fetched by number were applied; the room holds the log through `applied`. */
  fetched(updates: readonly Uint8Array[], applied: number): void {
    this.durable.fetched(updates, applied);
  }

  /**
   * Takes the confirmations due now that the room holds the log through `applied`: the peers owed
   * one, and the message each gets. Null when none is due.
   */
  takeDue(applied: number): { peers: Peer[]; message: Uint8Array } | null {
    const due = this.owed.filter((c) => c.seq <= applied);
    if (due.length === 0) return null;
    this.owed = this.owed.filter((c) => c.seq > applied);
    return { peers: due.map((c) => c.peer), message: encodeConfirmed(this.durable.encode()) };
  }
}
