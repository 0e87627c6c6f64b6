// Taking picks down. "Remove from Bluesky" marks each pick removed in the shared document (its
// record key joins the removals, so no device's outbox or retry ever creates that post again) and
// returns the job that deletes the posts; "Delete and post again" does the same, then plans a new
// post under the pick's next key. Bluesky posts cannot be edited, so that is the only way to
// change one.
import type * as Y from 'yjs';
import { z } from 'zod';
import {
  getPublication,
  isRemovedKey,
  markRemoved,
  recordPublication,
  type Actor,
} from '../collection';
import { TID_PATTERN, type PublicationRecord } from '../model';
import {
  planBlueskyJob,
  validatePicks,
  type BlueskyJob,
  type BlueskyPlanOptions,
  type ItemProblem,
} from './bluesky-job';
import type { PickedLink } from './pick';
import { keptBlueskyKey } from './record-key';

const AT_POST_URI =
  /^at:\/\/(did:[a-z]+:[a-zA-Z0-9._:%-]{1,2000})\/app\.bsky\.feed\.post\/([^/]+)$/;

export const BlueskyRemovalSchema = z.object({
  kind: z.literal('bluesky-removal'),
  collectionId: z.string().min(1).max(200),
  memberId: z.string().min(1).max(64),
  createdAt: z.number().int().nonnegative(),
  posts: z
    .array(
      z.object({
        itemId: z.string().min(1).max(64),
        rkey: z.string().regex(TID_PATTERN, 'must be a TID'),
        /** The post's AT URI when the record knew it: it names the account that made the post. */
        uri: z.string().regex(AT_POST_URI).max(2100).nullable(),
      }),
    )
    .min(1)
    .max(100),
});
export type BlueskyRemoval = z.infer<typeof BlueskyRemovalSchema>;

/** The account (DID) an AT URI of a post belongs to, or null when it is not one. */
export function postRepo(uri: string): string | null {
  return AT_POST_URI.exec(uri)?.[1] ?? null;
}

export interface RemovalOutcome {
  itemId: string;
  rkey: string;
  /** Deleted now, or there was nothing under the key (never made, or deleted before). */
  state: 'deleted' | 'failed';
  error?: string;
}

export interface BlueskyRemovalResult {
  ok: boolean;
  posts: RemovalOutcome[];
  error?: string;
}

interface RemovalOptions {
  collectionId: string;
  now: number;
}

/** Whether a pick has a Bluesky post that "Remove from Bluesky" would take down (or try to). */
export function hasBlueskyPost(record: PublicationRecord | undefined | null): boolean {
  return record !== undefined && record !== null && record.state !== 'removed';
}

/**
 * Marks the picks removed from Bluesky and returns the job that deletes their posts, or null when
 * none of them has one. Picks still on their way count: the key is removed before the post is made.
 */
export function planBlueskyRemoval(
  doc: Y.Doc,
  itemIds: readonly string[],
  options: RemovalOptions,
  actor: Actor,
): BlueskyRemoval | null {
  const posts: BlueskyRemoval['posts'] = [];
  doc.transact(() => {
    for (const itemId of itemIds) {
      const record = getPublication(doc, itemId, 'bluesky');
      if (!hasBlueskyPost(record)) continue;
      const rkey = keptBlueskyKey(options.collectionId, itemId, record?.key);
      const uri = record?.ref && postRepo(record.ref) ? record.ref : null;
      markRemoved(doc, itemId, 'bluesky', rkey, actor);
      posts.push({ itemId, rkey, uri });
    }
  }, actor.origin ?? null);
  if (!posts.length) return null;
  return BlueskyRemovalSchema.parse({
    kind: 'bluesky-removal',
    collectionId: options.collectionId,
    memberId: actor.memberId,
    createdAt: options.now,
    posts,
  });
}

export interface RepostPlan {
  removal: BlueskyRemoval | null;
  job: BlueskyJob | null;
  problems: ItemProblem[];
}

/**
 * "Delete and post again": removes each pick's post and plans a new one under the next key, with
 * the words given now. Nothing is written when the new posts would be refused.
 */
export function planRepost(
  doc: Y.Doc,
  picks: readonly PickedLink[],
  options: Omit<BlueskyPlanOptions, 'again' | 'threadIntro'> & { now: number },
  actor: Actor,
): RepostPlan {
  // Checked first: a refused post must leave the old one up.
  const problems = validatePicks(picks, { langs: options.langs, threadIntro: null });
  if (problems.length) return { removal: null, job: null, problems };
  let plan: RepostPlan = { removal: null, job: null, problems: [] };
  doc.transact(() => {
    const removal = planBlueskyRemoval(
      doc,
      picks.map((p) => p.item.id),
      options,
      actor,
    );
    const next = planBlueskyJob(doc, picks, { ...options, threadIntro: null, again: true }, actor);
    plan = { removal, job: next.ok ? next.job : null, problems: next.ok ? [] : next.problems };
  }, actor.origin ?? null);
  return plan;
}

/** Posts of a job whose keys were removed meanwhile are left out: a removal is never undone by a retry. */
export function withoutRemovedPosts(doc: Y.Doc, job: BlueskyJob): BlueskyJob | null {
  const posts = job.posts.filter((p) => !isRemovedKey(doc, p.itemId, p.rkey));
  if (posts.length === job.posts.length) return job;
  return posts.length ? { ...job, posts } : null;
}

/**
 * Writes how a removal went: the record says "removed", with the error while a delete is owed.
 * A record that names a removed key yet says otherwise (a settle from another device won a
 * concurrent write over the removal) is put right here too.
 */
export function settleBlueskyRemoval(doc: Y.Doc, result: BlueskyRemovalResult, actor: Actor): void {
  doc.transact(() => {
    for (const outcome of result.posts) {
      const record = getPublication(doc, outcome.itemId, 'bluesky');
      if (!record || record.key !== outcome.rkey) continue;
      if (record.state !== 'removed' && !isRemovedKey(doc, outcome.itemId, outcome.rkey)) continue;
      const next: PublicationRecord = { ...record, state: 'removed' };
      delete next.error;
      if (outcome.state === 'failed')
        next.error = `the post is still on Bluesky: ${outcome.error ?? 'deleting it failed'}`.slice(
          0,
          2000,
        );
      recordPublication(doc, outcome.itemId, next, actor);
    }
  }, actor.origin ?? null);
}

/**
 * Puts right the records of these picks that name a removed Bluesky key yet say otherwise: a
 * concurrent write from another device (a settle, a retry) can win over the "removed" record,
 * never over the removal key. Returns the picks it put right.
 */
export function repairRemovedRecords(
  doc: Y.Doc,
  itemIds: Iterable<string>,
  actor: Actor,
): string[] {
  const repaired: string[] = [];
  doc.transact(() => {
    for (const itemId of new Set(itemIds)) {
      const record = getPublication(doc, itemId, 'bluesky');
      if (!record || record.state === 'removed' || !isRemovedKey(doc, itemId, record.key)) continue;
      const next: PublicationRecord = { ...record, state: 'removed' };
      delete next.error;
      recordPublication(doc, itemId, next, actor);
      repaired.push(itemId);
    }
  }, actor.origin ?? null);
  return repaired;
}
