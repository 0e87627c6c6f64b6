// Removals from Bluesky, kept as add-only flat keys `<itemId>/bluesky/removed/<rkey>` beside the
// publication record. The record says "removed" too, but it is one last-writer-wins value that a
// settle on another device may overwrite concurrently; a key that only ever gets added cannot be
// lost that way. Whatever the record says, a post whose record key is here is never created
// again, and the next post of the pick ("Delete and post again") takes the first key of its
// generation sequence that is not here (see blueskyPostKey).
import type * as Y from 'yjs';
import { z } from 'zod';
import type { PublicationRecord, PublishTarget } from '../model';
import { getPublication, recordPublication } from './mutations';
import type { Actor } from './write';
import { compositeKey, maps } from './schema';

const RemovalSchema = z.object({
  at: z.number().int().nonnegative(),
  by: z.string().min(1).max(64),
});
export type Removal = z.infer<typeof RemovalSchema>;

export function removalKey(itemId: string, rkey: string): string {
  return compositeKey(itemId, `bluesky/removed/${rkey}`);
}

/** Whether the Bluesky post of this pick under this record key was ever removed. */
export function isRemovedKey(doc: Y.Doc, itemId: string, rkey: string): boolean {
  return RemovalSchema.safeParse(maps(doc).publications.get(removalKey(itemId, rkey))).success;
}

/**
 * Marks a pick removed from a target, in one transaction: for Bluesky the record key goes into the
 * removals, and the record (if it names that key, or names none) says "removed".
 */
export function markRemoved(
  doc: Y.Doc,
  itemId: string,
  target: PublishTarget,
  key: string,
  actor: Actor,
): void {
  const at = (actor.now ?? Date.now)();
  const publications = maps(doc).publications as Y.Map<unknown>;
  doc.transact(() => {
    if (target === 'bluesky' && !isRemovedKey(doc, itemId, key))
      publications.set(removalKey(itemId, key), { at, by: actor.memberId } satisfies Removal);
    const record = getPublication(doc, itemId, target);
    if (record && record.key !== key && target === 'bluesky') return;
    // The post's address stays with the record: a deletion that has to be tried again needs it.
    const removed: PublicationRecord = { target, key, by: actor.memberId, at, state: 'removed' };
    if (record?.url) removed.url = record.url;
    if (record?.ref) removed.ref = record.ref;
    recordPublication(doc, itemId, removed, actor);
  }, actor.origin ?? null);
}
