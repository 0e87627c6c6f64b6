// What a running Curio does with the queue now: post a pick, claim a slot, wait for the hub to
// confirm a claim, or sleep until the next slot. Pure: the state, the schedule, who is asking and
// the time go in, one decision comes out. docs/decisions.md ("The posting queue") has the proof
// that two apps never both post into one slot.
import type { PublishTarget } from '../../model';
import type { Schedule } from './schedule';
import { latestSlot, nextSlot } from './slots';
import {
  covers,
  holdsAll,
  slotCandidates,
  type QueueState,
  type SlotClaim,
  type StateVector,
} from './queue-state';

/**
 * How this app learns that no other app took a slot first.
 * - `alone`: the collection has no hub, so this is the only replica that posts.
 * - `hub`: the latest state vector the hub sent as "stored" (sync.ts's confirmation message), or
 *   null before the first one. A claim is decided only once such a vector includes it.
 */
export type Coordination = { kind: 'alone' } | { kind: 'hub'; confirmed: StateVector | null };

export interface Runner {
  /** This app's Yjs client id (doc.clientID). */
  replica: number;
  coordination: Coordination;
}

export type QueueDecision =
  /** Post now, in the same task: plan the jobs (they write "publishing" records) before awaiting anything. */
  | { kind: 'post'; itemId: string; targets: PublishTarget[]; slot: number | null }
  /** Write a claim for this slot (claimSlot), then decide again. */
  | { kind: 'claim'; itemId: string; targets: PublishTarget[]; slot: number }
  /** Our claim waits for the hub; decide again when a confirmation arrives, or at `until`. */
  | { kind: 'confirming'; itemId: string; slot: number; until: number | null }
  /** Nothing to do; decide again at `until` (null: only when the document changes). */
  | { kind: 'wait'; until: number | null; reason: WaitReason };

export type WaitReason = 'unscheduled' | 'paused' | 'empty' | 'next-slot';

export type ClaimOutcome = 'won' | 'lost' | 'unconfirmed';

/**
 * Whether a claim of ours may post. With a hub: once a confirmed vector includes our claim and
 * our document holds everything that vector does, we lost if that vector includes a rival claim
 * for the same slot, and won otherwise. The hub stores updates one at a time, so of two claims
 * the one stored second always sees the first in its confirmation: at most one claim wins.
 */
export function claimOutcome(
  claim: SlotClaim,
  state: QueueState,
  coordination: Coordination,
): ClaimOutcome {
  if (coordination.kind === 'alone') return 'won';
  const confirmed = coordination.confirmed;
  if (!confirmed || !covers(confirmed, claim.stored) || !holdsAll(state.stateVector, confirmed)) {
    return 'unconfirmed';
  }
  const rival = state.claims.some(
    (other) =>
      other.slot === claim.slot &&
      other.replica !== claim.replica &&
      covers(confirmed, other.stored),
  );
  return rival ? 'lost' : 'won';
}

/** The slot in progress at `now`: the latest slot at or before it that the schedule counts. */
export function currentSlot(schedule: Schedule | null, now: number): number | null {
  if (!schedule || schedule.paused) return null;
  const slot = latestSlot(schedule, now);
  return slot !== null && slot > schedule.activeFrom ? slot : null;
}

/**
 * The slot a pick is owed for, if any: the slot in progress, when nobody has claimed it yet and
 * a pick was already waiting when it came. Only the latest slot can be owed, so an app that
 * starts after missing several posts one pick, then waits for the next slot: never a burst.
 */
export function owedSlot(state: QueueState, schedule: Schedule | null, now: number): number | null {
  const slot = currentSlot(schedule, now);
  if (slot === null || state.claims.some((claim) => claim.slot === slot)) return null;
  return slotCandidates(state).some((pick) => pick.queuedAt < slot) ? slot : null;
}

function myClaimToPost(
  state: QueueState,
  schedule: Schedule | null,
  runner: Runner,
  now: number,
): { claim: SlotClaim; targets: PublishTarget[] } | null {
  const slot = currentSlot(schedule, now);
  const claim = state.claims.find((c) => c.slot === slot && c.replica === runner.replica);
  if (!claim) return null;
  const pick = state.picks.find((p) => p.itemId === claim.itemId);
  if (!pick || pick.inTrash || pick.failed) return null;
  const targets = claim.targets.filter((target) => pick.pending.includes(target));
  return targets.length ? { claim, targets } : null;
}

/** The one thing this app should do about the queue at `now`. */
export function decideDue(
  state: QueueState,
  schedule: Schedule | null,
  runner: Runner,
  now: number,
): QueueDecision {
  const mine = myClaimToPost(state, schedule, runner, now);
  const outcome = mine && claimOutcome(mine.claim, state, runner.coordination);
  if (mine && outcome === 'won') {
    return {
      kind: 'post',
      itemId: mine.claim.itemId,
      targets: mine.targets,
      slot: mine.claim.slot,
    };
  }
  const asked = state.picks.find((p) => p.postNowAt !== null && !p.inTrash && p.pending.length);
  if (asked) return { kind: 'post', itemId: asked.itemId, targets: asked.pending, slot: null };
  if (mine && outcome === 'unconfirmed') {
    const { itemId, slot } = mine.claim;
    return { kind: 'confirming', itemId, slot, until: schedule && nextSlot(schedule, now) };
  }
  const owed = owedSlot(state, schedule, now);
  const head = slotCandidates(state)[0];
  if (owed !== null && head) {
    return { kind: 'claim', itemId: head.itemId, targets: head.pending, slot: owed };
  }
  if (!schedule) return { kind: 'wait', until: null, reason: 'unscheduled' };
  if (schedule.paused) return { kind: 'wait', until: null, reason: 'paused' };
  if (!head) return { kind: 'wait', until: null, reason: 'empty' };
  const until = nextSlot(schedule, now);
  return until === null
    ? { kind: 'wait', until: null, reason: 'unscheduled' }
    : { kind: 'wait', until, reason: 'next-slot' };
}
