// The posting queue's runner with everything real but time: a local PDS (@atproto/dev-env) that
// the main process's publishing services post to, libraries on fake-indexeddb, the outbox, and for
// two maintainers a hub process on loopback carrying their documents and its confirmations. The
// clock is a fake one that both apps share, moved a slot at a time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { TestNetworkNoAppView } from '@atproto/dev-env';
import {
  enqueue,
  getPublication,
  moveQueued,
  readQueue,
  setSchedule,
  type Actor,
} from '../src/shared/collection';
import type { Member } from '../src/shared/model';
import type { PublishingApi } from '../src/shared/publish';
import { CollectionDb } from '../src/renderer/data/db';
import { LocalLibrary } from '../src/renderer/data/library';
import { Outbox, PUBLISH_ORIGIN } from '../src/renderer/data/outbox';
import type { PublishSettings } from '../src/renderer/data/publish-settings';
import { FakeClock } from '../src/renderer/data/queue-testing';
import {
  ALONE,
  QueueRunner,
  hubCoordination,
  type CoordinationSource,
} from '../src/renderer/data/queue-runner';
import { InlineSearch } from '../src/renderer/data/search-client';
import { createPublishingApi } from '../src/main/services/publish/publishing-api';
import {
  createAccount,
  listPosts,
  memoryVault,
  startPds,
  type TestAccount,
} from '../src/main/services/publish/testing/pds';
import { spawnHub, tempDataDir, tokenFor, type HubProcess } from '../src/hub/test-kit';

/** Monday 4 May 2026, 10:59:30 UTC; the slots are 11:00, 11:01 and 11:02. */
const START = Date.UTC(2026, 4, 4, 10, 59, 30);
const SLOTS = [0, 1, 2].map((m) => Date.UTC(2026, 4, 4, 11, m));

let net: TestNetworkNoAppView;
let account: TestAccount;
let hub: HubProcess;
let cache: string;
let collectionSeq = 0;

beforeAll(async () => {
  [net, hub, cache] = await Promise.all([
    startPds(),
    spawnHub(tempDataDir()),
    mkdtemp(join(tmpdir(), 'curio-queue-')),
  ]);
  account = await createAccount(net, 'queue');
}, 120_000);
afterAll(async () => {
  await Promise.all([net?.close(), hub?.stop()]);
  if (cache) await rm(cache, { recursive: true, force: true });
});

/** One maintainer's Curio: library, outbox on the real publishing services, and the runner. */
interface Device {
  lib: LocalLibrary;
  outbox: Outbox;
  runner: QueueRunner;
  actor: Actor;
}

function publishingApi(
  name: string,
): Pick<PublishingApi, 'publishBluesky' | 'publishSite' | 'removeFromBluesky'> {
  return createPublishingApi({
    vault: memoryVault(net.pds.url, account),
    credentialStorage: 'private-file',
    cacheDir: join(cache, name),
    session: { retry: { baseDelayMs: 10, maxDelayMs: 50 } },
  });
}

async function device(
  collection: string,
  name: string,
  clock: FakeClock,
  options: { hub: boolean },
): Promise<Device> {
  const me: Member = { id: name.toLowerCase(), name, color: '#2563eb' };
  const token = tokenFor(collection, 'editor', me.id);
  const lib = await LocalLibrary.open({
    collectionId: collection,
    me,
    db: new CollectionDb(collection, new IDBFactory(), IDBKeyRange),
    search: new InlineSearch(),
    ...(options.hub ? { hub: { url: hub.url, token } } : {}),
  });
  if (options.hub)
    lib.connect(
      { url: hub.url, token },
      { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket },
    );
  const settings: PublishSettings = {
    bluesky: {
      serviceUrl: net.pds.url,
      identifier: account.handle,
      langs: ['en'],
      appViewUrl: net.pds.url,
    },
    site: null,
  };
  const actor: Actor = { memberId: me.id, origin: PUBLISH_ORIGIN };
  const outbox = new Outbox({
    collectionId: collection,
    ready: lib.whenReady,
    db: lib.db,
    doc: lib.doc,
    actor,
    api: publishingApi(`${collection}-${name}`),
    settings: async () => settings,
    rows: () => lib.store.all(),
    now: clock.now,
    timers: false,
  });
  const coordination: CoordinationSource = options.hub ? hubCoordination(lib) : ALONE;
  const runner = new QueueRunner({
    collectionId: collection,
    doc: lib.doc,
    ready: lib.whenReady,
    actor,
    outbox,
    row: (id) => lib.store.get(id),
    coordination,
    clock,
  });
  return { lib, outbox, runner, actor: { memberId: me.id, now: clock.now } };
}

/** Resolves once `check` holds, looked at again after every change to any device's document or outbox. */
function until(devices: Device[], check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const offs: Array<() => void> = [];
    const look = () => {
      if (!check()) return;
      for (const off of offs) off();
      resolve();
    };
    for (const { lib, outbox } of devices) {
      lib.doc.on('update', look);
      offs.push(() => lib.doc.off('update', look), outbox.subscribe(look));
    }
    look();
  });
}

