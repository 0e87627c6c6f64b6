// Record keys that every replica computes alike. Two maintainers publishing the same pick at
// the same moment must write to the same key, so the second write finds the first instead of
// making a second post. Keys are TIDs (Bluesky requires them for posts) whose 58 bits come from a
// hash of the collection, the target and the item; the timestamp part therefore says nothing
// about when the post was made, which the AT Protocol allows ("keys ... could have any value").
import { TID } from '@atproto/common-web';
import { digest } from 'lib0/hash/sha256';
import { isTid, type ItemRow } from '../model';
import { realTitle } from './pick';

/** 2023-01-01T00:00:00Z in microseconds: derived timestamps fall between 2023 and late 2031. */
const EPOCH_MICROS = 1_672_531_200_000_000;

/** A TID from a timestamp in microseconds (2^50 to 2^53, so 11 characters) and a 10-bit clock id. */
export function encodeTid(micros: number, clockId: number): string {
  if (!Number.isSafeInteger(micros) || micros < 32 ** 10)
    throw new RangeError(`TID timestamp ${micros} is outside the range Curio derives`);
  return TID.fromTime(micros, clockId & 1023).toString();
}

/** A TID that is a pure function of `seed`. */
export function derivedTid(seed: string): string {
  const h = digest(new TextEncoder().encode(seed));
  let offset = 0;
  for (let i = 0; i < 6; i++) offset = offset * 256 + (h[i] ?? 0);
  const clockId = (((h[6] ?? 0) << 8) | (h[7] ?? 0)) & 1023;
  return encodeTid(EPOCH_MICROS + offset, clockId);
}

/**
 * The Bluesky record key of one pick's post in one collection. A pick posted again after its post
 * was removed ("Delete and post again") takes the next generation's key: every device that does
 * it from the same document reaches the same key, so two doing it at once still make one post.
 */
export function blueskyPostKey(collectionId: string, itemId: string, generation = 0): string {
  const again = generation > 0 ? `#${generation}` : '';
  return derivedTid(`curio/${collectionId}/bluesky/${itemId}${again}`);
}

/** More removals of one pick than anyone makes by hand: beyond it, something is writing removals in a loop. */
export const MAX_POST_GENERATIONS = 1000;

/** The key a pick's next post takes: that of its first generation whose key was never removed. */
export function nextBlueskyPostKey(
  collectionId: string,
  itemId: string,
  removed: (rkey: string) => boolean,
): string {
  for (let generation = 0; generation < MAX_POST_GENERATIONS; generation++) {
    const key = blueskyPostKey(collectionId, itemId, generation);
    if (!removed(key)) return key;
  }
  throw new RangeError(
    `This link was removed from Bluesky ${MAX_POST_GENERATIONS} times; Curio will not post it again.`,
  );
}

/** The record key of a thread's intro post: fixed by the set of picks the thread carries. */
export function blueskyThreadKey(collectionId: string, itemIds: readonly string[]): string {
  return derivedTid(`curio/${collectionId}/bluesky-thread/${[...itemIds].sort().join(',')}`);
}

/** Lower-case ASCII words joined by dashes, at most `max` characters; '' when nothing is left. */
export function slugify(text: string, max = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '');
}

/**
 * The site entry key of a pick: a readable slug plus the start of the item id, so two picks with
 * the same title never share a file. Fixed in the publication record at first publish.
 */
export function siteEntryKey(item: ItemRow): string {
  const words = slugify(realTitle(item) || item.host || 'link', 50);
  return `${words || 'link'}-${item.id.slice(0, 8)}`;
}

const SITE_KEY = /^[a-z0-9](?:[a-z0-9-]{0,198}[a-z0-9])?$/;

// A co-maintainer may write any key into a publication record, `../../x` included. Where a record
// is read, a key Curio could not have made for that item is replaced by the derived one, the same
// on every device: it can then neither reach outside the site's folder, take over another pick's
// entry or post, nor stop a publish.

/** The site entry key a record fixed, if it is a slug ending in the start of the item's id. */
export function keptSiteKey(item: ItemRow, key: string | undefined): string {
  return key && SITE_KEY.test(key) && key.endsWith(`-${item.id.slice(0, 8)}`)
    ? key
    : siteEntryKey(item);
}

/** The Bluesky record key a record fixed, if it is a TID. */
export function keptBlueskyKey(
  collectionId: string,
  itemId: string,
  key: string | undefined,
): string {
  return key && isTid(key) ? key : blueskyPostKey(collectionId, itemId);
}
