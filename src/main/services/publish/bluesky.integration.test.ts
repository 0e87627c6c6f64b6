// Publishing to a real local PDS: what lands in the repository is read back with listRecords.
import type { AppBskyFeedPost } from '@atproto/api';
import { AtpAgent, AppBskyEmbedExternal } from '@atproto/api';
import type { TestNetworkNoAppView } from '@atproto/dev-env';
import sharp from 'sharp';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem, getPublication, materializeAll } from '../../../shared/collection';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  pickOf,
  planBlueskyJob,
  publishingApiArgs,
  settleBlueskyJob,
  vaultNames,
  type BlueskyJob,
} from '../../../shared/publish';
import { FileCredentialVault } from '../vault/file-vault';
import { createPublishingApi } from './publishing-api';
import { BlueskySession } from './bluesky-session';
import { publishToBluesky } from './bluesky-publisher';
import {
  createAccount,
  listPosts,
  memoryVault,
  startImageServer,
  startPds,
  type TestAccount,
} from './testing/pds';

const utf8 = new TextEncoder();
const slice = (text: string, start: number, end: number) =>
  new TextDecoder().decode(utf8.encode(text).slice(start, end));
const fast = { baseDelayMs: 10, maxDelayMs: 50 };

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let net: TestNetworkNoAppView;
let images: Awaited<ReturnType<typeof startImageServer>>;

