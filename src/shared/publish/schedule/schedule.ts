// The publishing schedule: on which weekdays and at which times the queue posts, in which time
// zone, whether it is paused, and which targets follow the queue rather than publishing at once.
// It lives in the shared document (src/shared/collection/queue.ts), so every maintainer's Curio
// computes the same slots.
import { z } from 'zod';
import { PUBLISH_TARGETS, type PublishTarget } from '../../model';
import { canonicalTimeZone, isKnownTimeZone } from './zone-clock';

/** Monday first, as ISO 8601 counts them; index + 1 is the ISO weekday number. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WeekdaySchema = z.enum(WEEKDAYS);

/** "HH:MM", 24-hour clock, 00:00 to 23:59. */
export const PostingTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM, from 00:00 to 23:59');

export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isKnownTimeZone, {
    error: (issue) => `"${String(issue.input)}" is not a time zone this device knows`,
  })
  .transform(canonicalTimeZone);

export const TARGET_MODES = ['queue', 'immediate'] as const;
export type TargetMode = (typeof TARGET_MODES)[number];
export const TargetModeSchema = z.enum(TARGET_MODES);

/** Sorted, without repeats: the stored form is the same whatever order the curator ticked them in. */
const distinctSorted = <T extends string>(values: readonly T[], order: readonly T[]): T[] =>
  order.filter((value) => values.includes(value));

export const ScheduleSettingsSchema = z.object({
  days: z
    .array(WeekdaySchema)
    .min(1, 'choose at least one day of the week')
    .max(7)
    .transform((days) => distinctSorted(days, WEEKDAYS)),
  times: z
    .array(PostingTimeSchema)
    .min(1, 'add at least one time to post at')
    .max(96, 'at most 96 posting times a day')
    .transform((times) => [...new Set(times)].sort()),
  timeZone: TimeZoneSchema,
  /** Per target: wait for a slot ("queue") or publish when added to the queue ("immediate"). */
  targets: z.object({ bluesky: TargetModeSchema, site: TargetModeSchema }),
});
/** What Settings → "Publishing schedule" edits. */
export type ScheduleSettings = z.output<typeof ScheduleSettingsSchema>;
export type ScheduleSettingsInput = z.input<typeof ScheduleSettingsSchema>;

/** The schedule as the queue reads it from the shared document. */
export interface Schedule extends ScheduleSettings {
  /** "Pause queue": no slot is posted while set; "Post now" still works. */
  paused: boolean;
  /**
   * Slots at or before this instant (ms) are never owed: it is set when the days, times or zone
   * change and when the queue resumes, so neither posts for a slot the new plan never had.
   */
  activeFrom: number;
}

/** The slot-defining part of a schedule: enough to compute slots. */
export type SlotPlan = Pick<ScheduleSettings, 'days' | 'times' | 'timeZone'>;

/** The form's starting point: every day at 11:00, both targets following the queue. */
export function defaultScheduleSettings(timeZone: string): ScheduleSettings {
  return ScheduleSettingsSchema.parse({
    days: [...WEEKDAYS],
    times: ['11:00'],
    timeZone,
    targets: { bluesky: 'queue', site: 'queue' },
  });
}

/** Splits the targets chosen in the Publish dialog into those that wait for a slot and those that go now. */
export function splitTargets(
  settings: Pick<ScheduleSettings, 'targets'> | null,
  targets: readonly PublishTarget[],
): { queued: PublishTarget[]; immediate: PublishTarget[] } {
  const chosen = PUBLISH_TARGETS.filter((target) => targets.includes(target));
  const follows = (target: PublishTarget) => (settings?.targets[target] ?? 'queue') === 'queue';
  return { queued: chosen.filter(follows), immediate: chosen.filter((t) => !follows(t)) };
}
