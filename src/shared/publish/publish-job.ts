// A job of any kind as the outbox stores and runs it, and the two writes the outbox makes for a
// job as a whole: "publishing" again when it is retried, "failed" when it gives up. Blurbs are
// kept under their own keys, so neither write can lose the words a curator chose; removals are
// kept under theirs, so neither can bring back a removed post.
import type * as Y from 'yjs';
import { isRemovedKey, recordPublication, type Actor } from '../collection';
import type { PublishTarget } from '../model';
import { settleBlueskyJob, type BlueskyJob } from './bluesky-job';
import { settleBlueskyRemoval, type BlueskyRemoval } from './removal-job';
import { settleSitePublish, type SiteJob } from './site-job';

export type PublishJob = BlueskyJob | SiteJob | BlueskyRemoval;

/** The target a job acts on. */
export function jobTarget(job: PublishJob): PublishTarget {
  return job.kind === 'site' ? 'site' : 'bluesky';
}

export function jobItemIds(job: PublishJob): string[] {
  return job.kind === 'site' ? job.entries.map((e) => e.itemId) : job.posts.map((p) => p.itemId);
}

/** Marks a job's picks "publishing" again, with the same keys, before it is run again. */
export function reopenJob(doc: Y.Doc, job: PublishJob, actor: Actor): void {
  // Updates and removals change no pick's state; a post whose key was removed stays removed.
  if (job.kind === 'bluesky-removal' || (job.kind === 'site' && job.action !== 'publish')) return;
  const keys =
    job.kind === 'bluesky'
      ? job.posts
          .filter((p) => !isRemovedKey(doc, p.itemId, p.rkey))
          .map((p) => ({ itemId: p.itemId, key: p.rkey }))
      : job.entries;
  doc.transact(() => {
    for (const { itemId, key } of keys) {
      recordPublication(
        doc,
        itemId,
        { target: job.kind, key, by: job.memberId, at: job.createdAt, state: 'publishing' },
        actor,
      );
    }
  }, actor.origin ?? null);
}

/** Marks a job's picks failed; their keys stay for the next Retry. */
export function settleJobFailure(doc: Y.Doc, job: PublishJob, error: string, actor: Actor): void {
  if (job.kind === 'site') {
    settleSitePublish(doc, job, { ok: false, error }, actor);
    return;
  }
  if (job.kind === 'bluesky-removal') {
    const posts = job.posts.map((p) => ({ ...p, state: 'failed' as const, error }));
    settleBlueskyRemoval(doc, { ok: false, posts, error }, actor);
    return;
  }
  const posts = job.posts.map((p) => ({
    itemId: p.itemId,
    rkey: p.rkey,
    state: 'failed' as const,
    error,
  }));
  settleBlueskyJob(doc, job, { ok: false, thread: null, posts, problems: [], error }, actor);
}
