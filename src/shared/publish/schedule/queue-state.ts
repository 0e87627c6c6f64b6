// The queue as the decisions see it: plain data read from the shared document by
// src/shared/collection/queue.ts, so that deciding what to post is a pure function.
import type { PublishTarget } from '../../model';

export interface QueuedPick {
  itemId: string;
  /** Order key (order-key.ts); null when the stored one is malformed (such picks go last). */
  position: string | null;
  /** Where this pick goes when its slot comes. */
  targets: PublishTarget[];
  /** Targets with no "publishing" or "published" record yet: what is left to do. */
  pending: PublishTarget[];
  queuedAt: number;
  queuedBy: string;
  /** When someone pressed "Post now", until it is posted. */
  postNowAt: number | null;
  /** Set when posting it from the queue failed; it waits for the curator. */
  failed: { at: number; error: string } | null;
  inTrash: boolean;
}

/** Where a Yjs struct sits in its client's history; a state vector covers it when v[client] > clock. */
export interface StructId {
  client: number;
  clock: number;
}

/** "This replica takes this slot for this pick": written once, never changed, by one replica. */
export interface SlotClaim {
  slot: number;
  /** The claiming replica's Yjs client id (a new one each time an app starts). */
  replica: number;
  itemId: string;
  targets: PublishTarget[];
  /** Member whose app claimed it. */
  by: string;
  /** When it was claimed, by the claimer's clock. */
  at: number;
  /** The claim's own struct, to tell whether a state vector the hub confirmed includes it. */
  stored: StructId;
}

export type StateVector = ReadonlyMap<number, number>;

export interface QueueState {
  /** Picks with something left to publish, in queue order. */
  picks: QueuedPick[];
  claims: SlotClaim[];
  /** What this replica's document holds. */
  stateVector: StateVector;
}

/** Queue order: by order key, then by item id, so no two picks ever compare equal. */
export function queueOrder(a: QueuedPick, b: QueuedPick): number {
  if (a.position !== b.position) {
    if (a.position === null) return 1;
    if (b.position === null) return -1;
    return a.position < b.position ? -1 : 1;
  }
  return a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0;
}

/** Picks a slot may take, in queue order: live, not failed, not already on their way by "Post now". */
export function slotCandidates(state: QueueState): QueuedPick[] {
  return state.picks.filter(
    (pick) => !pick.inTrash && !pick.failed && pick.postNowAt === null && pick.pending.length > 0,
  );
}

/**
 * The first of the picks to go out next (any "Post now", then the head of the queue) with a
 * target this app cannot publish to, and those targets. Such an app stays out of the slot: one
 * that can publish there takes it, rather than this one claiming it only to fail the pick.
 */
export function unservedPick(
  state: QueueState,
  canPublish: (target: PublishTarget) => boolean,
): { itemId: string; targets: PublishTarget[] } | null {
  const next = [
    ...state.picks.filter((pick) => pick.postNowAt !== null && !pick.inTrash),
    ...slotCandidates(state).slice(0, 1),
  ];
  for (const pick of next) {
    const targets = pick.pending.filter((target) => !canPublish(target));
    if (targets.length) return { itemId: pick.itemId, targets };
  }
  return null;
}

export function covers(vector: StateVector, id: StructId): boolean {
  return (vector.get(id.client) ?? 0) > id.clock;
}

/** True when `local` holds everything `other` describes. */
export function holdsAll(local: StateVector, other: StateVector): boolean {
  for (const [client, clock] of other) if ((local.get(client) ?? 0) < clock) return false;
  return true;
}
