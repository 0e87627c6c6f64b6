// Wall-clock time in a named time zone, with nothing but Intl.DateTimeFormat (browsers, workers and
// Node all have it). A "wall time" is the local date and time read as if it were UTC, in ms: it
// orders and subtracts like a number, and a day is always 86,400,000 of it.
//
// Turning a wall time back into an instant follows RFC 5545 (iCalendar) and Temporal's
// "compatible" rule: a time the clocks skip (02:30 on a spring-forward night) is read with the
// offset in force before the jump, so it lands as long after the jump as it was meant to be after
// the last valid minute (03:30); a time the clocks show twice (01:30 on a fall-back night) is its
// first occurrence, and only that one.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when this runtime knows the IANA zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const canonicalNames = new Map<string, string>();

/** The zone's name as this runtime spells it ("europe/berlin" becomes "Europe/Berlin"). */
export function canonicalTimeZone(timeZone: string): string {
  let name = canonicalNames.get(timeZone);
  if (name === undefined) {
    name = formatterFor(timeZone).resolvedOptions().timeZone;
    canonicalNames.set(timeZone, name);
  }
  return name;
}

/** The wall time (ms, local fields read as UTC) that clocks in `timeZone` show at instant `at`. */
export function wallTime(at: number, timeZone: string): number {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) fields[part.type] = part.value;
  const year = Number(fields.year);
  const wall = Date.UTC(
    fields.era === 'BC' ? 1 - year : year,
    Number(fields.month) - 1,
    Number(fields.day),
    Number(fields.hour) % 24,
    Number(fields.minute),
    Number(fields.second),
  );
  // Intl resolves to whole seconds; keep the instant's milliseconds.
  return wall + (((at % 1000) + 1000) % 1000);
}

/** The zone's offset from UTC at instant `at`, in ms (positive east of Greenwich). */
export function offsetAt(at: number, timeZone: string): number {
  return wallTime(at, timeZone) - at;
}

/**
 * Every instant at which clocks in `timeZone` show `wall`: one normally, none in a gap, two in an
 * overlap, earliest first. Offsets a day either side bound the candidates, as Temporal does; no
 * zone has changed its offset twice within two days.
 */
export function instantsOf(wall: number, timeZone: string): number[] {
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const found = new Set<number>();
  for (const offset of [before, after]) {
    const at = wall - offset;
    if (wallTime(at, timeZone) === wall) found.add(at);
  }
  return [...found].sort((a, b) => a - b);
}

// Every decision asks for the same few days' slots again; each answer costs four Intl calls.
const remembered = new Map<string, number>();
const REMEMBER_AT_MOST = 4096;

/** The instant a wall time stands for: the first if it occurs twice, shifted past a gap if never. */
export function instantOf(wall: number, timeZone: string): number {
  const key = `${timeZone} ${wall}`;
  let at = remembered.get(key);
  if (at === undefined) {
    at = instantsOf(wall, timeZone)[0] ?? wall - offsetAt(wall - DAY, timeZone);
    if (remembered.size >= REMEMBER_AT_MOST) remembered.clear();
    remembered.set(key, at);
  }
  return at;
}

/** Midnight of the wall time's day, as a wall time. */
export function startOfDay(wall: number): number {
  return Math.floor(wall / DAY) * DAY;
}
