// publishToBluesky: runs one outbox job against the account's PDS. Each post is written with
// its fixed record key, so a retry after a lost response, or a second device publishing the same
// pick, finds the existing record instead of making another: a failed create is always followed
// by getRecord, and a record that is there counts as published.
import { XRPCError, type AppBskyFeedPost, type BlobRef } from '@atproto/api';
import {
  BlueskyJobSchema,
  buildBlueskyPost,
  postProblems,
  postRecord,
  resolveMentions,
  type BlueskyJob,
  type BlueskyJobResult,
  type BlueskyPostDraft,
  type ItemProblem,
  type PostOutcome,
  type StrongRef,
} from '../../../shared/publish';
import type { BlueskySession } from './bluesky-session';
import {
  fetchImageBytes,
  makeThumbnail,
  ThumbnailError,
  THUMB_LIMITS,
  type Thumbnail,
} from './thumbnail';

const POST_COLLECTION = 'app.bsky.feed.post';

export interface BlueskyPublishDeps {
  session: BlueskySession;
  /** Downloads a preview image; defaults to safeFetch. */
  fetchImage?: (url: string) => Promise<Uint8Array>;
  thumbLimits?: { maxBytes: number; maxDimension: number };
  /** Progress and diagnostics; never receives secrets. */
  log?: (message: string) => void;
}

interface PreparedPost {
  itemId: string | null;
  rkey: string;
  draft: BlueskyPostDraft;
  thumb: Thumbnail | null;
}

