// The queue of links whose details are still to be fetched, with a clock and a network the test
// controls and an unfurl that answers what the test says: it waits for the network, backs off,
// survives a restart, fills only empty fields, and leaves a read-only collection alone.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Member } from '../../shared/model';
import { CollectionDb } from './db';
import type { FetchedDetails } from './details';
import { LocalLibrary } from './library';
import { InlineSearch } from './search-client';
import { FakeClock, FakeNetwork, until as untilQueue } from './queue-testing';
import { MAX_ATTEMPTS, retryDelay } from './fetch-queue';

const me: Member = { id: 'ana', name: 'Ana', color: '#2563eb' };
const URL_A = 'https://example.com/raft';
const RAFT: FetchedDetails = {
  title: 'Raft: Understandable Consensus',
  description: 'How Raft elects a leader.',
  image: 'https://example.com/raft.png',
};

/** An unfurl that answers from `pages`, failing for a URL it does not know, and counts calls. */
function fakeUnfurl(pages: Map<string, FetchedDetails>) {
  const calls: string[] = [];
  let held: Array<() => void> | null = null;
  const unfurl = async (url: string): Promise<FetchedDetails> => {
    calls.push(url);
    if (held) await new Promise<void>((resolve) => held!.push(resolve));
    const page = pages.get(url);
    if (!page) throw new Error(`${new URL(url).host} did not answer`);
    return page;
  };
  return {
    unfurl,
    calls,
    hold: () => (held = []),
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const resolve of waiting) resolve();
    },
  };
}

interface Device {
  factory: IDBFactory;
  clock: FakeClock;
  network: FakeNetwork;
  pages: Map<string, FetchedDetails>;
  fake: ReturnType<typeof fakeUnfurl>;
}

function device(online: boolean): Device {
  const pages = new Map<string, FetchedDetails>();
  return {
    factory: new IDBFactory(),
    clock: new FakeClock(),
    network: new FakeNetwork(online),
    pages,
    fake: fakeUnfurl(pages),
  };
}

async function open(d: Device, hub: { url: string; token: string } | null = null) {
  return LocalLibrary.open({
    collectionId: 'c1',
    me,
    db: new CollectionDb('c1', d.factory, IDBKeyRange),
    search: new InlineSearch(),
    hub,
    now: d.clock.now,
    unfurl: { unfurl: d.fake.unfurl, clock: d.clock, network: d.network },
  });
}

function until(lib: LocalLibrary, check: () => boolean): Promise<void> {
  return untilQueue(lib.unfurls!, check);
}

const idle = (lib: LocalLibrary) =>
  until(lib, () => lib.unfurls!.status(lib.store.all()[0]!.id)?.state !== 'fetching');

async function saveUntitled(lib: LocalLibrary, url = URL_A) {
  const [result] = lib.addLinks([{ url }]);
  lib.fetchDetails([{ id: result!.id, url }]);
  await until(
    lib,
    () => lib.unfurls!.status(result!.id) !== null || lib.store.get(result!.id)!.title !== '',
  );
  return result!.id;
}

describe('the queue of details to fetch', () => {
  it('waits while offline, and fills title, description and picture once the network is back', async () => {
    const d = device(false);
    d.pages.set(URL_A, RAFT);
    const lib = await open(d);
    const id = await saveUntitled(lib);
    expect(d.fake.calls).toEqual([]);
    expect(lib.unfurls!.status(id)).toEqual({ state: 'waiting', error: null });
    d.network.set(true);
    await until(lib, () => lib.store.get(id)!.title === RAFT.title);
    expect(lib.store.get(id)).toMatchObject({
      description: RAFT.description,
      image: RAFT.image,
    });
    await until(lib, () => lib.unfurls!.status(id) === null);
    expect(await lib.db.unfurls.count()).toBe(0);
    // Not the curator's change: Ctrl+Z undoes the save, not the fetched title.
    expect(lib.undo()).toBe(true);
    expect(lib.store.get(id)).toBeUndefined();
    await lib.close();
  });

  it('never replaces what the curator typed, even while the page is being fetched', async () => {
    const d = device(true);
    d.pages.set(URL_A, RAFT);
    d.fake.hold();
    const lib = await open(d);
    const { id } = lib.addLink({ url: URL_A });
    lib.fetchDetails([{ id, url: URL_A }]);
    await until(lib, () => lib.unfurls!.status(id)?.state === 'fetching');
    lib.updateItem(id, { title: 'My own words' });
    d.fake.release();
    await until(lib, () => lib.unfurls!.status(id) === null);
    expect(lib.store.get(id)).toMatchObject({
      title: 'My own words',
      description: RAFT.description,
    });
    await lib.close();
  });

  it('backs off after a failure, retries when due, and gives up after the last try', async () => {
    const d = device(true);
    const lib = await open(d);
    const id = await saveUntitled(lib);
    await idle(lib);
    expect(d.fake.calls).toHaveLength(1);
    expect(lib.unfurls!.status(id)).toEqual({
      state: 'waiting',
      error: 'example.com did not answer',
    });
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      d.clock.advance(retryDelay(attempt) - 1);
      expect(d.fake.calls).toHaveLength(attempt);
      d.clock.advance(1);
      expect(d.fake.calls).toHaveLength(attempt + 1);
      await idle(lib);
    }
    await until(lib, () => lib.unfurls!.status(id)?.state === 'failed');
    d.clock.advance(retryDelay(MAX_ATTEMPTS) * 2);
    expect(d.fake.calls).toHaveLength(MAX_ATTEMPTS);
    expect(await lib.db.unfurls.count()).toBe(0);
    // "Fetch details again" asks at once, and the page has come back.
    d.pages.set(URL_A, RAFT);
    lib.fetchDetails([{ id, url: URL_A }]);
    await until(lib, () => lib.store.get(id)!.title === RAFT.title);
    await lib.close();
  });

  it('asks again as soon as the network returns, whatever the backoff', async () => {
    const d = device(true);
    const lib = await open(d);
    const id = await saveUntitled(lib);
    await idle(lib);
    expect(d.fake.calls).toHaveLength(1);
    d.network.set(false);
    d.pages.set(URL_A, RAFT);
    d.network.set(true);
    await until(lib, () => lib.store.get(id)!.title === RAFT.title);
    expect(d.fake.calls).toHaveLength(2);
    await lib.close();
  });

  it('remembers what was waiting across a restart', async () => {
    const d = device(false);
    d.pages.set(URL_A, RAFT);
    const first = await open(d);
    const id = await saveUntitled(first);
    await first.close();
    const again = await open(d);
    await until(again, () => again.unfurls!.status(id)?.state === 'waiting');
    d.network.set(true);
    await until(again, () => again.store.get(id)!.title === RAFT.title);
    await again.close();
  });

  it('fetches nothing for a collection this device may no longer change', async () => {
    const d = device(false);
    d.pages.set(URL_A, RAFT);
    const lib = await open(d);
    const id = await saveUntitled(lib);
    lib.access.withdraw('revoked');
    d.network.set(true);
    d.clock.advance(retryDelay(MAX_ATTEMPTS));
    expect(d.fake.calls).toEqual([]);
    expect(lib.store.get(id)!.title).not.toBe(RAFT.title);
    expect(() => lib.fetchDetails([{ id, url: URL_A }])).toThrow(/withdrawn/);
    await lib.close();
  });
});
