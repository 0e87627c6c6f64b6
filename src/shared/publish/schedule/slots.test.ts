import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WEEKDAYS, type SlotPlan, type Weekday } from './schedule';
import { latestSlot, nextSlot, nextSlots } from './slots';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const utc = (iso: string) => Date.parse(iso.endsWith('Z') ? iso : iso + 'Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const plan = (timeZone: string, times: string[], days: Weekday[] = [...WEEKDAYS]): SlotPlan => ({
  days,
  times,
  timeZone,
});

describe('named slots across clock changes', () => {
  it('posts at 11:00 local every day, in winter and in summer', () => {
    const berlin = plan('Europe/Berlin', ['11:00']);
    expect(nextSlots(berlin, utc('2026-03-27T12:00'), 3).map(iso)).toEqual([
      '2026-03-28T10:00:00Z', // CET, UTC+1
      '2026-03-29T09:00:00Z', // CEST from this morning, UTC+2
      '2026-03-30T09:00:00Z',
    ]);
  });

  it('a 02:30 slot on a spring-forward day goes out at 03:30, an hour after 01:59', () => {
    expect(iso(nextSlot(plan('Europe/Berlin', ['02:30']), utc('2026-03-29T00:00'))!)).toBe(
      '2026-03-29T01:30:00Z',
    );
    expect(iso(nextSlot(plan('America/New_York', ['02:30']), utc('2026-03-08T00:00'))!)).toBe(
      '2026-03-08T07:30:00Z',
    );
  });

  it('a skipped time pushed onto another chosen time is one slot, not two', () => {
    const both = plan('Europe/Berlin', ['02:30', '03:30']);
    expect(nextSlots(both, utc('2026-03-28T12:00'), 3).map(iso)).toEqual([
      '2026-03-29T01:30:00Z',
      '2026-03-30T00:30:00Z',
      '2026-03-30T01:30:00Z',
    ]);
  });

  it('a skipped 02:30 and a real 03:00 go out in the order they happen', () => {
    const both = plan('Europe/Berlin', ['02:30', '03:00']);
    expect(nextSlots(both, utc('2026-03-28T12:00'), 2).map(iso)).toEqual([
      '2026-03-29T01:00:00Z', // 03:00 CEST
      '2026-03-29T01:30:00Z', // 02:30, skipped, read as 03:30 CEST
    ]);
  });

  it('a 01:30 slot on a fall-back day goes out at its first occurrence, once', () => {
    const ny = plan('America/New_York', ['01:30']);
    expect(nextSlots(ny, utc('2026-10-31T12:00'), 2).map(iso)).toEqual([
      '2026-11-01T05:30:00Z', // 01:30 EDT; 01:30 EST an hour later is not a second slot
      '2026-11-02T06:30:00Z',
    ]);
    const berlin = plan('Europe/Berlin', ['02:30']);
    expect(nextSlots(berlin, utc('2026-10-25T00:45'), 1).map(iso)).toEqual([
      '2026-10-26T01:30:00Z',
    ]);
  });

  it('half-hour clock changes (Lord Howe Island) shift a skipped time by half an hour', () => {
    const lordHowe = plan('Australia/Lord_Howe', ['02:15']);
    expect(iso(nextSlot(lordHowe, utc('2026-10-03T00:00'))!)).toBe('2026-10-03T15:45:00Z');
    // 01:30 to 02:00 happens twice on 5 April (UTC+11, then UTC+10:30): the first one counts.
    const overlap = plan('Australia/Lord_Howe', ['01:45']);
    expect(nextSlots(overlap, utc('2026-04-04T00:00'), 2).map(iso)).toEqual([
      '2026-04-04T14:45:00Z',
      '2026-04-05T15:15:00Z',
    ]);
  });

  it('a day the zone skipped entirely (Samoa, 30 December 2011) posts once, on the next day', () => {
    const apia = plan('Pacific/Apia', ['11:00']);
    expect(nextSlots(apia, utc('2011-12-29T00:00'), 3).map(iso)).toEqual([
      '2011-12-29T21:00:00Z', // Thu 29th, 11:00 UTC-10
      '2011-12-30T21:00:00Z', // Sat 31st, 11:00 UTC+14 (Friday's 11:00 never happened)
      '2011-12-31T21:00:00Z',
    ]);
  });

  it('only on the chosen weekdays, and latestSlot looks back across a week', () => {
    const fridays = plan('UTC', ['11:00'], ['fri']);
    expect(nextSlots(fridays, utc('2026-05-01T11:00'), 2).map(iso)).toEqual([
      '2026-05-08T11:00:00Z',
      '2026-05-15T11:00:00Z',
    ]);
    expect(iso(latestSlot(fridays, utc('2026-05-07T23:59'))!)).toBe('2026-05-01T11:00:00Z');
    expect(iso(latestSlot(fridays, utc('2026-05-08T11:00'))!)).toBe('2026-05-08T11:00:00Z');
  });

  it('a plan without days or times has no slots', () => {
    expect(nextSlots(plan('UTC', []), 0, 3)).toEqual([]);
    expect(nextSlots(plan('UTC', ['11:00'], []), 0, 3)).toEqual([]);
    expect(latestSlot(plan('UTC', []), Date.now())).toBeNull();
  });
});

