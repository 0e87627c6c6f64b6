// Exactly once, under any sequence of failed attempts, errors, restarts, retries and second presses
// of Publish: every call for a pick carries the one record key the document holds for it, the
// outbox never keeps two live jobs for a pick, and a pick reads "published" exactly when an
// attempt succeeded.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IDBFactory } from 'fake-indexeddb';
import { getPublication } from '../../shared/collection';
import type { BlueskyJob, BlueskyJobResult } from '../../shared/publish';
import type { LocalLibrary } from './library';
import { jobItemIds, type Outbox } from './outbox';
import { addTwo, openLibrary, outboxFor, type Api } from './outbox-testing';

type Step = 'ok' | 'fail' | 'throw' | 'restart' | 'retry' | 'publish';

const stepArb = fc.constantFrom<Step>('ok', 'fail', 'throw', 'restart', 'retry', 'publish');
const BACKOFF = { baseMs: 1000, maxMs: 4000, maxAttempts: 3 };

/** The main process, answering each call the way the current step says. */
function switchableApi() {
  const calls: BlueskyJob[] = [];
  let mode: 'ok' | 'fail' | 'throw' = 'ok';
  let succeeded = false;
  const api: Api = {
    publishBluesky: async (job): Promise<BlueskyJobResult> => {
      calls.push(structuredClone(job));
      if (mode === 'throw') throw new Error('Curio web mode is not answering.');
      const ok = mode === 'ok';
      if (ok) succeeded = true;
      return {
        ok,
        thread: null,
        problems: [],
        error: ok ? undefined : 'the PDS answered 502',
        posts: job.posts.map((p) => ({
          itemId: p.itemId,
          rkey: p.rkey,
          state: ok ? ('published' as const) : ('failed' as const),
          ...(ok ? { url: `https://bsky.app/profile/did:plc:x/post/${p.rkey}` } : {}),
          ...(ok ? {} : { error: 'the PDS answered 502' }),
        })),
      };
    },
    publishSite: () => Promise.reject(new Error('not in this test')),
  };
  return {
    api,
    calls,
    setMode: (next: typeof mode) => (mode = next),
    succeeded: () => succeeded,
  };
}

async function run(steps: Step[]): Promise<void> {
  const lib: LocalLibrary = await openLibrary(new IDBFactory());
  const items = addTwo(lib);
  let clock = 1_000_000;
  const server = switchableApi();
  const make = () => outboxFor(lib, server.api, { now: () => clock, backoff: BACKOFF });
  let outbox: Outbox = make();
  await outbox.start();
  await outbox.publish({ items, bluesky: true, site: false });
  const keys = new Map(
    items.map((item) => [item.id, getPublication(lib.doc, item.id, 'bluesky')!.key]),
  );

  for (const step of steps) {
    if (step === 'ok' || step === 'fail' || step === 'throw') {
      server.setMode(step);
      clock += BACKOFF.maxMs;
      await outbox.runDue();
    } else if (step === 'restart') {
      outbox.stop();
      outbox = make();
      await outbox.start();
    } else if (step === 'retry') {
      const latest = outbox.list()[0];
      if (latest) await outbox.retry(latest.id);
    } else {
      await outbox.publish({ items: lib.store.all(), bluesky: true, site: false });
    }
    await outbox.runDue();

    // One key per pick, in the document and in every call ever made.
    for (const job of server.calls)
      for (const post of job.posts) expect(post.rkey).toBe(keys.get(post.itemId));
    for (const item of items)
      expect(getPublication(lib.doc, item.id, 'bluesky')?.key).toBe(keys.get(item.id));
    // Never two unfinished jobs for the same pick.
    const live = outbox.list().filter((row) => row.state === 'queued' || row.state === 'running');
    const liveItems = live.flatMap((row) => jobItemIds(row.job));
    expect(new Set(liveItems).size).toBe(liveItems.length);
    for (const row of outbox.list()) expect(row.attempts).toBeLessThanOrEqual(BACKOFF.maxAttempts);
  }

  const states = items.map((item) => getPublication(lib.doc, item.id, 'bluesky')?.state);
  expect(states.every((s) => s === 'published')).toBe(server.succeeded());
  outbox.stop();
  await lib.close();
}

describe('Outbox, exactly once', () => {
  it('keeps one key per pick and one live job through failures, restarts and second presses', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 12 }), (steps) => run(steps)),
      { numRuns: 100 },
    );
  });
});
