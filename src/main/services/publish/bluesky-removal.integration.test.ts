// Taking picks down from a real local PDS, with two devices' documents: a removal deletes the
// record, and neither a retry nor another device's outbox nor a press of Publish ever posts it
// again; "Delete and post again" on two devices at once still makes one new post.
import type { AppBskyFeedPost } from '@atproto/api';
import type { TestNetworkNoAppView } from '@atproto/dev-env';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem, getPublication, isRemovedKey, materializeAll } from '../../../shared/collection';
import {
  blueskyPostKey,
  pickOf,
  planBlueskyJob,
  planBlueskyRemoval,
  planRepost,
  settleBlueskyJob,
  settleBlueskyRemoval,
  withoutRemovedPosts,
  type BlueskyJob,
} from '../../../shared/publish';
import { BlueskySession } from './bluesky-session';
import { publishToBluesky } from './bluesky-publisher';
import { removeFromBluesky } from './bluesky-removal';
import { createAccount, listPosts, memoryVault, startPds, type TestAccount } from './testing/pds';

let net: TestNetworkNoAppView;
beforeAll(async () => {
  net = await startPds();
}, 60_000);
afterAll(async () => {
  await net?.close();
});

const fast = { baseDelayMs: 10, maxDelayMs: 50 };
function sessionFor(account: TestAccount) {
  return new BlueskySession(
    { serviceUrl: net.pds.url, identifier: account.handle },
    memoryVault(net.pds.url, account),
    { retry: fast, requestTimeoutMs: 10_000 },
  );
}

/** Two devices of one collection: `sync` delivers each one's changes to the other. */
function twoDevices() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  };
  return { a, b, sync };
}

const ana = { memberId: 'ana', now: () => 1_000 };
const ben = { memberId: 'ben', now: () => 2_000 };

function plan(doc: Y.Doc, actor: typeof ana, again = false): BlueskyJob | null {
  const result = planBlueskyJob(
    doc,
    materializeAll(doc, actor.memberId).map((row) => pickOf(row)),
    { collectionId: 'c1', langs: ['en'], threadIntro: null, again },
    actor,
  );
  return result.ok ? result.job : null;
}

const texts = async (did: string) =>
  (await listPosts(net, did)).map((r) => [
    r.uri.split('/').pop(),
    (r.value as AppBskyFeedPost.Record).text,
  ]);