// ---- an independent oracle: brute force over every offset, another formatter, binary search ----

const sv = new Map<string, Intl.DateTimeFormat>();
/** Wall time through a different locale's output ("2026-03-29 02:30:00"), parsed by Date. */
function wallOracle(at: number, timeZone: string): number {
  let f = sv.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    sv.set(timeZone, f);
  }
  return Date.parse(f.format(at).replace(' ', 'T') + 'Z') + (at % 1000);
}

/** What a wall time should become, found without zone-clock.ts's method. */
function instantOracle(wall: number, timeZone: string): number {
  const hits: number[] = [];
  for (let offset = -12 * HOUR; offset <= 14 * HOUR; offset += 15 * MINUTE) {
    if (wallOracle(wall - offset, timeZone) === wall) hits.push(wall - offset);
  }
  if (hits.length) return Math.min(...hits);
  // A gap: find the jump (the first minute whose wall time is past `wall`) and use the offset
  // in force the minute before it.
  let lo = wall - 14 * HOUR;
  let hi = wall + 13 * HOUR;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallOracle(mid, timeZone) > wall) hi = mid;
    else lo = mid;
  }
  return wall - (wallOracle(lo, timeZone) - lo);
}

function slotsOracle(p: SlotPlan, after: number, n: number): number[] {
  const found = new Set<number>();
  const firstDay = Math.floor((after - 15 * HOUR) / DAY) * DAY - DAY;
  for (let day = firstDay; found.size < n + p.times.length * 4; day += DAY) {
    const weekday = WEEKDAYS[(Math.floor(day / DAY) + 3) % 7]!;
    if (!p.days.includes(weekday)) continue;
    for (const time of p.times) {
      const [h, m] = time.split(':').map(Number) as [number, number];
      const at = instantOracle(day + h * HOUR + m * MINUTE, p.timeZone);
      if (at > after) found.add(at);
    }
  }
  return [...found].sort((a, b) => a - b).slice(0, n);
}

/** Clock changes (UTC instants) the property tests gather around, and their zones. */
const CHANGES: Array<[zone: string, at: string]> = [
  ['Europe/Berlin', '2026-03-29T01:00'],
  ['Europe/Berlin', '2026-10-25T01:00'],
  ['Europe/London', '2026-03-29T01:00'],
  ['America/New_York', '2026-03-08T07:00'],
  ['America/New_York', '2026-11-01T06:00'],
  ['America/St_Johns', '2026-03-08T05:30'],
  ['America/Santiago', '2026-04-05T03:00'], // at local midnight
  ['America/Santiago', '2026-09-06T04:00'],
  ['Australia/Lord_Howe', '2026-04-04T15:00'], // half an hour
  ['Australia/Lord_Howe', '2026-10-03T15:30'],
  ['Australia/Sydney', '2026-10-03T16:00'],
  ['Pacific/Chatham', '2026-04-04T14:00'],
  ['Pacific/Apia', '2011-12-30T10:00'], // a whole day
  ['Asia/Kathmandu', '2026-06-01T00:00'], // none: UTC+5:45 all year
  ['UTC', '2026-06-01T00:00'],
];

