// What the Queue view says about when a pick goes out, in the curator's words.
import type { PickTiming, Schedule } from '../../../shared/publish';

export const OVERDUE = 'Overdue: will post when Curio is running';

const formats = new Map<string, Intl.DateTimeFormat>();

/** "Mon 4 May, 11:00" on the schedule's own clock, the one its times were chosen on. */
export function slotTime(at: number, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return format.format(at);
}

export function describeTiming(timing: PickTiming, schedule: Schedule | null): string {
  const zone = schedule?.timeZone ?? 'UTC';
  switch (timing.kind) {
    case 'at':
      return `Goes out ${slotTime(timing.time, zone)}`;
    case 'overdue':
      return OVERDUE;
    case 'posting':
      return 'Posting now…';
    case 'post-now':
      return 'Goes out as soon as a Curio is running';
    case 'paused':
      return 'Waiting: the queue is paused';
    case 'unscheduled':
      return 'Waiting for a schedule: set days and times in Settings › Publishing schedule';
    case 'failed':
      return `Failed: ${timing.error.replace(/\.?$/, '.')} Press Post now to try again.`;
    case 'in-trash':
      return 'In Trash: restore the link to post it';
  }
}