async function quiet(devices: Device[]): Promise<void> {
  for (let round = 0; round < 20; round++) {
    for (const d of devices) {
      await d.runner.idle();
      await d.outbox.runDue();
    }
    if (devices.every((d) => !d.runner.busy)) return;
  }
  throw new Error('the devices never went quiet');
}

const PAPERS = ['raft', 'paxos', 'crdt'];
const paperUrl = (collection: string, name: string) => `https://${name}.example/${collection}`;

function queueThree(d: Device): string[] {
  const ids = d.lib
    .addLinks(
      PAPERS.map((name) => ({
        url: paperUrl(d.lib.collectionId, name),
        title: `The ${name} paper`,
        description: `Everything about ${name}.`,
      })),
    )
    .map((added) => added.id);
  setSchedule(
    d.lib.doc,
    {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      times: ['11:00', '11:01', '11:02'],
      timeZone: 'UTC',
      targets: { bluesky: 'queue', site: 'queue' },
    },
    d.actor,
  );
  for (const id of ids) enqueue(d.lib.doc, id, ['bluesky'], d.actor);
  return ids;
}

const published = (d: Device, id: string) =>
  getPublication(d.lib.doc, id, 'bluesky')?.state === 'published';

/** How many posts the PDS holds for each of the collection's papers, by item id. */
async function postsPerPick(collection: string, ids: string[]): Promise<Map<string, number>> {
  const byUrl = new Map(PAPERS.map((name, i) => [paperUrl(collection, name), ids[i]!]));
  const counts = new Map<string, number>();
  for (const record of await listPosts(net, account.did)) {
    const uri = (record.value as { embed?: { external?: { uri?: string } } }).embed?.external?.uri;
    const id = byUrl.get(uri ?? '');
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('the queue runner against a local PDS', () => {
  it('posts a queue of three picks one per slot, a minute apart', async () => {
    const clock = new FakeClock();
    clock.time = START;
    const collection = `queue-alone-${collectionSeq++}`;
    const d = await device(collection, 'Ana', clock, { hub: false });
    const before = (await listPosts(net, account.did)).length;
    const ids = queueThree(d);
    d.runner.start();
    await quiet([d]);
    expect((await listPosts(net, account.did)).length).toBe(before);

    for (const [slot, id] of SLOTS.map((s, i) => [s, ids[i]!] as const)) {
      clock.advance(slot - clock.time);
      await until([d], () => published(d, id));
      await quiet([d]);
      expect(ids.filter((other) => published(d, other))).toEqual(ids.slice(0, ids.indexOf(id) + 1));
      expect((await listPosts(net, account.did)).length).toBe(before + ids.indexOf(id) + 1);
    }
    expect(readQueue(d.lib.doc).picks).toEqual([]);
    expect(await postsPerPick(collection, ids)).toEqual(new Map(ids.map((id) => [id, 1])));
    d.runner.stop();
    await d.lib.close();
  });

  it('with two maintainers running through a real hub, posts each pick once, one per slot', async () => {
    const clock = new FakeClock();
    clock.time = START;
    const collection = `queue-two-${collectionSeq++}`;
    const ana = await device(collection, 'Ana', clock, { hub: true });
    const ben = await device(collection, 'Ben', clock, { hub: true });
    const both = [ana, ben];
    const records = (await listPosts(net, account.did)).length;
    const [raft, paxos, crdt] = queueThree(ana) as [string, string, string];
    await until(both, () => readQueue(ben.lib.doc).picks.length === 3);
    for (const d of both) d.runner.start();
    await quiet(both);

    // Ben's laptop drops off the network and he moves the CRDT paper to the front: at 11:00 the
    // two apps disagree on which pick is next.
    ben.lib.sync!.provider.disconnect();
    moveQueued(ben.lib.doc, crdt, { at: 'start' }, ben.actor);
    clock.advance(SLOTS[0]! - clock.time);
    await until([ana], () => published(ana, raft));
    await quiet(both);
    // Ben claimed the slot for the CRDT paper but could not learn whether he won: he posts nothing.
    expect(readQueue(ben.lib.doc).claims.some((c) => c.itemId === crdt)).toBe(true);
    expect(getPublication(ben.lib.doc, crdt, 'bluesky')).toBeNull();

    // Back online: his claim reaches the hub after Ana's, so it lost; the slot stays Ana's.
    ben.lib.sync!.provider.connect();
    await until(
      both,
      () => published(ben, raft) && readQueue(ana.lib.doc).picks[0]?.itemId === crdt,
    );
    await quiet(both);
    for (const d of both) expect(published(d, crdt)).toBe(false);

    // The next slots take the queue as it now stands: CRDT (moved first), then Paxos.
    for (const [slot, id] of [
      [SLOTS[1]!, crdt],
      [SLOTS[2]!, paxos],
    ] as const) {
      clock.advance(slot - clock.time);
      await until(both, () => both.every((d) => published(d, id)));
      await quiet(both);
    }
    await until(both, () => both.every((d) => readQueue(d.lib.doc).picks.length === 0));
    expect((await listPosts(net, account.did)).length).toBe(records + 3);
    expect(await postsPerPick(collection, [raft, paxos, crdt])).toEqual(
      new Map([raft, paxos, crdt].map((id) => [id, 1])),
    );
    for (const d of both) {
      d.runner.stop();
      await d.lib.close();
    }
  });
});