export function postUrl(did: string, rkey: string): string {
  return `https://bsky.app/profile/${did}/post/${rkey}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Builds every post and its thumbnail before anything is sent; returns the problems found. */
async function prepare(
  job: BlueskyJob,
  deps: BlueskyPublishDeps,
): Promise<{ posts: PreparedPost[]; problems: ItemProblem[] }> {
  const problems: ItemProblem[] = [];
  const posts: PreparedPost[] = [];
  const fetchImage = deps.fetchImage ?? fetchImageBytes;
  if (job.thread) {
    const draft = buildBlueskyPost({ text: job.thread.text, card: null, langs: job.langs });
    const found = postProblems(draft);
    if (found.length) problems.push({ itemId: '', title: 'Thread intro', problems: found });
    posts.push({ itemId: null, rkey: job.thread.rkey, draft, thumb: null });
  }
  for (const post of job.posts) {
    const draft = buildBlueskyPost({ text: post.text, card: post.card, langs: job.langs });
    const found = postProblems(draft);
    let thumb: Thumbnail | null = null;
    if (post.card.imageUrl) {
      try {
        thumb = await makeThumbnail(
          await fetchImage(post.card.imageUrl),
          deps.thumbLimits ?? THUMB_LIMITS,
        );
      } catch (error) {
        // A card without a picture is still a good post; an image that cannot be made small enough is the curator's call.
        if (error instanceof ThumbnailError && /larger than/.test(error.message))
          found.push(error.message);
        else deps.log?.(`No thumbnail for ${post.card.uri}: ${message(error)}`);
      }
    }
    if (found.length)
      problems.push({
        itemId: post.itemId,
        title: post.card.title || post.card.uri,
        problems: found,
      });
    posts.push({ itemId: post.itemId, rkey: post.rkey, draft, thumb });
  }
  return { posts, problems };
}

async function existingPost(
  session: BlueskySession,
  rkey: string,
): Promise<{ ref: StrongRef; value: AppBskyFeedPost.Record } | null> {
  try {
    const res = await session.agent.com.atproto.repo.getRecord({
      repo: session.did,
      collection: POST_COLLECTION,
      rkey,
    });
    if (!res.data.cid) return null;
    return {
      ref: { uri: res.data.uri, cid: res.data.cid },
      value: res.data.value as AppBskyFeedPost.Record,
    };
  } catch (error) {
    if (
      error instanceof XRPCError &&
      error.status === 400 &&
      /RecordNotFound|Could not locate record/i.test(`${error.error} ${error.message}`)
    )
      return null;
    throw error;
  }
}

function samePost(value: AppBskyFeedPost.Record, post: PreparedPost): boolean {
  const embed = value.embed as { external?: { uri?: string } } | undefined;
  return post.draft.card ? embed?.external?.uri === post.draft.card.uri : !embed;
}

/** Creates the post under its key, or finds that it is already there. */
async function ensurePost(
  session: BlueskySession,
  post: PreparedPost,
  record: (thumb: BlobRef | null) => Promise<AppBskyFeedPost.Record>,
): Promise<StrongRef> {
  let thumb: BlobRef | null = null;
  return session.call(`Posting ${post.draft.card?.uri ?? 'the thread intro'}`, async () => {
    const before = await existingPost(session, post.rkey);
    if (before) return checked(before, post);
    if (post.thumb && !thumb) {
      const bytes = post.thumb.bytes;
      thumb = (await session.agent.uploadBlob(bytes, { encoding: post.thumb.mimeType })).data.blob;
    }
    try {
      const res = await session.agent.com.atproto.repo.createRecord({
        repo: session.did,
        collection: POST_COLLECTION,
        rkey: post.rkey,
        record: await record(thumb),
      });
      return { uri: res.data.uri, cid: res.data.cid };
    } catch (error) {
      // The create may have been committed even though we saw an error (lost response, timeout),
      // or another device may have won the race: what is stored under the key decides.
      const after = await existingPost(session, post.rkey).catch(() => null);
      if (after) return checked(after, post);
      throw error;
    }
  });
}

function checked(
  found: { ref: StrongRef; value: AppBskyFeedPost.Record },
  post: PreparedPost,
): StrongRef {
  if (!samePost(found.value, post)) {
    throw new Error(
      `The record key ${post.rkey} already holds a different post (${found.ref.uri}); nothing was overwritten.`,
    );
  }
  return found.ref;
}

/**
 * Publishes a job: one post per pick, or an intro post with one reply per pick. Returns per-post
 * outcomes; posts that failed keep their keys, so running the same job again is always safe.
 */
export async function publishToBluesky(
  rawJob: BlueskyJob,
  deps: BlueskyPublishDeps,
): Promise<BlueskyJobResult> {
  const job = BlueskyJobSchema.parse(rawJob);
  const { session } = deps;
  const { posts, problems } = await prepare(job, deps);
  if (problems.length) return { ok: false, thread: null, posts: [], problems };

  const outcomes: PostOutcome[] = [];
  const fail = (from: number, error: string) => {
    for (const p of posts.slice(from))
      if (p.itemId) outcomes.push({ itemId: p.itemId, rkey: p.rkey, state: 'failed', error });
  };
  try {
    await session.ensureLoggedIn();
  } catch (error) {
    fail(0, message(error));
    return { ok: false, thread: null, posts: outcomes, problems: [], error: message(error) };
  }

  const resolve = async (handle: string) => {
    try {
      return (await session.agent.resolveHandle({ handle })).data.did;
    } catch {
      return null;
    }
  };
  let root: StrongRef | null = null;
  let parent: StrongRef | null = null;
  for (const [index, post] of posts.entries()) {
    try {
      const facets = await resolveMentions(post.draft, resolve);
      const createdAt = new Date(job.createdAt + index).toISOString();
      const reply: { root: StrongRef; parent: StrongRef } | null =
        root && parent ? { root, parent } : null;
      const ref = await ensurePost(session, post, async (thumb) =>
        postRecord(post.draft, { facets, thumb, reply, createdAt }),
      );
      if (job.thread) {
        root ??= ref;
        parent = ref;
      }
      if (post.itemId)
        outcomes.push({
          itemId: post.itemId,
          rkey: post.rkey,
          state: 'published',
          uri: ref.uri,
          cid: ref.cid,
          url: postUrl(session.did, post.rkey),
        });
      deps.log?.(`Published ${ref.uri}`);
    } catch (error) {
      if (job.thread || (error instanceof Error && error.name === 'RateLimited')) {
        // A thread cannot skip a post (replies need their parent); a rate limit stops everything.
        fail(index, message(error));
        return { ok: false, thread: root, posts: outcomes, problems: [], error: message(error) };
      }
      if (post.itemId)
        outcomes.push({
          itemId: post.itemId,
          rkey: post.rkey,
          state: 'failed',
          error: message(error),
        });
    }
  }
  return {
    ok: outcomes.every((o) => o.state === 'published'),
    thread: root,
    posts: outcomes,
    problems: [],
  };
}
