// Reading the conversation under a published post from a real AppView: @atproto/dev-env's
// TestNetwork (PLC, PDS and the bsky AppView, which indexes into a throwaway PostgreSQL cluster).
import { AtpAgent } from '@atproto/api';
import type { TestNetwork } from '@atproto/dev-env';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem, materializeAll } from '../../../shared/collection';
import { pickOf, planBlueskyJob } from '../../../shared/publish';
import { BlueskySession } from './bluesky-session';
import { publishToBluesky } from './bluesky-publisher';
import { readConversations } from './conversation-reader';
import { createAccount, memoryVault, startAppViewNetwork, type TestAccount } from './testing/pds';

let net: TestNetwork;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ net, close } = await startAppViewNetwork('conversation'));
}, 300_000);
afterAll(() => close?.(), 60_000);

async function loggedIn(account: TestAccount): Promise<AtpAgent> {
  const agent = new AtpAgent({ service: net.pds.url });
  await agent.login({ identifier: account.handle, password: account.password });
  return agent;
}

/** Everything the PDS has written, indexed by the AppView (a bound for a loaded machine). */
const indexed = () => net.processAll(120_000);

describe('readConversations against a TestNetwork AppView', () => {
  it('reads likes, reposts, replies and the replies themselves, as plain bounded text', async () => {
    const curator = await createAccount(net, 'curator');
    const [bob, carol] = [await createAccount(net, 'bob'), await createAccount(net, 'carol')];
    const doc = new Y.Doc();
    addItem(
      doc,
      { url: 'https://raft.github.io/', title: 'Raft', note: 'Consensus, understood.' },
      { memberId: 'm1' },
    );
    const plan = planBlueskyJob(
      doc,
      materializeAll(doc, 'm1').map((row) => pickOf(row)),
      { collectionId: 'c1', langs: ['en'], threadIntro: null },
      { memberId: 'm1' },
    );
    if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
    const session = new BlueskySession(
      { serviceUrl: net.pds.url, identifier: curator.handle },
      memoryVault(net.pds.url, curator),
    );
    const posted = await publishToBluesky(plan.job, { session });
    const { uri, cid } = posted.posts[0]! as { uri: string; cid: string };

    const bobs = await loggedIn(bob);
    await bobs.like(uri, cid);
    await bobs.repost(uri, cid);
    const hostile = '<script>alert(1)</script> see javascript:alert(2) and https://example.org/x';
    const reply = await bobs.post({
      text: hostile,
      reply: { root: { uri, cid }, parent: { uri, cid } },
      createdAt: '2026-03-14T10:00:00.000Z',
    });
    const carols = await loggedIn(carol);
    await carols.post({
      text: 'Agreed — the figures are the best part.',
      reply: { root: { uri, cid }, parent: { uri: reply.uri, cid: reply.cid } },
      createdAt: '2026-03-14T11:00:00.000Z',
    });
    await indexed();

    const [result] = await readConversations({ uris: [uri], appViewUrl: net.bsky.url });
    expect(result).toMatchObject({ uri, ok: true });
    if (!result?.ok) return;
    expect(result.conversation).toMatchObject({ uri, likes: 1, reposts: 1, replies: 1 });
    expect(result.conversation.thread).toEqual([
      {
        uri: reply.uri,
        url: `https://bsky.app/profile/${bob.did}/post/${reply.uri.split('/').pop()}`,
        author: { did: bob.did, handle: bob.handle, displayName: '' },
        text: hostile,
        createdAt: Date.parse('2026-03-14T10:00:00.000Z'),
        depth: 1,
      },
      expect.objectContaining({
        author: expect.objectContaining({ handle: carol.handle }),
        text: 'Agreed — the figures are the best part.',
        depth: 2,
      }),
    ]);

    // A post that was deleted says so, and does not hide the others.
    await session.agent.com.atproto.repo.deleteRecord({
      repo: curator.did,
      collection: 'app.bsky.feed.post',
      rkey: uri.split('/').pop()!,
    });
    await indexed();
    const after = await readConversations({
      uris: [uri, reply.uri],
      appViewUrl: net.bsky.url,
    });
    expect(after.map((r) => r.ok)).toEqual([false, true]);
    expect(after[0]).toMatchObject({ ok: false, error: 'the post is no longer on Bluesky' });
  }, 180_000);
});
