// removeFromBluesky: deletes the posts of a removal job with deleteRecord. Deleting is safe to
// repeat (a record that is not there is simply not there), so a retry after a lost answer, or two
// devices removing the same pick, end the same way. A post made by another account is not this
// account's to delete, and says whose it is.
import {
  BlueskyRemovalSchema,
  postRepo,
  type BlueskyRemoval,
  type BlueskyRemovalResult,
  type RemovalOutcome,
} from '../../../shared/publish';
import type { BlueskySession } from './bluesky-session';

const POST_COLLECTION = 'app.bsky.feed.post';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function removeFromBluesky(
  rawJob: BlueskyRemoval,
  deps: { session: BlueskySession; log?: (message: string) => void },
): Promise<BlueskyRemovalResult> {
  const job = BlueskyRemovalSchema.parse(rawJob);
  const { session } = deps;
  try {
    await session.ensureLoggedIn();
  } catch (error) {
    const posts = job.posts.map((p) => ({
      itemId: p.itemId,
      rkey: p.rkey,
      state: 'failed' as const,
      error: message(error),
    }));
    return { ok: false, posts, error: message(error) };
  }
  const outcomes: RemovalOutcome[] = [];
  for (const post of job.posts) {
    const repo = post.uri ? postRepo(post.uri) : session.did;
    if (repo !== session.did) {
      outcomes.push({
        itemId: post.itemId,
        rkey: post.rkey,
        state: 'failed',
        error: `the post was made by ${repo}, not by the account logged in here (${session.did}); only that account can delete it`,
      });
      continue;
    }
    try {
      await session.call(`Deleting ${post.uri ?? post.rkey}`, () =>
        session.agent.com.atproto.repo.deleteRecord({
          repo: session.did,
          collection: POST_COLLECTION,
          rkey: post.rkey,
        }),
      );
      outcomes.push({ itemId: post.itemId, rkey: post.rkey, state: 'deleted' });
      deps.log?.(`Deleted at://${session.did}/${POST_COLLECTION}/${post.rkey}`);
    } catch (error) {
      outcomes.push({
        itemId: post.itemId,
        rkey: post.rkey,
        state: 'failed',
        error: message(error),
      });
    }
  }
  const failed = outcomes.find((o) => o.state === 'failed');
  return { ok: !failed, posts: outcomes, ...(failed ? { error: failed.error } : {}) };
}
