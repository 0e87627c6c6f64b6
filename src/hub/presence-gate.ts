// Who may speak for each presence (awareness) client id in a room. The first connection to use
// an id owns it, for its member: another member can neither overwrite nor remove that presence,
// even after the owner's connection ends (its member may come back with the same id). A state
// must name the sender's own member in `user.id`. One connection speaks for a few ids at most.
import { PRESENCE_LIMITS, presenceMember } from '../shared/sync';
import type { PresenceDropReason } from './metrics';
import type { AwarenessEntry } from './protocol';

interface Owner<P> {
  member: string;
  /** The connection speaking for the id now; null once it has ended. */
  peer: P | null;
}

/** How many ids of ended connections are remembered; the oldest are forgotten first. */
const REMEMBERED = 1024;

export class PresenceGate<P> {
  private readonly owners = new Map<number, Owner<P>>();
  private readonly byPeer = new Map<P, Set<number>>();

  constructor(private readonly onDrop: (reason: PresenceDropReason) => void) {}

  /** The entries `peer`, connected as `member`, may apply; the others are dropped. */
  admit(peer: P, member: string, entries: readonly AwarenessEntry[]): AwarenessEntry[] {
    const admitted: AwarenessEntry[] = [];
    for (const entry of entries) {
      // Only the connection speaking for an id may say it left.
      if (entry.state === null && this.owners.get(entry.clientId)?.peer !== peer) continue;
      const reason = this.refusal(peer, member, entry);
      if (reason) {
        this.onDrop(reason);
        continue;
      }
      this.bind(entry.clientId, member, peer);
      admitted.push(entry);
    }
    return admitted;
  }

  /**
   * The entries another hub forwarded, which its own gate admitted. A client id a connection here
   * speaks for stays with it, and an id stays with the member that first used it, across hubs.
   */
  admitFromCluster(entries: readonly AwarenessEntry[]): AwarenessEntry[] {
    const admitted: AwarenessEntry[] = [];
    for (const entry of entries) {
      const owner = this.owners.get(entry.clientId);
      if (owner?.peer) continue;
      if (entry.state !== null) {
        const member = presenceMember(entry.state);
        if (member === null || (owner && owner.member !== member)) continue;
        // Remembered like an ended connection's id: no connection here speaks for it.
        this.owners.delete(entry.clientId);
        this.owners.set(entry.clientId, { member, peer: null });
      }
      admitted.push(entry);
    }
    return admitted;
  }

  /** The ids `peer` spoke for, now that it has ended, and the ids to forget altogether. */
  release(peer: P): { owned: number[]; forgotten: number[] } {
    const owned = [...(this.byPeer.get(peer) ?? [])];
    this.byPeer.delete(peer);
    for (const id of owned) {
      const owner = this.owners.get(id);
      if (owner?.peer === peer) owner.peer = null;
    }
    const forgotten: number[] = [];
    let ended = [...this.owners.values()].filter((o) => o.peer === null).length;
    for (const [id, owner] of this.owners) {
      if (ended <= REMEMBERED) break;
      if (owner.peer !== null) continue;
      this.owners.delete(id);
      forgotten.push(id);
      ended--;
    }
    return { owned, forgotten };
  }

  private refusal(peer: P, member: string, entry: AwarenessEntry): PresenceDropReason | null {
    const owner = this.owners.get(entry.clientId);
    if (owner && owner.member !== member) return 'client-id-taken';
    if (entry.state !== null && presenceMember(entry.state) !== member) return 'other-member';
    const ids = this.byPeer.get(peer);
    const isNew = !ids?.has(entry.clientId);
    if (isNew && (ids?.size ?? 0) >= PRESENCE_LIMITS.clientsPerConnection) {
      return 'too-many-clients';
    }
    return null;
  }

  private bind(id: number, member: string, peer: P): void {
    const owner = this.owners.get(id);
    if (owner?.peer && owner.peer !== peer) this.byPeer.get(owner.peer)?.delete(id);
    // Re-inserted, so that the map's order is the order of last use.
    this.owners.delete(id);
    this.owners.set(id, { member, peer });
    const ids = this.byPeer.get(peer) ?? new Set<number>();
    ids.add(id);
    this.byPeer.set(peer, ids);
  }
}