describe('removing picks from Bluesky on a local PDS', () => {
  it('deletes the record, and no retry, other device or press of Publish posts it again', async () => {
    const account = await createAccount(net, 'remover');
    const { a, b, sync } = twoDevices();
    addItem(
      a,
      { url: 'https://raft.github.io/', title: 'Raft', note: 'Consensus, understood.' },
      ana,
    );
    const job = plan(a, ana)!;
    // Ben's device holds the same job (it pressed Publish too, or is about to retry it).
    sync();
    const bensJob = structuredClone(job);

    const posted = await publishToBluesky(job, { session: sessionFor(account) });
    settleBlueskyJob(a, job, posted, ana);
    expect(await texts(account.did)).toEqual([[job.posts[0]!.rkey, 'Consensus, understood.']]);
    sync();

    const itemId = job.posts[0]!.itemId;
    const removal = planBlueskyRemoval(a, [itemId], { collectionId: 'c1', now: 3_000 }, ana)!;
    expect(removal.posts).toEqual([
      { itemId, rkey: job.posts[0]!.rkey, uri: posted.posts[0]!.uri },
    ]);
    expect(getPublication(a, itemId, 'bluesky')).toMatchObject({ state: 'removed' });
    const removed = await removeFromBluesky(removal, { session: sessionFor(account) });
    expect(removed).toEqual({
      ok: true,
      posts: [{ itemId, rkey: job.posts[0]!.rkey, state: 'deleted' }],
    });
    settleBlueskyRemoval(a, removed, ana);
    expect(await listPosts(net, account.did)).toEqual([]);
    // Deleting again (a retry after a lost answer) is the same outcome, not an error.
    expect((await removeFromBluesky(removal, { session: sessionFor(account) })).ok).toBe(true);

    // Ben's device learns of the removal: his retry sends nothing, his Publish plans nothing.
    sync();
    expect(isRemovedKey(b, itemId, job.posts[0]!.rkey)).toBe(true);
    expect(withoutRemovedPosts(b, bensJob)).toBeNull();
    expect(plan(b, ben)).toBeNull();
    // Even a stale settle from Ben's earlier attempt cannot bring the record back.
    settleBlueskyJob(b, bensJob, posted, ben);
    expect(getPublication(b, itemId, 'bluesky')?.state).toBe('removed');
    expect(await listPosts(net, account.did)).toEqual([]);
  }, 60_000);

  it('"Delete and post again" on two devices at once makes one new post under the next key', async () => {
    const account = await createAccount(net, 'twice');
    const { a, b, sync } = twoDevices();
    addItem(a, { url: 'https://crdt.tech/', title: 'CRDTs', note: 'First words.' }, ana);
    const first = plan(a, ana)!;
    settleBlueskyJob(
      a,
      first,
      await publishToBluesky(first, { session: sessionFor(account) }),
      ana,
    );
    sync();

    const itemId = first.posts[0]!.itemId;
    const words = { [itemId]: 'Better words.' };
    const again = (doc: Y.Doc, actor: typeof ana) => {
      const row = materializeAll(doc, actor.memberId)[0]!;
      return planRepost(
        doc,
        [pickOf(row, words[itemId])],
        { collectionId: 'c1', langs: ['en'], now: actor.now() },
        actor,
      );
    };
    // Both press it before either hears of the other.
    const onA = again(a, ana);
    const onB = again(b, ben);
    expect(onA.job?.posts[0]?.rkey).toBe(blueskyPostKey('c1', itemId, 1));
    expect(onB.job?.posts[0]?.rkey).toBe(onA.job?.posts[0]?.rkey);

    const [removedA, removedB] = await Promise.all([
      removeFromBluesky(onA.removal!, { session: sessionFor(account) }),
      removeFromBluesky(onB.removal!, { session: sessionFor(account) }),
    ]);
    expect([removedA.ok, removedB.ok]).toEqual([true, true]);
    const [postedA, postedB] = await Promise.all([
      publishToBluesky(onA.job!, { session: sessionFor(account) }),
      publishToBluesky(onB.job!, { session: sessionFor(account) }),
    ]);
    expect([postedA.ok, postedB.ok]).toEqual([true, true]);
    expect(await texts(account.did)).toEqual([[blueskyPostKey('c1', itemId, 1), 'Better words.']]);

    settleBlueskyJob(a, onA.job!, postedA, ana);
    settleBlueskyJob(b, onB.job!, postedB, ben);
    sync();
    for (const doc of [a, b])
      expect(getPublication(doc, itemId, 'bluesky')).toMatchObject({
        state: 'published',
        key: blueskyPostKey('c1', itemId, 1),
      });
    // The first post's key stays removed: retrying the very first job posts nothing.
    expect(withoutRemovedPosts(a, first)).toBeNull();
  }, 60_000);

  it('will not delete a post another account made, and says whose it is', async () => {
    const owner = await createAccount(net, 'owner');
    const other = await createAccount(net, 'other');
    const doc = new Y.Doc();
    addItem(doc, { url: 'https://a.example/mine', title: 'Mine', note: 'Mine.' }, ana);
    const job = plan(doc, ana)!;
    settleBlueskyJob(doc, job, await publishToBluesky(job, { session: sessionFor(owner) }), ana);
    const removal = planBlueskyRemoval(
      doc,
      [job.posts[0]!.itemId],
      { collectionId: 'c1', now: 5 },
      ana,
    )!;
    const result = await removeFromBluesky(removal, { session: sessionFor(other) });
    expect(result.ok).toBe(false);
    expect(result.posts[0]?.error).toContain(`the post was made by ${owner.did}`);
    settleBlueskyRemoval(doc, result, ana);
    expect(getPublication(doc, job.posts[0]!.itemId, 'bluesky')).toMatchObject({
      state: 'removed',
      error: expect.stringContaining('the post is still on Bluesky'),
    });
    expect(await listPosts(net, owner.did)).toHaveLength(1);
  }, 60_000);
});
