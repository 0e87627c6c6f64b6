// What the Queue view says about each pick, and the schedule's one-line summary.
import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../shared/publish';
import { scheduleSummary } from './QueuePane';
import { OVERDUE, describeTiming } from './timing';

const schedule: Schedule = {
  days: ['mon', 'wed', 'fri'],
  times: ['11:00', '17:30'],
  timeZone: 'Europe/Berlin',
  targets: { bluesky: 'queue', site: 'queue' },
  paused: false,
  activeFrom: 0,
};

describe('the Queue view’s words', () => {
  it('gives the slot on the schedule’s own clock', () => {
    // 09:00 UTC on Monday 4 May 2026 is 11:00 in Berlin.
    const text = describeTiming({ kind: 'at', time: Date.UTC(2026, 4, 4, 9) }, schedule);
    expect(text).toMatch(/^Goes out .*Mon.*11:00/);
  });

  it('says a missed slot waits for a running Curio, and why others wait', () => {
    expect(describeTiming({ kind: 'overdue', slot: 0 }, schedule)).toBe(
      'Overdue: will post when Curio is running',
    );
    expect(OVERDUE).toBe('Overdue: will post when Curio is running');
    expect(
      describeTiming({ kind: 'failed', at: 0, error: 'Bluesky refused the card' }, schedule),
    ).toBe('Failed: Bluesky refused the card. Press Post now to try again.');
    expect(describeTiming({ kind: 'unscheduled' }, null)).toContain(
      'Settings › Publishing schedule',
    );
  });

  it('sums the schedule up in one line', () => {
    expect(scheduleSummary(schedule)).toBe(
      'Posts Mon, Wed, Fri at 11:00 and 17:30 (Europe/Berlin)',
    );
    expect(
      scheduleSummary({ ...schedule, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }),
    ).toBe('Posts every day at 11:00 and 17:30 (Europe/Berlin)');
  });
});
