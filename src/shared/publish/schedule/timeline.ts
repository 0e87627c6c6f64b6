// What the "Queue" view shows next to each pick: the time it is expected to go out, or why not.
// It follows the same rules as decideDue, so what a maintainer reads is what a running Curio does.
import type { Schedule } from './schedule';
import { nextSlots } from './slots';
import { currentSlot, owedSlot } from './decide';
import type { QueueState } from './queue-state';

export type PickTiming =
  /** Expected to go out at this slot. */
  | { kind: 'at'; time: number }
  /** Owed the slot that has passed: "Overdue: will post when Curio is running". */
  | { kind: 'overdue'; slot: number }
  /** Claimed for the slot in progress; a running Curio is posting it. */
  | { kind: 'posting'; slot: number }
  /** "Post now" was pressed; it goes out as soon as a Curio runs. */
  | { kind: 'post-now' }
  | { kind: 'paused' }
  /** No schedule saved, or one without days or times. */
  | { kind: 'unscheduled' }
  | { kind: 'failed'; at: number; error: string }
  | { kind: 'in-trash' };

export interface TimedPick {
  itemId: string;
  timing: PickTiming;
}

/** Every queued pick in queue order, with what the queue says about it at `now`. */
export function queueTimeline(
  state: QueueState,
  schedule: Schedule | null,
  now: number,
): TimedPick[] {
  const current = currentSlot(schedule, now);
  const claimants = new Set(
    state.claims.filter((claim) => claim.slot === current).map((claim) => claim.itemId),
  );
  // Once one claimant's pick has gone out, the others lost the slot and wait for the next.
  const stillPending = new Set(state.picks.map((pick) => pick.itemId));
  const decided = [...claimants].some((itemId) => !stillPending.has(itemId));
  let overdue = owedSlot(state, schedule, now);
  const waiting = state.picks.filter((p) => !p.inTrash && !p.failed && p.postNowAt === null);
  const upcoming = schedule && !schedule.paused ? nextSlots(schedule, now, waiting.length) : [];
  let next = 0;
  return state.picks.map((pick): TimedPick => {
    const timed = (timing: PickTiming): TimedPick => ({ itemId: pick.itemId, timing });
    if (pick.inTrash) return timed({ kind: 'in-trash' });
    if (pick.postNowAt !== null) return timed({ kind: 'post-now' });
    if (pick.failed) return timed({ kind: 'failed', ...pick.failed });
    if (!schedule) return timed({ kind: 'unscheduled' });
    if (schedule.paused) return timed({ kind: 'paused' });
    if (current !== null && claimants.has(pick.itemId) && !decided) {
      return timed({ kind: 'posting', slot: current });
    }
    if (overdue !== null) {
      const slot = overdue;
      overdue = null;
      return timed({ kind: 'overdue', slot });
    }
    const time = upcoming[next++];
    return timed(time === undefined ? { kind: 'unscheduled' } : { kind: 'at', time });
  });
}
