// Exactly once under faults: a loopback proxy between the publisher and a real PDS loses
// responses after the PDS committed, fails, stalls and rate-limits; two devices race. Whatever
// happens, listRecords must show one record per pick.
import type { TestNetworkNoAppView } from '@atproto/dev-env';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem, getPublication, materializeAll } from '../../../shared/collection';
import { pickOf, planBlueskyJob, settleBlueskyJob, type BlueskyJob } from '../../../shared/publish';
import { BlueskySession } from './bluesky-session';
import { publishToBluesky } from './bluesky-publisher';
import type { RetryPolicy } from './retry';
import {
  createAccount,
  listPosts,
  memoryVault,
  redirectingFetch,
  startFaultyProxy,
  startPds,
  type Fault,
  type FaultyProxy,
  type TestAccount,
} from './testing/pds';

let net: TestNetworkNoAppView;
let proxy: FaultyProxy;

beforeAll(async () => {
  net = await startPds();
  proxy = await startFaultyProxy(net.pds.url);
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await net?.close();
});

function proxiedSession(account: TestAccount, retry: Partial<RetryPolicy> = {}) {
  return new BlueskySession(
    { serviceUrl: proxy.url, identifier: account.handle },
    memoryVault(proxy.url, account),
    {
      fetch: redirectingFetch(net.pds.url, proxy.url),
      requestTimeoutMs: 1_500,
      retry: { baseDelayMs: 20, maxDelayMs: 100, ...retry },
    },
  );
}

function collection(urls: string[]): Y.Doc {
  const doc = new Y.Doc();
  urls.forEach((url, i) =>
    addItem(
      doc,
      { url, title: `Pick ${i}`, note: `Note ${i} 🎉 https://example.com/${i}`, addedAt: i },
      { memberId: 'm1' },
    ),
  );
  return doc;
}

function plan(doc: Y.Doc, memberId = 'm1'): BlueskyJob {
  const rows = materializeAll(doc, memberId).sort((a, b) => a.addedAt - b.addedAt);
  const result = planBlueskyJob(
    doc,
    rows.map((r) => pickOf(r)),
    { collectionId: 'faults', langs: [], threadIntro: null },
    { memberId },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.job;
}

async function expectOneRecordPerPick(account: TestAccount, job: BlueskyJob) {
  const records = await listPosts(net, account.did);
  expect(records.map((r) => r.uri.split('/').pop()).sort()).toEqual(
    job.posts.map((p) => p.rkey).sort(),
  );
}

describe('publishToBluesky under faults', () => {
  const cases: Array<[string, Fault[]]> = [
    ['the response is lost after the PDS committed', ['drop-after-commit', 'drop-after-commit']],
    ['the PDS answers 500', ['error-500', 'error-500', 'error-500']],
    ['the request times out after the PDS committed', ['stall-after-commit']],
    ['the PDS rate-limits with RateLimit-Reset', ['rate-limit']],
  ];
  for (const [name, faults] of cases) {
    it(`posts each pick exactly once when ${name}`, async () => {
      const account = await createAccount(net, 'fault');
      const doc = collection(['https://a.example/1', 'https://a.example/2', 'https://a.example/3']);
      const job = plan(doc);
      const before = proxy.seen.get('com.atproto.repo.createRecord') ?? 0;
      proxy.inject('com.atproto.repo.createRecord', faults);
      const started = Date.now();
      const result = await publishToBluesky(job, { session: proxiedSession(account) });
      expect(result.posts.map((p) => p.state)).toEqual(['published', 'published', 'published']);
      await expectOneRecordPerPick(account, job);
      const creates = (proxy.seen.get('com.atproto.repo.createRecord') ?? 0) - before;
      expect(creates).toBeGreaterThanOrEqual(3);
      if (faults[0] === 'rate-limit') expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    }, 30_000);
  }

  it('stops with a clear message when the rate limit resets too far ahead, and a later run finishes', async () => {
    const account = await createAccount(net, 'ratelimit');
    const doc = collection(['https://b.example/1', 'https://b.example/2']);
    const job = plan(doc);
    proxy.inject('com.atproto.repo.createRecord', ['rate-limit']);
    const first = await publishToBluesky(job, {
      session: proxiedSession(account, { maxRateLimitWaitMs: 100 }),
    });
    expect(first.ok).toBe(false);
    expect(first.error).toMatch(
      /rate limit is reached; publishing can continue after \d\d:\d\d UTC/,
    );
    settleBlueskyJob(doc, job, first, { memberId: 'm1' });
    const failed = getPublication(doc, job.posts[0]!.itemId, 'bluesky');
    expect(failed).toMatchObject({ state: 'failed', key: job.posts[0]!.rkey });

    const retry = plan(doc);
    expect(retry.posts.map((p) => p.rkey)).toEqual(job.posts.map((p) => p.rkey));
    const second = await publishToBluesky(retry, { session: proxiedSession(account) });
    expect(second.ok).toBe(true);
    await expectOneRecordPerPick(account, job);
  }, 30_000);

  it('makes one record when two devices publish the same pick at the same moment', async () => {
    const account = await createAccount(net, 'race');
    const urls = ['https://c.example/same', 'https://c.example/other'];
    // Two replicas that each saved the links and pressed Publish before syncing.
    const [jobA, jobB] = [plan(collection(urls), 'm1'), plan(collection(urls), 'm2')];
    expect(jobA.posts.map((p) => p.rkey)).toEqual(jobB.posts.map((p) => p.rkey));
    proxy.inject('com.atproto.repo.createRecord', ['drop-after-commit']);
    const direct = new BlueskySession(
      { serviceUrl: net.pds.url, identifier: account.handle },
      memoryVault(net.pds.url, account),
      {
        retry: { baseDelayMs: 20, maxDelayMs: 100 },
      },
    );
    const [a, b] = await Promise.all([
      publishToBluesky(jobA, { session: proxiedSession(account) }),
      publishToBluesky(jobB, { session: direct }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect(a.posts.map((p) => p.cid)).toEqual(b.posts.map((p) => p.cid));
    await expectOneRecordPerPick(account, jobA);
  }, 30_000);
});
