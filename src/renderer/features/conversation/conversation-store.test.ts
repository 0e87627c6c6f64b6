// The conversation store on a real Dexie (fake-indexeddb): what was read stays for reading
// offline, and a failed read keeps it, with the reason.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { ConversationResult } from '../../../shared/publish';
import { CollectionDb } from '../../data/db';
import { ConversationStore } from './conversation-store';

const URI = 'at://did:plc:ana/app.bsky.feed.post/3kabcdefghi22';

function answering(results: Array<ConversationResult[] | Error>) {
  const asked: string[][] = [];
  return {
    asked,
    api: {
      readConversations: async ({ uris }: { uris: string[] }) => {
        asked.push(uris);
        const next = results.shift();
        if (!next || next instanceof Error) throw next ?? new Error('no answer');
        return next;
      },
    },
  };
}

const conversation = (replies: number) => ({
  uri: URI,
  likes: 2,
  reposts: 1,
  replies,
  quotes: 0,
  thread: [],
  fetchedAt: 10,
});

describe('ConversationStore', () => {
  it('keeps what it read across a restart, and keeps it through a failed read', async () => {
    const factory = new IDBFactory();
    let clock = 1_000;
    const server = answering([
      [{ uri: URI, ok: true, conversation: conversation(3) }],
      new Error("Can't reach public.api.bsky.app"),
    ]);
    const store = new ConversationStore(
      new CollectionDb('c1', factory, IDBKeyRange),
      server.api,
      () => clock,
    );
    const post = { itemId: 'item1', uri: URI };
    expect(store.isStale(post)).toBe(true);
    await store.refresh([post], 'https://appview.example');
    expect(store.get('item1', URI)).toMatchObject({ replies: 3, error: null, checkedAt: 1_000 });
    expect(store.isStale(post)).toBe(false);

    clock += 10 * 60_000;
    expect(store.isStale(post)).toBe(true);
    await store.refresh([post], 'https://appview.example');
    expect(store.get('item1', URI)).toMatchObject({
      replies: 3,
      conversation: { likes: 2 },
      error: "Can't reach public.api.bsky.app",
    });

    const reopened = new ConversationStore(
      new CollectionDb('c1', factory, IDBKeyRange),
      server.api,
    );
    await reopened.whenLoaded();
    expect(reopened.replies('item1')).toBe(3);
    // A different post (the pick was posted again) is not this conversation.
    expect(reopened.get('item1', `${URI}x`)).toBeUndefined();
  });
});
