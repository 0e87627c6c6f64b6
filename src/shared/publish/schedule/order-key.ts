// Order keys for the queue: strings that sort in queue order, so that putting a pick between two
// others writes one key and never renumbers the rest (a renumbering racing a concurrent move would
// scramble both). Every key ends in a tag of the replica that made it, so two maintainers who put
// a pick into the same gap at once still write different keys, and a later insert fits between
// them. Ties (only possible in a forged document) are broken by item id by whoever sorts.
//
// A key is an integer part, an optional fraction, and the tag. The integer part is a head letter
// that says how many base-62 digits follow (a: 1, b: 2, …; Z: 1, Y: 2, … below zero) and the
// digits, so appending at either end counts up or down and keys grow by one character only when
// a whole length is used up: a pick added to the end of the queue every day for a century still
// gets a key of about ten characters. Inserting between neighbours whose integer parts are
// consecutive falls back to a fraction, as long as it needs to be.

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const TOP = DIGITS[BASE - 1]!;
/** Tags never use '0', so no key ends in the smallest digit and a gap always stays before it. */
const TAG_DIGITS = DIGITS.slice(1);
const TAG_LENGTH = 6; // 61^6 > 2^32: room for every Yjs client id

/** A valid stored order key: base-62 digits, not ending in '0'. */
export const ORDER_KEY_PATTERN = /^[0-9A-Za-z]{0,199}[1-9A-Za-z]$/;

function value(char: string): number {
  return DIGITS.indexOf(char);
}

/** The replica's tag: its Yjs client id, six digits of base 61. */
export function replicaTag(replica: number): string {
  let rest = Math.abs(Math.trunc(replica)) % TAG_DIGITS.length ** TAG_LENGTH;
  let out = '';
  for (let i = 0; i < TAG_LENGTH; i++) {
    out = TAG_DIGITS[rest % TAG_DIGITS.length] + out;
    rest = Math.floor(rest / TAG_DIGITS.length);
  }
  return out;
}

/** Digits an integer part with this head carries, or 0 when the character is no head. */
function digitsAfter(head: string): number {
  if (head >= 'a' && head <= 'z') return head.charCodeAt(0) - 96;
  if (head >= 'A' && head <= 'Z') return 91 - head.charCodeAt(0);
  return 0;
}

function integerPart(key: string): string | null {
  const n = digitsAfter(key.charAt(0));
  return n && key.length > n ? key.slice(0, n + 1) : null;
}

function shiftHead(head: string, by: number): string {
  return String.fromCharCode(head.charCodeAt(0) + by);
}

/** The next integer part, or null past the largest ("z" and 26 "z"s). */
function increment(int: string): string | null {
  const head = int.charAt(0);
  const digits = int.slice(1);
  const i = [...digits].findLastIndex((d) => d !== TOP);
  if (i >= 0) {
    return (
      head + digits.slice(0, i) + DIGITS[value(digits[i]!) + 1] + '0'.repeat(digits.length - i - 1)
    );
  }
  if (head === 'Z') return 'a0';
  if (head === 'z') return null;
  const next = shiftHead(head, 1);
  return next + '0'.repeat(digitsAfter(next));
}

/** The previous integer part, or null below the smallest ("A" and 26 "0"s). */
function decrement(int: string): string | null {
  const head = int.charAt(0);
  const digits = int.slice(1);
  const i = [...digits].findLastIndex((d) => d !== '0');
  if (i >= 0) {
    return (
      head + digits.slice(0, i) + DIGITS[value(digits[i]!) - 1] + TOP.repeat(digits.length - i - 1)
    );
  }
  if (head === 'a') return 'Z' + TOP;
  if (head === 'A') return null;
  const previous = shiftHead(head, -1);
  return previous + TOP.repeat(digitsAfter(previous));
}

/**
 * The shortest-ish string strictly between `lo` ('' for no lower bound) and `hi` (null for none)
 * that is no prefix of `hi` and does not end in '0'; null when none exists (hi is lo followed by
 * zeros, or lo is not below hi).
 */
function midpoint(lo: string, hi: string | null): string | null {
  let out = '';
  let tightLo = true;
  let tightHi = hi !== null;
  for (let i = 0; ; i++) {
    const l = tightLo && i < lo.length ? value(lo[i]!) : -1;
    if (tightHi && i >= hi!.length) return null;
    const h = tightHi ? value(hi![i]!) : BASE;
    if (h - l >= 2) {
      const d = Math.floor((l + h + 1) / 2);
      if (d > 0) return out + DIGITS[d];
      // Only '0' fits here (l = -1, h = 1): take it and put a middle digit after it.
      out += DIGITS[0];
      tightLo = false;
      tightHi = false;
    } else if (l < 0) {
      out += DIGITS[0];
      tightLo = false;
    } else if (h < l) {
      return null;
    } else {
      out += DIGITS[l];
      if (l < h) tightHi = false;
    }
  }
}

/** The key part (without tag) for a place between two keys; either may be absent. */
function keyBetween(lo: string | null, hi: string | null): string | null {
  if (lo === null && hi === null) return 'a0';
  const intLo = lo === null ? null : integerPart(lo);
  const intHi = hi === null ? null : integerPart(hi);
  if (lo === null && intHi) {
    const before = decrement(intHi);
    if (before) return before;
  } else if (hi === null && intLo) {
    const after = increment(intLo);
    if (after) return after;
  } else if (intLo && intHi && intLo < intHi) {
    const after = increment(intLo);
    if (after && after < intHi) return after;
  }
  return midpoint(lo ?? '', hi);
}

/**
 * A new order key that sorts after `lo` and before `hi` (null: no bound on that side), tagged by
 * the replica that writes it. When the bounds leave no room (equal keys, only in a forged
 * document), the key goes right after `lo` and the item-id tiebreak orders the rest.
 */
export function orderKeyBetween(lo: string | null, hi: string | null, replica: number): string {
  const core = keyBetween(lo, hi) ?? keyBetween(lo, null) ?? midpoint(lo ?? '', null)!;
  return core + replicaTag(replica);
}
