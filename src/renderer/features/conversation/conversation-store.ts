// Conversations under this device's view of the picks' Bluesky posts: read from the AppView when
// online, kept in the collection's Dexie database (per device, never in the shared document: they
// are other people's words, and every device can read them again), and served from there offline.
import { ObservableV2 } from 'lib0/observable';
import type { DesktopApi } from '../../../shared/api';
import type { CollectionDb, ConversationRow } from '../../data/db';

/** How old a stored conversation may be before opening the pick reads it again. */
export const REFRESH_AFTER_MS = 5 * 60_000;

export interface PostToRead {
  itemId: string;
  /** The post's AT URI. */
  uri: string;
}

export class ConversationStore extends ObservableV2<{ change: () => void }> {
  private readonly rows = new Map<string, ConversationRow>();
  private readonly loaded: Promise<void>;
  private reading = new Set<string>();
  private version = 0;

  constructor(
    private readonly db: CollectionDb,
    private readonly api: Pick<DesktopApi, 'readConversations'>,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.loaded = db.conversations.toArray().then((rows) => {
      for (const row of rows) this.rows.set(row.itemId, row);
      this.changed();
    });
  }

  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.on('change', listener);
    return () => this.off('change', listener);
  };

  getVersion = (): number => this.version;

  /** What is stored for a pick's post, if it is the post the pick has now. */
  get(itemId: string, uri: string): ConversationRow | undefined {
    const row = this.rows.get(itemId);
    return row?.uri === uri ? row : undefined;
  }

  /** Replies counted for a pick's post when it was last read; 0 when never read. */
  replies = (itemId: string): number => this.rows.get(itemId)?.replies ?? 0;

  isReading(itemId: string): boolean {
    return this.reading.has(itemId);
  }

  /** Whether the stored conversation is missing or older than REFRESH_AFTER_MS. */
  isStale(post: PostToRead): boolean {
    const row = this.get(post.itemId, post.uri);
    return !row || this.now() - row.checkedAt >= REFRESH_AFTER_MS;
  }

  /**
   * Reads the posts' conversations from the AppView and keeps them. A failed read keeps what was
   * stored before, with the reason, so the pane can say how old what it shows is.
   */
  async refresh(posts: readonly PostToRead[], appViewUrl: string): Promise<void> {
    await this.loaded;
    const todo = posts.filter((p) => !this.reading.has(p.itemId)).slice(0, 25);
    if (!todo.length) return;
    for (const p of todo) this.reading.add(p.itemId);
    this.changed();
    const at = this.now();
    try {
      const results = await this.api
        .readConversations({ uris: todo.map((p) => p.uri), appViewUrl })
        .catch((error: unknown) =>
          todo.map((p) => ({
            uri: p.uri,
            ok: false as const,
            error: error instanceof Error ? error.message : String(error),
          })),
        );
      const updated: ConversationRow[] = [];
      for (const post of todo) {
        const result = results.find((r) => r.uri === post.uri);
        const before = this.get(post.itemId, post.uri);
        updated.push(
          result?.ok
            ? {
                itemId: post.itemId,
                uri: post.uri,
                replies: result.conversation.replies,
                conversation: result.conversation,
                error: null,
                checkedAt: at,
              }
            : {
                itemId: post.itemId,
                uri: post.uri,
                replies: before?.replies ?? 0,
                conversation: before?.conversation ?? null,
                error: result?.error ?? 'the AppView did not answer',
                checkedAt: at,
              },
        );
      }
      await this.db.conversations.bulkPut(updated);
      for (const row of updated) this.rows.set(row.itemId, row);
    } finally {
      for (const p of todo) this.reading.delete(p.itemId);
      this.changed();
    }
  }

  private changed(): void {
    this.version += 1;
    this.emit('change', []);
  }
}

const stores = new WeakMap<CollectionDb, ConversationStore>();

/** The one store of a collection's database in this window. */
export function conversationsFor(
  db: CollectionDb,
  api: Pick<DesktopApi, 'readConversations'>,
): ConversationStore {
  let store = stores.get(db);
  if (!store) {
    store = new ConversationStore(db, api);
    stores.set(db, store);
  }
  return store;
}