beforeAll(async () => {
  [net, images] = await Promise.all([startPds(), startImageServer()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([net?.close(), images?.close()]);
});

function sessionFor(account: TestAccount, vault = memoryVault(net.pds.url, account)) {
  return new BlueskySession({ serviceUrl: net.pds.url, identifier: account.handle }, vault, {
    retry: fast,
    requestTimeoutMs: 10_000,
  });
}

function plan(
  doc: Y.Doc,
  options: { threadIntro?: string | null; collectionId?: string } = {},
): BlueskyJob {
  const rows = materializeAll(doc, 'm1').sort((a, b) => a.addedAt - b.addedAt);
  const result = planBlueskyJob(
    doc,
    rows.map((r) => pickOf(r)),
    {
      collectionId: options.collectionId ?? 'c1',
      langs: ['en', 'ja'],
      threadIntro: options.threadIntro ?? null,
    },
    { memberId: 'm1' },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.job;
}

describe('publishToBluesky against a local PDS', () => {
  it('writes posts with byte-exact facets, a link card with a resized thumbnail, and langs', async () => {
    const alice = await createAccount(net, 'alice');
    const bob = await createAccount(net, 'bob');
    const doc = new Y.Doc();
    const actor = { memberId: 'm1', now: () => 1_000 };
    const note = `👩‍💻 読む価値あり — via @${bob.handle} and @ghost.test: https://例え.jp/論文?x=1 🎉 #分散`;
    addItem(
      doc,
      {
        url: 'https://raft.github.io/',
        title: 'Raft 🚣 consensus',
        description: 'Ελληνικά και 日本語',
        image: `${images.url}/big.png`,
        note,
      },
      actor,
    );
    const job = plan(doc);

    const result = await publishToBluesky(job, { session: sessionFor(alice) });
    expect(result).toMatchObject({ ok: true, problems: [] });
    settleBlueskyJob(doc, job, result, actor);
    const itemId = job.posts[0]!.itemId;
    expect(getPublication(doc, itemId, 'bluesky')).toMatchObject({
      state: 'published',
      key: job.posts[0]!.rkey,
      url: `https://bsky.app/profile/${alice.did}/post/${job.posts[0]!.rkey}`,
    });

    const records = await listPosts(net, alice.did);
    expect(records).toHaveLength(1);
    expect(records[0]!.uri).toBe(`at://${alice.did}/app.bsky.feed.post/${job.posts[0]!.rkey}`);
    const post = records[0]!.value as AppBskyFeedPost.Record;
    expect(post.text).toBe(note);
    expect(post.langs).toEqual(['en', 'ja']);
    const features = (post.facets ?? []).map((f) => ({
      text: slice(post.text, f.index.byteStart, f.index.byteEnd),
      feature: f.features[0],
    }));
    expect(features).toEqual([
      {
        text: `@${bob.handle}`,
        feature: { $type: 'app.bsky.richtext.facet#mention', did: bob.did },
      },
      {
        text: 'https://例え.jp/論文?x=1',
        feature: { $type: 'app.bsky.richtext.facet#link', uri: 'https://例え.jp/論文?x=1' },
      },
      { text: '#分散', feature: { $type: 'app.bsky.richtext.facet#tag', tag: '分散' } },
    ]);
    expect(AppBskyEmbedExternal.isMain(post.embed)).toBe(true);
    const external = (post.embed as AppBskyEmbedExternal.Main).external;
    expect(external).toMatchObject({
      uri: 'https://raft.github.io/',
      title: 'Raft 🚣 consensus',
      description: 'Ελληνικά και 日本語',
    });
    expect(external.thumb?.mimeType).toBe('image/jpeg');
    expect(external.thumb?.size).toBeLessThanOrEqual(1_000_000);

    const agent = new AtpAgent({ service: net.pds.url });
    const blob = await agent.com.atproto.sync.getBlob({
      did: alice.did,
      cid: external.thumb!.ref.toString(),
    });
    const meta = await sharp(Buffer.from(blob.data)).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(2000);

    // Publishing the same job again (a retry from another device) adds nothing.
    const again = await publishToBluesky(job, { session: sessionFor(alice) });
    expect(again.posts.map((p) => p.uri)).toEqual(result.posts.map((p) => p.uri));
    expect(await listPosts(net, alice.did)).toHaveLength(1);
  }, 60_000);

  it('publishes a selection as one thread with correct root and parent refs', async () => {
    const carol = await createAccount(net, 'carol');
    const doc = new Y.Doc();
    const actor = { memberId: 'm1' };
    for (const [i, url] of [
      'https://a.example/1',
      'https://a.example/2',
      'https://a.example/3',
    ].entries()) {
      addItem(
        doc,
        {
          url,
          title: `Pick ${i + 1}`,
          note: `Why pick ${i + 1}`,
          image: i === 0 ? `${images.url}/small.jpg` : `${images.url}/missing.png`,
          addedAt: 1000 + i,
        },
        actor,
      );
    }
    const job = plan(doc, { threadIntro: 'This week in distributed systems 🧵' });
    const result = await publishToBluesky(job, { session: sessionFor(carol) });
    expect(result.ok).toBe(true);

    const records = await listPosts(net, carol.did);
    expect(records).toHaveLength(4);
    const byUri = new Map(records.map((r) => [r.uri, r]));
    const intro = byUri.get(`at://${carol.did}/app.bsky.feed.post/${job.thread!.rkey}`)!;
    expect((intro.value as AppBskyFeedPost.Record).reply).toBeUndefined();
    let parent = { uri: intro.uri, cid: intro.cid };
    for (const post of job.posts) {
      const record = byUri.get(`at://${carol.did}/app.bsky.feed.post/${post.rkey}`)!;
      const value = record.value as AppBskyFeedPost.Record;
      expect(value.text).toBe(post.text);
      expect(value.reply).toEqual({ root: { uri: intro.uri, cid: intro.cid }, parent });
      parent = { uri: record.uri, cid: record.cid };
    }
    // The unreachable image leaves a card without a thumbnail rather than failing the post.
    const third = byUri.get(`at://${carol.did}/app.bsky.feed.post/${job.posts[2]!.rkey}`)!
      .value as AppBskyFeedPost.Record;
    expect((third.embed as AppBskyEmbedExternal.Main).external.thumb).toBeUndefined();
  }, 60_000);

  it('returns per-item problems and sends nothing when a post cannot be published', async () => {
    const dave = await createAccount(net, 'dave');
    const doc = new Y.Doc();
    addItem(
      doc,
      { url: 'https://a.example/long', title: 'Long', note: 'x'.repeat(200) },
      { memberId: 'm1' },
    );
    addItem(
      doc,
      { url: 'https://a.example/img', title: 'Image', image: `${images.url}/big.png` },
      { memberId: 'm1' },
    );
    const job = plan(doc);
    job.posts[0]!.text = '🎉'.repeat(301);
    const result = await publishToBluesky(job, {
      session: sessionFor(dave),
      thumbLimits: { maxBytes: 100, maxDimension: 2000 },
    });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.problems)).toEqual([
      ['the post text is 301 characters long; Bluesky allows 300'],
      ['the preview image is still larger than 100 bytes after resizing; choose another image'],
    ]);
    expect(await listPosts(net, dave.did)).toHaveLength(0);
  }, 60_000);

  it('logs in again when the session has expired, and says so when the password is wrong', async () => {
    const erin = await createAccount(net, 'erin');
    const session = sessionFor(erin);
    await session.ensureLoggedIn();
    const stale = session.agent.session!;
    session.agent.sessionManager.session = {
      ...stale,
      accessJwt: 'expired.token.x',
      refreshJwt: 'expired.token.y',
    };
    const doc = new Y.Doc();
    addItem(doc, { url: 'https://a.example/expiry', title: 'Expiry' }, { memberId: 'm1' });
    const result = await publishToBluesky(plan(doc), { session });
    expect(result.ok).toBe(true);
    expect(session.agent.session?.accessJwt).not.toBe('expired.token.x');
    expect(await listPosts(net, erin.did)).toHaveLength(1);

    const vault = memoryVault(net.pds.url, { ...erin, password: 'wrong-password' });
    const doc2 = new Y.Doc();
    addItem(doc2, { url: 'https://a.example/refused', title: 'Refused' }, { memberId: 'm1' });
    const refused = await publishToBluesky(plan(doc2), { session: sessionFor(erin, vault) });
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(
      /refused the login for erin\d+\.test .*check the handle and app password/,
    );
    expect(refused.error).not.toContain('wrong-password');
  }, 60_000);

  it('serves the renderer through PublishingApi: the password is checked before it is kept', async () => {
    const frank = await createAccount(net, 'frank');
    const dir = await mkdtemp(join(tmpdir(), 'curio-pubapi-'));
    try {
      const vault = new FileCredentialVault(dir);
      const api = createPublishingApi({
        vault,
        credentialStorage: 'private-file',
        cacheDir: join(dir, 'cache'),
        session: { retry: fast },
      });
      expect(await api.credentialStorage()).toBe('private-file');
      const account = { serviceUrl: net.pds.url, identifier: frank.handle };
      // Offline: the settings screen learns that nobody answered, not that the password is wrong.
      const closed = await closedPort();
      const unreachable = await api
        .saveBlueskyPassword({ ...account, serviceUrl: `http://127.0.0.1:${closed}` }, 'x')
        .catch((error: unknown) => error);
      expect(unreachable).toMatchObject({
        name: 'Unreachable',
        message: `Can't reach 127.0.0.1:${closed} — check your connection.`,
      });
      await expect(api.saveBlueskyPassword(account, 'not-it')).rejects.toThrow(/refused the login/);
      expect(await api.storedCredentials()).toEqual([]);
      await expect(api.checkBluesky(account)).rejects.toThrow(/No app password is stored/);
      expect(await api.saveBlueskyPassword(account, frank.password)).toEqual({
        did: frank.did,
        handle: frank.handle,
      });
      expect(await api.storedCredentials()).toEqual([
        vaultNames.blueskyPassword(net.pds.url, frank.handle),
      ]);
      // "Test connection" logs in with what the vault holds; the password never comes back.
      expect(await api.checkBluesky(account)).toEqual({ did: frank.did, handle: frank.handle });

      const doc = new Y.Doc();
      addItem(doc, { url: 'https://a.example/api', title: 'Through the API' }, { memberId: 'm1' });
      // What crosses IPC/HTTP is parsed with the published schemas first.
      const [job, settings] = publishingApiArgs.publishBluesky.parse([
        JSON.parse(JSON.stringify(plan(doc))),
        { ...account, langs: ['en'] },
      ]);
      const result = await api.publishBluesky(job, settings);
      expect(result.ok).toBe(true);
      expect(await listPosts(net, frank.did)).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
