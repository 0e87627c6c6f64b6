// Articles kept for reading offline: the store keeps text and images together, the queue fetches
// newest first a few at a time, waits for the network, backs off, survives a restart, keeps a
// reason for what failed, keeps only what "Keep snapshots of" asks for, and fetches links others
// added under the local-network guard. The clock, the network and the pages are the test's.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { ArticleSnapshot, SnapshotOptions } from '../../shared/article';
import type { ItemRow, Member } from '../../shared/model';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { InlineSearch } from './search-client';
import { SnapshotStore } from './snapshots';
import { snapshotOptions, wantedSnapshots, type KeepSnapshots } from './snapshots-policy';
import { OfflineSettingsStore } from './snapshots-settings';
import { FakeClock, FakeNetwork, until as untilQueue } from './queue-testing';
import { MAX_ATTEMPTS, retryDelay } from './fetch-queue';

const me: Member = { id: 'ana', name: 'Ana', color: '#2563eb' };

/** A one-pixel WebP-typed image, base64, as the main process sends pictures. */
const PIXEL = btoa(String.fromCharCode(82, 73, 70, 70, 1, 2, 3, 4));

function article(url: string, words = 2400): ArticleSnapshot {
  return {
    url,
    finalUrl: url,
    title: `Article at ${url}`,
    html: '<p>Leaders decide.</p><img src="curio-image:0" alt="diagram">',
    text: 'Leaders decide.',
    excerpt: null,
    byline: 'Diego Ongaro',
    siteName: 'raft.github.io',
    publishedAt: null,
    lang: 'en',
    dir: 'ltr',
    wordCount: words,
    readingMinutes: Math.round(words / 238),
    fetchedAt: 1_700_000_000_000,
    images: [
      {
        placeholder: 'curio-image:0',
        sourceUrl: `${url}/diagram.png`,
        mimeType: 'image/webp',
        width: 1,
        height: 1,
        base64: PIXEL,
      },
    ],
    imagesLeftOut: 0,
  };
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Pages the test answers: an article, an error, or a hold until released. */
function fakePages() {
  const answers = new Map<string, ArticleSnapshot | Error>();
  const calls: Array<{ url: string; options: SnapshotOptions }> = [];
  const held: Array<() => void> = [];
  let holding = false;
  const snapshotArticle = async (url: string, options: SnapshotOptions) => {
    calls.push({ url, options });
    if (holding) await new Promise<void>((resolve) => held.push(resolve));
    const answer = answers.get(url) ?? named('ArticleUnreachable', `${url} did not answer`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return {
    answers,
    calls,
    snapshotArticle,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      for (const resolve of held.splice(0)) resolve();
    },
  };
}

interface Device {
  factory: IDBFactory;
  clock: FakeClock;
  network: FakeNetwork;
  pages: ReturnType<typeof fakePages>;
  settings: OfflineSettingsStore;
}

function device(online = true): Device {
  return {
    factory: new IDBFactory(),
    clock: new FakeClock(),
    network: new FakeNetwork(online),
    pages: fakePages(),
    settings: new OfflineSettingsStore(),
  };
}

async function open(d: Device, concurrency = 2) {
  return LocalLibrary.open({
    collectionId: 'c1',
    me,
    db: new CollectionDb('c1', d.factory, IDBKeyRange),
    search: new InlineSearch(),
    now: d.clock.now,
    articles: {
      snapshotArticle: d.pages.snapshotArticle,
      settings: d.settings,
      clock: d.clock,
      network: d.network,
      concurrency,
    },
  });
}

function until(lib: LocalLibrary, check: () => boolean): Promise<void> {
  return untilQueue(lib.articles!, check);
}

const state = (lib: LocalLibrary, id: string) => lib.articles!.status(id)?.state;
/** The link is waiting again after a failed try (its reason is known). */
const retrying = (lib: LocalLibrary, id: string) => {
  const status = lib.articles!.status(id);
  return status?.state === 'waiting' && status.error !== null;
};

describe('the snapshot store', () => {
  it('keeps the text, the reading facts and the images as blobs, and replaces them whole', async () => {
    const db = new CollectionDb('c1', new IDBFactory(), IDBKeyRange);
    const store = new SnapshotStore(db);
    await store.load();
    const meta = await store.save('item1', article('https://raft.github.io/'));
    expect(meta).toMatchObject({ readingMinutes: 10, wordCount: 2400, imageCount: 1 });
    const read = await store.read('item1');
    expect(read!.html).toContain('curio-image:0');
    expect(read!.images[0]!.blob).toBeInstanceOf(Blob);
    expect(read!.images[0]!.blob.type).toBe('image/webp');
    expect(new Uint8Array(await read!.images[0]!.blob.arrayBuffer())).toEqual(
      new Uint8Array([82, 73, 70, 70, 1, 2, 3, 4]),
    );
    expect(store.bytes).toBe(meta.bytes);
    // Fetched again with no pictures: the old pictures go with the old text.
    await store.save('item1', { ...article('https://raft.github.io/'), images: [] });
    expect((await store.read('item1'))!.images).toEqual([]);
    expect(await db.articleImages.count()).toBe(0);
    // A fresh store on the same database knows what is kept.
    const again = new SnapshotStore(db);
    await again.load();
    expect(again.ids()).toEqual(['item1']);
    await again.remove(['item1']);
    expect(await again.read('item1')).toBeNull();
    expect(again.bytes).toBe(0);
  });
});

describe('which links keep an article', () => {
  const row = (i: number, status: ItemRow['status']) => ({ id: `i${i}`, status }) as ItemRow;
  const rows = fc.array(fc.constantFrom<ItemRow['status']>('unread', 'read', 'trash'), {
    maxLength: 40,
  });
  const keep = fc.oneof(
    fc.constant<KeepSnapshots>({ kind: 'all' }),
    fc.constant<KeepSnapshots>({ kind: 'unread' }),
    fc.integer({ min: 1, max: 50 }).map((count): KeepSnapshots => ({ kind: 'last', count })),
  );

  it('keeps live links only, newest first, as the setting says', () => {
    fc.assert(
      fc.property(rows, keep, (statuses, setting) => {
        const all = statuses.map((status, i) => row(i, status));
        const wanted = wantedSnapshots(all, setting);
        const live = all.filter((r) => r.status !== 'trash').map((r) => r.id);
        // Newest first, live only, and in the given order.
        expect(wanted.every((id) => live.includes(id))).toBe(true);
        expect(wanted).toEqual(live.filter((id) => wanted.includes(id)));
        if (setting.kind === 'all') expect(wanted).toEqual(live);
        if (setting.kind === 'unread')
          expect(wanted).toEqual(all.filter((r) => r.status === 'unread').map((r) => r.id));
        if (setting.kind === 'last') expect(wanted).toEqual(live.slice(0, setting.count));
      }),
    );
  });
});

describe('fetching a link someone else added', () => {
  it('is guarded unless this member added it, and a missing author counts as someone else', () => {
    const allow = { allowLocalNetwork: false };
    expect(snapshotOptions({ addedBy: 'ana' }, 'ana', allow)).toEqual({
      fromOthers: false,
      allowLocalNetwork: false,
    });
    expect(snapshotOptions({ addedBy: 'ben' }, 'ana', allow).fromOthers).toBe(true);
    expect(snapshotOptions({ addedBy: '' }, '', allow).fromOthers).toBe(true);
    expect(snapshotOptions({ addedBy: 42 as unknown as string }, 'ana', allow).fromOthers).toBe(
      true,
    );
    expect(
      snapshotOptions({ addedBy: 'ben' }, 'ana', { allowLocalNetwork: true }).allowLocalNetwork,
    ).toBe(true);
  });

  it('reaches the page with fromOthers set from who added the link', async () => {
    const d = device();
    d.pages.answers.set('https://example.com/mine', article('https://example.com/mine'));
    d.pages.answers.set('https://example.com/bens', article('https://example.com/bens'));
    const lib = await open(d);
    const mine = lib.addLink({ url: 'https://example.com/mine' }).id;
    // Ben's link, as it would arrive through sync.
    const { addItem } = await import('../../shared/collection');
    const bens = addItem(lib.doc, { url: 'https://example.com/bens' }, { memberId: 'ben' }).id;
    await until(lib, () => state(lib, mine) === 'saved' && state(lib, bens) === 'saved');
    const options = Object.fromEntries(d.pages.calls.map((c) => [c.url, c.options]));
    expect(options['https://example.com/mine']).toEqual({
      fromOthers: false,
      allowLocalNetwork: false,
    });
    expect(options['https://example.com/bens']).toEqual({
      fromOthers: true,
      allowLocalNetwork: false,
    });
    await lib.close();
  });
});

describe('the queue of articles to keep', () => {
  it('saves the link at once and its article once the network is back', async () => {
    const d = device(false);
    d.pages.answers.set('https://raft.github.io/', article('https://raft.github.io/'));
    const lib = await open(d);
    const { id } = lib.addLink({ url: 'https://raft.github.io/' });
    await until(lib, () => state(lib, id) === 'waiting');
    expect(lib.articles!.status(id)).toEqual({ state: 'waiting', offline: true, error: null });
    expect(d.pages.calls).toEqual([]);
    d.network.set(true);
    await until(lib, () => state(lib, id) === 'saved');
    expect(lib.articles!.status(id)).toMatchObject({ state: 'saved', readingMinutes: 10 });
    await lib.close();
  });

  it('works through links already saved newest first, a few at a time', async () => {
    const d = device(false);
    const lib = await open(d, 2);
    const urls = ['https://a.example/1', 'https://a.example/2', 'https://a.example/3'];
    for (const url of urls) d.pages.answers.set(url, article(url));
    lib.addLinks(urls.map((url) => ({ url })));
    d.pages.hold();
    d.network.set(true);
    const fetching = () => lib.store.all().filter((r) => state(lib, r.id) === 'fetching').length;
    await until(lib, () => fetching() === 2);
    // addLinks dates the first link newest: it goes first; only two at once.
    expect(d.pages.calls.map((c) => c.url)).toEqual(urls.slice(0, 2));
    d.pages.release();
    await until(lib, () => lib.snapshots.count === 3);
    expect(d.pages.calls.map((c) => c.url)).toEqual(urls);
    await lib.close();
  });

  it('backs off after a failure worth retrying, and gives up after the last try', async () => {
    const d = device();
    const lib = await open(d);
    const url = 'https://slow.example/';
    d.pages.answers.set(url, named('ArticleTimeout', 'Took longer than 15 s to load.'));
    const { id } = lib.addLink({ url });
    await until(lib, () => retrying(lib, id));
    expect(lib.articles!.status(id)).toEqual({
      state: 'waiting',
      offline: false,
      error: 'Took longer than 15 s to load.',
    });
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      d.clock.advance(retryDelay(attempt) - 1);
      expect(d.pages.calls).toHaveLength(attempt);
      d.clock.advance(1);
      expect(d.pages.calls).toHaveLength(attempt + 1);
      await until(lib, () => state(lib, id) !== 'fetching');
    }
    expect(lib.articles!.status(id)).toEqual({
      state: 'failed',
      error: 'Took longer than 15 s to load.',
    });
    d.clock.advance(retryDelay(MAX_ATTEMPTS) * 2);
    expect(d.pages.calls).toHaveLength(MAX_ATTEMPTS);
    // "Fetch again" asks at once.
    d.pages.answers.set(url, article(url));
    await lib.articles!.fetchAgain({ id, url });
    await until(lib, () => state(lib, id) === 'saved');
    await lib.close();
  });

  it('does not retry what will not change, and says why after a restart', async () => {
    const d = device();
    const url = 'https://example.com/paper.pdf';
    d.pages.answers.set(url, named('ArticleNotAnArticle', 'Not an article (application/pdf).'));
    const first = await open(d);
    const { id } = first.addLink({ url });
    await until(first, () => state(first, id) === 'failed');
    d.clock.advance(retryDelay(MAX_ATTEMPTS));
    expect(d.pages.calls).toHaveLength(1);
    await first.close();
    const again = await open(d);
    await until(again, () => state(again, id) === 'failed');
    expect(again.articles!.status(id)).toEqual({
      state: 'failed',
      error: 'Not an article (application/pdf).',
    });
    expect(d.pages.calls).toHaveLength(1);
    await again.close();
  });

  it('remembers a retry across a restart and asks again when the network returns', async () => {
    const d = device();
    const url = 'https://flaky.example/';
    const first = await open(d);
    const { id } = first.addLink({ url });
    await until(first, () => retrying(first, id));
    await first.close();
    d.network.set(false);
    d.pages.answers.set(url, article(url));
    const again = await open(d);
    await until(again, () => state(again, id) === 'waiting');
    expect(again.articles!.status(id)).toMatchObject({
      offline: true,
      error: `${url} did not answer`,
    });
    d.network.set(true);
    await until(again, () => state(again, id) === 'saved');
    await again.close();
  });

  it('keeps only what the setting asks for, and fetches nothing while off', async () => {
    const d = device(false);
    const lib = await open(d);
    const urls = ['https://k.example/1', 'https://k.example/2', 'https://k.example/3'];
    for (const url of urls) d.pages.answers.set(url, article(url));
    const ids = lib.addLinks(urls.map((url) => ({ url }))).map((r) => r.id);
    d.network.set(true);
    await until(lib, () => lib.snapshots.count === 3);
    await d.settings.set({ keep: { kind: 'last', count: 1 } });
    await until(lib, () => lib.snapshots.count === 1);
    expect(lib.snapshots.ids()).toEqual([ids[0]]);
    lib.markRead([ids[0]!]);
    await d.settings.set({ keep: { kind: 'unread' } });
    await until(lib, () => lib.snapshots.count === 2);
    expect(lib.snapshots.ids().sort()).toEqual([ids[1], ids[2]].sort());
    await d.settings.set({ enabled: false, keep: { kind: 'all' } });
    const calls = d.pages.calls.length;
    lib.addLink({ url: 'https://k.example/4' });
    d.clock.advance(retryDelay(MAX_ATTEMPTS));
    expect(d.pages.calls).toHaveLength(calls);
    await lib.articles!.removeAll();
    expect(lib.snapshots.count).toBe(0);
    expect(lib.snapshots.bytes).toBe(0);
    await lib.close();
  });

  it('keeps the article of a link in Trash and lets it go, with its highlights, when Trash is emptied', async () => {
    const d = device();
    const url = 'https://t.example/';
    d.pages.answers.set(url, article(url));
    const lib = await open(d);
    const { id } = lib.addLink({ url });
    await until(lib, () => state(lib, id) === 'saved');
    const quote = { type: 'TextQuoteSelector' as const, exact: 'Leaders', prefix: '', suffix: '' };
    lib.addHighlight(id, { quote, position: null });
    expect(lib.highlights.of(id)).toHaveLength(1);
    lib.moveToTrash([id]);
    await lib.articles!.refresh();
    expect(lib.snapshots.has(id)).toBe(true);
    lib.emptyTrash();
    await until(lib, () => !lib.snapshots.has(id));
    // Its highlights go with it, in the same change.
    expect(lib.highlights.of(id)).toEqual([]);
    await lib.close();
  });
});
