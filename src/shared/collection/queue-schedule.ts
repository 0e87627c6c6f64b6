// The publishing schedule in the shared document: the root map `schedule`, one key per setting,
// so a maintainer pausing the queue and another changing its times both keep their change
// (docs/data-model.md, "The posting queue"). Slots and decisions are in src/shared/publish/schedule.
import type * as Y from 'yjs';
import { z } from 'zod';
import {
  PostingTimeSchema,
  ScheduleSettingsSchema,
  TargetModeSchema,
  TimeZoneSchema,
  WeekdaySchema,
  type Schedule,
  type ScheduleSettingsInput,
} from '../publish/schedule';
import { ROOT } from './schema';
import type { Actor } from './write';

export const SCHEDULE_ROOT = ROOT.schedule;

/** A queue or schedule action that cannot be done, said so that the curator knows what to do. */
export class QueueError extends Error {
  override name = 'QueueError';
}

const time = z.number().int().nonnegative();
const StoredDaysSchema = z.array(WeekdaySchema).max(7);
const StoredTimesSchema = z.array(PostingTimeSchema).max(96);
const Flag = z.boolean();

function scheduleMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(SCHEDULE_ROOT);
}

const clock = (actor: Actor) => (actor.now ?? Date.now)();

/** Writes only what changed, so a save that changes one setting does not win the others' races. */
function setIfChanged(map: Y.Map<unknown>, key: string, value: unknown): void {
  if (!map.has(key) || JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
}

export interface ScheduleRead {
  /** Null until someone saves a schedule (a time zone is what makes one). */
  schedule: Schedule | null;
  /** Stored values that could not be read, named for Settings to show; each fell back safely. */
  problems: string[];
}

/** The schedule from the shared document. Unreadable days or times mean no slots, never guessed ones. */
export function readSchedule(doc: Y.Doc): ScheduleRead {
  const map = scheduleMap(doc);
  const problems: string[] = [];
  /** `missing` when the key was never written; `unreadable` (the safe choice) when it is malformed. */
  const read = <T>(key: string, schema: z.ZodType<T>, missing: T, unreadable: T = missing): T => {
    if (!map.has(key)) return missing;
    const parsed = schema.safeParse(map.get(key));
    if (parsed.success) return parsed.data;
    problems.push(`${key}: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
    return unreadable;
  };
  const timeZone = read<string | null>('timeZone', TimeZoneSchema, null);
  if (timeZone === null) return { schedule: null, problems };
  const schedule: Schedule = {
    days: read('days', StoredDaysSchema, []),
    times: read('times', StoredTimesSchema, []),
    timeZone,
    targets: {
      bluesky: read('mode/bluesky', TargetModeSchema, 'queue'),
      site: read('mode/site', TargetModeSchema, 'queue'),
    },
    paused: read('paused', Flag, false, true),
    activeFrom: read('activeFrom', time, 0),
  };
  return { schedule, problems };
}

/** Settings → "Publishing schedule". Changing days, times or zone starts counting slots afresh. */
export function setSchedule(doc: Y.Doc, input: ScheduleSettingsInput, actor: Actor): void {
  const parsed = ScheduleSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${String(issue.path[0] ?? 'schedule')}: ${issue.message}`,
    );
    throw new QueueError(`The publishing schedule was not saved (${issues.join('; ')}).`);
  }
  const settings = parsed.data;
  const map = scheduleMap(doc);
  const before = readSchedule(doc).schedule;
  const moved =
    !before ||
    before.timeZone !== settings.timeZone ||
    before.days.join() !== settings.days.join() ||
    before.times.join() !== settings.times.join();
  doc.transact(() => {
    setIfChanged(map, 'days', settings.days);
    setIfChanged(map, 'times', settings.times);
    setIfChanged(map, 'timeZone', settings.timeZone);
    setIfChanged(map, 'mode/bluesky', settings.targets.bluesky);
    setIfChanged(map, 'mode/site', settings.targets.site);
    if (!map.has('paused')) map.set('paused', false);
    if (moved) map.set('activeFrom', clock(actor));
  }, actor.origin ?? null);
}

/** "Pause queue": no slot posts until resumed. */
export function pauseQueue(doc: Y.Doc, actor: Actor): void {
  doc.transact(() => setIfChanged(scheduleMap(doc), 'paused', true), actor.origin ?? null);
}

/** Resumes posting from the next slot: slots that passed while paused are not owed. */
export function resumeQueue(doc: Y.Doc, actor: Actor): void {
  const map = scheduleMap(doc);
  doc.transact(() => {
    setIfChanged(map, 'paused', false);
    map.set('activeFrom', clock(actor));
  }, actor.origin ?? null);
}
