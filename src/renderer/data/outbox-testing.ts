// Shared by the outbox tests: a real library on fake-indexeddb, publishing settings, and a stand-in
// for the main process at the DesktopApi seam (the publishers themselves are tested against a
// local PDS and a bare git remote).
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Member } from '../../shared/model';
import type {
  BlueskyJob,
  BlueskyJobResult,
  BlueskyRemoval,
  BlueskyRemovalResult,
  PickedLink,
  PublishingApi,
  SitePublishResult,
} from '../../shared/publish';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { Outbox, type OutboxDeps } from './outbox';
import type { PublishSettings } from './publish-settings';
import { InlineSearch } from './search-client';

export const me: Member = { id: 'me', name: 'Ana', color: '#2563eb' };
export const SETTINGS: PublishSettings = {
  bluesky: {
    serviceUrl: 'https://pds.example',
    identifier: 'ana.test',
    langs: ['en'],
    appViewUrl: 'https://appview.example',
  },
  site: {
    remote: '/tmp/site.git',
    branch: 'main',
    title: 'Links',
    baseUrl: 'https://links.example/',
    description: '',
    format: 'curio-site',
    contentDir: 'content/links',
    pageSize: 20,
    lang: 'en',
  },
};

export type Api = Pick<PublishingApi, 'publishBluesky' | 'publishSite' | 'removeFromBluesky'>;

/** A stand-in for the main process that answers each call with the next scripted reply. */
export function scriptedApi(replies: Array<'ok' | 'fail' | 'hang' | Error>) {
  const blueskyCalls: BlueskyJob[] = [];
  const removalCalls: BlueskyRemoval[] = [];
  const siteCalls: PickedLink[][] = [];
  let markHung = () => {};
  /** Settles once a call got a 'hang' reply: the job is then running, and stays so. */
  const hung = new Promise<void>((resolve) => (markHung = resolve));
  const next = () => {
    const reply = replies.shift() ?? 'ok';
    if (reply === 'hang') markHung();
    return reply;
  };
  const api: Api = {
    publishBluesky: async (job) => {
      blueskyCalls.push(structuredClone(job));
      const reply = next();
      if (reply === 'hang') return new Promise<BlueskyJobResult>(() => undefined);
      if (reply instanceof Error) throw reply;
      const ok = reply === 'ok';
      return {
        ok,
        thread: null,
        problems: [],
        error: ok ? undefined : 'the PDS answered 502',
        posts: job.posts.map((p) =>
          ok
            ? {
                itemId: p.itemId,
                rkey: p.rkey,
                state: 'published' as const,
                uri: `at://did:plc:ana/app.bsky.feed.post/${p.rkey}`,
                url: `https://bsky.app/profile/did:plc:ana/post/${p.rkey}`,
              }
            : {
                itemId: p.itemId,
                rkey: p.rkey,
                state: 'failed' as const,
                error: 'the PDS answered 502',
              },
        ),
      };
    },
    removeFromBluesky: async (job) => {
      removalCalls.push(structuredClone(job));
      const reply = next();
      if (reply === 'hang') return new Promise<BlueskyRemovalResult>(() => undefined);
      if (reply instanceof Error) throw reply;
      const ok = reply === 'ok';
      return {
        ok,
        ...(ok ? {} : { error: 'the PDS answered 502' }),
        posts: job.posts.map((p) => ({
          itemId: p.itemId,
          rkey: p.rkey,
          state: ok ? ('deleted' as const) : ('failed' as const),
          ...(ok ? {} : { error: 'the PDS answered 502' }),
        })),
      };
    },
    publishSite: async (picks): Promise<SitePublishResult> => {
      siteCalls.push(picks);
      const reply = next();
      if (reply === 'hang') return new Promise(() => undefined);
      if (reply instanceof Error) throw reply;
      if (reply === 'fail') throw new Error('git push was refused');
      return {
        committed: true,
        commit: 'abc123',
        added: picks.map((p) => p.item.id),
        message: 'x',
      };
    },
  };
  return { api, blueskyCalls, removalCalls, siteCalls, hung };
}

export async function openLibrary(factory: IDBFactory = new IDBFactory()) {
  return LocalLibrary.open({
    collectionId: 'c1',
    me,
    db: new CollectionDb('c1', factory, IDBKeyRange),
    search: new InlineSearch(),
  });
}

export function outboxFor(lib: LocalLibrary, api: Api, extra: Partial<OutboxDeps> = {}) {
  return new Outbox({
    collectionId: 'c1',
    db: lib.db,
    doc: lib.doc,
    actor: { memberId: me.id, origin: { publish: true } },
    api,
    settings: async () => SETTINGS,
    rows: () => lib.store.all(),
    timers: false,
    ...extra,
  });
}

export function addTwo(lib: LocalLibrary) {
  lib.addLinks([
    { url: 'https://a.example/raft', title: 'Raft', description: 'Consensus' },
    { url: 'https://b.example/crdt', title: 'CRDTs', description: 'Merging' },
  ]);
  return lib.store.all();
}
