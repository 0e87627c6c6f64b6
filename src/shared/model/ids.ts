// Identifiers. Item ids are derived from the URL's identity key, so two replicas that add the same
// link while offline pick the same id and their edits merge into one item. Other ids are TIDs
// (the AT Protocol's sortable timestamp ids), which also serve as Bluesky record keys.
import { TID } from '@atproto/common-web';
import { digest } from 'lib0/hash/sha256';

const S32 = '234567abcdefghijklmnopqrstuvwxyz';

function base32Sortable(bytes: Uint8Array, chars: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += S32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= chars) break;
  }
  return out;
}

/** 20 base32 characters (100 bits) of SHA-256 over the URL identity key. */
const utf8 = new TextEncoder();

export function itemIdForKey(urlKey: string): string {
  return base32Sortable(digest(utf8.encode(urlKey)), 20);
}

/** A fresh TID, later than every earlier one from this process (for outbox jobs, collections). */
export function nextTid(): string {
  return TID.nextStr();
}

/** The TID syntax of the AT Protocol spec; `TID.is` checks only the length. */
export const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

export function isTid(value: string): boolean {
  return TID_PATTERN.test(value);
}
