// Slots: the real instants at which a schedule posts. A slot is a chosen weekday and time read on
// the schedule's own wall clock; zone-clock.ts says what a time the clocks skip or repeat becomes.
import { WEEKDAYS, type SlotPlan } from './schedule';
import { DAY, MINUTE, instantOf, startOfDay, wallTime } from './zone-clock';

/** The weekday of a wall-time day (1970-01-01 was a Thursday). */
function weekdayOf(dayStart: number): (typeof WEEKDAYS)[number] {
  const daysSinceEpoch = Math.floor(dayStart / DAY);
  return WEEKDAYS[(((daysSinceEpoch + 3) % 7) + 7) % 7]!;
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** The instants of one wall-clock day's slots (none when the day is not chosen), unsorted. */
function slotsOfDay(plan: SlotPlan, dayStart: number): number[] {
  if (!plan.days.includes(weekdayOf(dayStart))) return [];
  return plan.times.map((time) => instantOf(dayStart + minutesOf(time) * MINUTE, plan.timeZone));
}

/*
 * A wall time maps to an instant at most 14 hours before it or 12 after (the widest offsets), and
 * a skipped time moves later by the length of the gap (a day, once, in Samoa). So the slots of
 * wall day D all fall before the slots of day D + 3, and after those of day D - 3: scanning
 * MARGIN_DAYS either side of the days that matter finds every slot in between.
 */
const MARGIN_DAYS = 2;

/**
 * The next `n` slots strictly after `after` (ms), earliest first. A slot that two chosen times
 * map to (02:30 pushed onto 03:30 on a spring-forward day when 03:30 is chosen too) counts once.
 */
export function nextSlots(plan: SlotPlan, after: number, n: number): number[] {
  if (n <= 0 || !plan.days.length || !plan.times.length) return [];
  const found = new Set<number>();
  const firstDay = startOfDay(wallTime(after, plan.timeZone)) - MARGIN_DAYS * DAY;
  // Every week holds a chosen day, so n slots lie within n + 1 weeks of the first day.
  const lastDay = firstDay + (7 * (n + 1) + 2 * MARGIN_DAYS) * DAY;
  let settled = -1;
  for (let day = firstDay; day <= lastDay && settled < MARGIN_DAYS; day += DAY) {
    for (const slot of slotsOfDay(plan, day)) if (slot > after) found.add(slot);
    if (found.size >= n) settled++;
  }
  return [...found].sort((a, b) => a - b).slice(0, n);
}

/** The slot right after `after`, or null when the plan has no days or times. */
export function nextSlot(plan: SlotPlan, after: number): number | null {
  return nextSlots(plan, after, 1)[0] ?? null;
}

/** The latest slot at or before `at`, or null when the plan has no days or times. */
export function latestSlot(plan: SlotPlan, at: number): number | null {
  if (!plan.days.length || !plan.times.length) return null;
  const today = startOfDay(wallTime(at, plan.timeZone));
  let best: number | null = null;
  // A week back always reaches a chosen day.
  for (let day = today + MARGIN_DAYS * DAY; day >= today - (7 + MARGIN_DAYS) * DAY; day -= DAY) {
    for (const slot of slotsOfDay(plan, day)) {
      if (slot <= at && (best === null || slot > best)) best = slot;
    }
  }
  return best;
}
