// Reading an account's posts from a real local PDS: posts with and without link cards, hashtags as
// facets, a quote with a card, a reply and a repost.
import { AtpAgent, RichText } from '@atproto/api';
import type { TestNetworkNoAppView } from '@atproto/dev-env';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchDesktopCall } from '../../../shared/api';
import type { ImportResult } from '../../../shared/import';
import { createNodeDesktopApi } from '../desktop-api';
import { createAccount, startPds, type TestAccount } from '../publish/testing/pds';
import { readBlueskyAccount } from './bluesky-account';

let net: TestNetworkNoAppView;
let alice: TestAccount;
const uris: Record<string, string> = {};

async function post(agent: AtpAgent, text: string, extra: Record<string, unknown> = {}) {
  const rt = new RichText({ text });
  rt.detectFacetsWithoutResolution();
  return agent.post({ text: rt.text, facets: rt.facets, ...extra });
}

const card = (uri: string, title: string, description = '') => ({
  $type: 'app.bsky.embed.external',
  external: { uri, title, description },
});

beforeAll(async () => {
  net = await startPds();
  alice = await createAccount(net, 'alice');
  const bob = await createAccount(net, 'bob');
  const agent = new AtpAgent({ service: net.pds.url });
  await agent.login({ identifier: alice.handle, password: alice.password });
  const bobAgent = new AtpAgent({ service: net.pds.url });
  await bobAgent.login({ identifier: bob.handle, password: bob.password });
  const bobs = await bobAgent.post({
    text: 'Bob on consensus',
    createdAt: '2025-01-01T09:00:00.000Z',
  });

  uris.card = (
    await post(agent, 'Pick of the day: Raft, explained. #Raft #consensus', {
      embed: card(
        'https://raft.github.io/?utm_source=bsky',
        'Raft Consensus Algorithm',
        'Understandable consensus',
      ),
      createdAt: '2025-01-06T11:00:00.000Z',
    })
  ).uri;
  await post(agent, 'Only words today', { createdAt: '2025-01-07T11:00:00.000Z' });
  uris.quote = (
    await post(agent, 'Bob is right, and this paper shows why', {
      embed: {
        $type: 'app.bsky.embed.recordWithMedia',
        record: { $type: 'app.bsky.embed.record', record: { uri: bobs.uri, cid: bobs.cid } },
        media: card('https://lamport.azurewebsites.net/pubs/paxos-simple.pdf', 'Paxos Made Simple'),
      },
      createdAt: '2025-01-08T11:00:00.000Z',
    })
  ).uri;
  await post(agent, 'Agreed, see https://example.com/reply-link', {
    reply: { root: { uri: bobs.uri, cid: bobs.cid }, parent: { uri: bobs.uri, cid: bobs.cid } },
    embed: card('https://example.com/reply-link', 'In a reply'),
    createdAt: '2025-01-09T11:00:00.000Z',
  });
  await agent.repost(bobs.uri, bobs.cid);
}, 120_000);

afterAll(async () => {
  await net?.close();
});

describe('readBlueskyAccount', () => {
  it('imports every post with a link card, paging through the repository', async () => {
    const result = await readBlueskyAccount(
      { serviceUrl: net.pds.url, handle: `@${alice.handle.toUpperCase()}` },
      { pageSize: 2 },
    );
    expect(result.format).toBe('bluesky');
    const rkey = (uri: string) => uri.split('/').pop()!;
    expect(result.items.map(({ origin: _o, ...item }) => item)).toEqual([
      {
        url: 'https://lamport.azurewebsites.net/pubs/paxos-simple.pdf',
        title: 'Paxos Made Simple',
        description: '',
        note: 'Bob is right, and this paper shows why',
        tags: [],
        addedAt: Date.UTC(2025, 0, 8, 11),
        read: true,
        readAt: Date.UTC(2025, 0, 8, 11),
        highlights: [],
        publications: [
          {
            target: 'bluesky',
            key: rkey(uris.quote!),
            at: Date.UTC(2025, 0, 8, 11),
            state: 'published',
            url: `https://bsky.app/profile/${alice.did}/post/${rkey(uris.quote!)}`,
            ref: uris.quote,
          },
        ],
      },
      {
        url: 'https://raft.github.io/',
        title: 'Raft Consensus Algorithm',
        description: 'Understandable consensus',
        note: 'Pick of the day: Raft, explained. #Raft #consensus',
        tags: ['raft', 'consensus'],
        addedAt: Date.UTC(2025, 0, 6, 11),
        read: true,
        readAt: Date.UTC(2025, 0, 6, 11),
        highlights: [],
        publications: [
          {
            target: 'bluesky',
            key: rkey(uris.card!),
            at: Date.UTC(2025, 0, 6, 11),
            state: 'published',
            url: `https://bsky.app/profile/${alice.did}/post/${rkey(uris.card!)}`,
            ref: uris.card,
          },
        ],
      },
    ]);
    expect(result.skipped).toEqual({ reply: 1, 'no link card': 1, repost: 1 });
    expect(result.problems).toEqual([]);
  });

  it('stops at the bound and says the older posts are left out', async () => {
    const result = await readBlueskyAccount(
      { serviceUrl: net.pds.url, handle: alice.did },
      { pageSize: 1, maxPosts: 2 },
    );
    expect(result.entries).toBe(3);
    expect(result.problems).toEqual([
      {
        where: '',
        message: 'only the newest 2 posts were read; older posts are not in this import',
        kind: 'warning',
      },
    ]);
  });

  it('answers DesktopApi.importBlueskyAccount, after the transport checks its argument', async () => {
    const api = createNodeDesktopApi({ mode: 'web', version: 'test' });
    const result = (await dispatchDesktopCall(api, 'importBlueskyAccount', [
      { serviceUrl: net.pds.url, handle: alice.handle },
    ])) as ImportResult;
    expect(result.items.map((i) => i.url)).toEqual([
      'https://lamport.azurewebsites.net/pubs/paxos-simple.pdf',
      'https://raft.github.io/',
    ]);
    await expect(
      dispatchDesktopCall(api, 'importBlueskyAccount', [{ serviceUrl: 'not a url', handle: '' }]),
    ).rejects.toMatchObject({ name: 'InvalidArguments' });
  });

  it('names an unknown handle', async () => {
    await expect(
      readBlueskyAccount({ serviceUrl: net.pds.url, handle: 'nobody.test' }),
    ).rejects.toMatchObject({
      name: 'BlueskyUnknownHandle',
      message: `No Bluesky account has the handle @nobody.test on ${net.pds.url}. Check the spelling, or the service address if the account lives on its own server.`,
    });
  });

  it('names a service that does not answer', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(
      readBlueskyAccount({ serviceUrl: url, handle: alice.handle }),
    ).rejects.toMatchObject({
      name: 'BlueskyUnreachable',
      message: expect.stringContaining(`Curio could not reach the Bluesky service at ${url}`),
    });
  });
});
