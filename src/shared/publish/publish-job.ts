// A job of either kind as the outbox stores and runs it, and the two writes the outbox makes for a
// job as a whole: "publishing" again when it is retried, "failed" when it gives up. Blurbs are
// kept under their own keys, so neither write can lose the words a curator chose.
import type * as Y from 'yjs';
import { recordPublication, type Actor } from '../collection';
import { settleBlueskyJob, type BlueskyJob } from './bluesky-job';
import { settleSitePublish, type SiteJob } from './site-job';

export type PublishJob = BlueskyJob | SiteJob;

export function jobItemIds(job: PublishJob): string[] {
  return job.kind === 'bluesky' ? job.posts.map((p) => p.itemId) : job.entries.map((e) => e.itemId);
}

function jobKeys(job: PublishJob): Array<{ itemId: string; key: string }> {
  return job.kind === 'bluesky'
    ? job.posts.map((p) => ({ itemId: p.itemId, key: p.rkey }))
    : job.entries;
}

/** Marks a job's picks "publishing" again, with the same keys, before it is run again. */
export function reopenJob(doc: Y.Doc, job: PublishJob, actor: Actor): void {
  doc.transact(() => {
    for (const { itemId, key } of jobKeys(job)) {
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
  const posts = job.posts.map((p) => ({
    itemId: p.itemId,
    rkey: p.rkey,
    state: 'failed' as const,
    error,
  }));
  settleBlueskyJob(doc, job, { ok: false, thread: null, posts, problems: [], error }, actor);
}