const two = (n: number) => String(n).padStart(2, '0');
const minuteArb = fc.constantFrom(0, 1, 15, 29, 30, 31, 45, 59);

const caseArb = fc.constantFrom(...CHANGES).chain(([timeZone, at]) => {
  const change = utc(at);
  // The local hour just before the change: posting times near it fall into gaps and overlaps.
  const hour = new Date(wallOracle(change - MINUTE, timeZone)).getUTCHours();
  const timeArb = fc
    .tuple(fc.oneof(fc.integer({ min: hour - 1, max: hour + 2 }), fc.nat(23)), minuteArb)
    .map(([h, m]) => `${two((h + 24) % 24)}:${two(m)}`);
  return fc.record({
    plan: fc.record({
      days: fc.oneof(
        fc.constant<Weekday[]>([...WEEKDAYS]),
        fc.subarray([...WEEKDAYS], { minLength: 1 }),
      ),
      times: fc.uniqueArray(timeArb, { minLength: 1, maxLength: 4 }).map((t) => t.sort()),
      timeZone: fc.constant(timeZone),
    }),
    after: fc.integer({ min: change - 3 * DAY, max: change + DAY }),
  });
});

describe('slots, for any plan and moment', () => {
  it('are exactly the chosen weekday-and-time instants after the moment, none skipped, none twice', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 12 }), ({ plan: p, after }, n) => {
        expect(nextSlots(p, after, n).map(iso)).toEqual(slotsOracle(p, after, n).map(iso));
      }),
      { numRuns: 80 },
    );
  });

  it('rise strictly, follow on from each other, and latestSlot finds each one', () => {
    fc.assert(
      fc.property(caseArb, ({ plan: p, after }) => {
        const slots = nextSlots(p, after, 8);
        expect(slots).toHaveLength(8);
        expect(slots[0]!).toBeGreaterThan(after);
        for (let i = 1; i < slots.length; i++) {
          const [previous, slot] = [slots[i - 1]!, slots[i]!];
          expect(slot).toBeGreaterThan(previous);
          expect(nextSlot(p, previous)).toBe(slot);
          expect(latestSlot(p, slot)).toBe(slot);
          expect(latestSlot(p, slot - 1)).toBe(previous);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('each fall on a chosen weekday and time on the zone’s clock, unless that time was skipped', () => {
    fc.assert(
      fc.property(caseArb, ({ plan: p, after }) => {
        for (const slot of nextSlots(p, after, 6)) {
          const wall = wallOracle(slot, p.timeZone);
          const weekday = WEEKDAYS[(Math.floor(wall / DAY) + 3) % 7]!;
          const time = new Date(wall).toISOString().slice(11, 16);
          if (p.days.includes(weekday) && p.times.includes(time)) continue;
          // Otherwise it is a skipped chosen time: within a day before, clocks never showed it.
          const skipped = p.times.some((t) => {
            const [h, m] = t.split(':').map(Number) as [number, number];
            for (const day of [Math.floor(wall / DAY) * DAY, Math.floor(wall / DAY) * DAY - DAY]) {
              const nominal = day + h * HOUR + m * MINUTE;
              if (instantOracle(nominal, p.timeZone) === slot) return true;
            }
            return false;
          });
          expect(skipped, `${iso(slot)} in ${p.timeZone} is neither chosen nor skipped`).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
