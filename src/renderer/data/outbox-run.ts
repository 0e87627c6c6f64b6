// One attempt at one job: hand it to the main process and write what came back into the shared
// document. Posts that made it are settled at once; the rest stay "publishing" while another try
// is due, and are settled "failed" only by the last one. Posts whose keys were removed meanwhile
// are never sent, and one that was made while its removal was on the way is reported, so the
// outbox deletes it.
import type * as Y from 'yjs';
import type { Actor } from '../../shared/collection';
import { isRemovedKey } from '../../shared/collection';
import {
  settleBlueskyJob,
  settleBlueskyRemoval,
  settleSitePublish,
  withoutRemovedPosts,
  type BlueskyJob,
  type BlueskyRemoval,
  type PickedLink,
  type PublishSettings,
  type PublishingApi,
  type SiteJob,
} from '../../shared/publish';
import type { OutboxJob } from './outbox-jobs';

/** A post this device made; `removed` when its key was removed while it was being made. */
export interface MadePost {
  itemId: string;
  rkey: string;
  uri: string | null;
  removed: boolean;
}

export type Attempt =
  | { ok: true; made?: MadePost[] }
  | {
      ok: false;
      error: string;
      /** A second try cannot help: the job waits for the curator. */
      permanent: boolean;
      /** The picks' records already say how it ended. */
      settled: boolean;
      made?: MadePost[];
    };

/** Errors a second attempt cannot fix: the job waits for the curator instead of backing off. */
const PERMANENT_ERRORS = new Set([
  'InvalidArguments',
  'NotSupported',
  'UnknownMethod',
  'VaultError',
  'UnsafeSitePath',
]);

export interface AttemptContext {
  doc: Y.Doc;
  actor: Actor;
  api: Pick<PublishingApi, 'publishBluesky' | 'publishSite' | 'removeFromBluesky'>;
  /** Read fresh for each attempt: the curator may have changed them meanwhile. */
  settings: () => Promise<PublishSettings>;
  /** Whether this is the job's last try (a failure then settles its picks "failed"). */
  last: boolean;
  /** Everything the site build is made of, with this job's picks in it. */
  sitePicks: (job: SiteJob) => PickedLink[];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function attemptJob(job: OutboxJob, context: AttemptContext): Promise<Attempt> {
  try {
    const settings = await context.settings();
    switch (job.kind) {
      case 'bluesky':
        return await attemptBluesky(job, settings, context);
      case 'bluesky-removal':
        return await attemptRemoval(job, settings, context);
      case 'site':
        return await attemptSite(job, settings, context);
    }
  } catch (error) {
    const permanent = error instanceof Error && PERMANENT_ERRORS.has(error.name);
    return { ok: false, error: messageOf(error), permanent, settled: false };
  }
}

async function attemptBluesky(
  planned: BlueskyJob,
  settings: PublishSettings,
  context: AttemptContext,
): Promise<Attempt> {
  const { doc, actor } = context;
  if (!settings.bluesky) return blueskyNotSetUp();
  const job = withoutRemovedPosts(doc, planned);
  if (!job) return { ok: true };
  const result = await context.api.publishBluesky(job, settings.bluesky);
  if (result.problems.length) {
    const error = result.problems.map((p) => `${p.title}: ${p.problems.join('; ')}`).join(' · ');
    return { ok: false, permanent: true, settled: false, error };
  }
  const error =
    result.error ?? result.posts.find((p) => p.state === 'failed')?.error ?? 'publishing failed';
  const final = result.ok || context.last;
  const posts = final ? result.posts : result.posts.filter((p) => p.state === 'published');
  settleBlueskyJob(doc, job, { ...result, posts }, actor);
  const made = result.posts.flatMap((p) =>
    p.state === 'published'
      ? [
          {
            itemId: p.itemId,
            rkey: p.rkey,
            uri: p.uri ?? null,
            removed: isRemovedKey(doc, p.itemId, p.rkey),
          },
        ]
      : [],
  );
  return result.ok
    ? { ok: true, made }
    : { ok: false, error, permanent: false, settled: final, made };
}

function blueskyNotSetUp(): Attempt {
  const error = 'Bluesky is not set up on this device: add a handle in Settings › Bluesky.';
  return { ok: false, permanent: true, settled: false, error };
}

async function attemptRemoval(
  job: BlueskyRemoval,
  settings: PublishSettings,
  context: AttemptContext,
): Promise<Attempt> {
  if (!settings.bluesky) return blueskyNotSetUp();
  const result = await context.api.removeFromBluesky(job, settings.bluesky);
  const final = result.ok || context.last;
  const posts = final ? result.posts : result.posts.filter((p) => p.state === 'deleted');
  settleBlueskyRemoval(context.doc, { ...result, posts }, context.actor);
  if (result.ok) return { ok: true };
  const error = result.error ?? 'deleting the post failed';
  return { ok: false, error, permanent: false, settled: final };
}

async function attemptSite(
  job: SiteJob,
  settings: PublishSettings,
  context: AttemptContext,
): Promise<Attempt> {
  const { doc, actor } = context;
  if (!settings.site) {
    const error = 'The site is not set up on this device: add a git remote in Settings › Site.';
    return { ok: false, permanent: true, settled: false, error };
  }
  const result = await context.api.publishSite(context.sitePicks(job), settings.site);
  settleSitePublish(doc, job, { ok: true, result, siteUrl: settings.site.baseUrl }, actor);
  return { ok: true };
}
