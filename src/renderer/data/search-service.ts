// What the search worker does with the window's messages: keeps the index, answers queries, and
// writes the index down once a large library has been quiet for a moment, so that the next
// opening reads it back in seconds instead of indexing every link again. What changed since it
// was written is found by each document's signature when the window sends the whole library, and
// indexed then.
import {
  SearchIndex,
  type IndexSnapshot,
  type SearchAnswer,
  type SearchDoc,
} from '../../shared/search';
import type { SearchRequest } from './search-client';

/** Where indexes are kept between sessions, by collection. */
export interface IndexStore {
  load(key: string): Promise<unknown>;
  save(key: string, snapshot: IndexSnapshot): Promise<void>;
}

export interface ServiceTimers {
  /** Runs `run` after `ms`; the function returned cancels it. */
  after(ms: number, run: () => void): () => void;
  /** Lets the worker answer what came meanwhile, between two parts of writing the index. */
  pause(): Promise<void>;
}

/** Below this many documents, indexing afresh takes well under a second: nothing is stored. */
export const STORE_FROM_DOCS = 1000;

/** Nothing asked or changed for this long: a good moment to write the index down. */
export const STORE_WHEN_QUIET_MS = 5000;

/**
 * Changes that make writing the index worth it: reading it back then indexing this many again
 * costs less than a fraction of a second, while writing a large index takes the worker seconds.
 */
export function worthStoring(changed: number, size: number): boolean {
  return size >= STORE_FROM_DOCS && changed >= Math.max(100, Math.ceil(size / 100));
}

export interface SearchServiceDeps {
  store: IndexStore | null;
  timers: ServiceTimers;
  /** Sends the answer to a query asked by message. */
  reply(id: number, answer: SearchAnswer): void;
  /** Counts one change message as applied (the shared-memory channel waits for them). */
  applied(): void;
}

export class SearchService {
  private index = new SearchIndex();
  private key: string | null = null;
  /** Messages that came while the stored index was being read, in their order. */
  private held: SearchRequest[] | null = null;
  /** Documents changed since the index was stored or read back. */
  private unsaved = 0;
  /** Change messages handled so far: writing the index gives up if one comes meanwhile. */
  private changes = 0;
  private cancelStore: (() => void) | null = null;
  private warmed = false;
  /** The parts of a whole library received so far, until its last part comes. */
  private incoming: SearchDoc[] | null = null;

  constructor(private readonly deps: SearchServiceDeps) {}

  get size(): number {
    return this.index.size;
  }

  handle(message: SearchRequest): void {
    if (this.held) {
      this.held.push(message);
      return;
    }
    switch (message.type) {
      case 'open':
        void this.open(message.key);
        return;
      case 'query':
        this.deps.reply(message.id, this.query(message.text, message.limit));
        return;
      case 'upsert':
        this.changed(this.index.upsert(message.docs));
        break;
      case 'all': {
        let docs = message.docs;
        if (this.incoming) {
          docs = this.incoming;
          for (const doc of message.docs) docs.push(doc);
        }
        if (message.more) {
          this.incoming = docs;
          break;
        }
        this.incoming = null;
        this.changed(this.index.replaceAll(docs));
        break;
      }
      case 'remove':
        this.changed(this.index.remove(message.ids));
        break;
      case 'channel':
        return;
    }
    this.deps.applied();
  }

  query(text: string, limit?: number): SearchAnswer {
    this.quietAgain();
    return this.index.query(text, limit);
  }

  /** Reads the collection's stored index, holding every other message until it is in. */
  private async open(key: string): Promise<void> {
    this.key = key;
    this.held = [];
    try {
      const restored = SearchIndex.restore(await this.deps.store?.load(key));
      if (restored && this.index.size === 0) this.index = restored;
    } catch (error) {
      console.warn('The stored search index could not be read; indexing afresh.', error);
    }
    const held = this.held;
    this.held = null;
    this.deps.applied();
    for (const message of held) this.handle(message);
  }

  private changed(count: number): void {
    this.changes++;
    this.unsaved += count;
    // Once a collection worth optimising for is indexed, before the curator starts typing.
    if (!this.warmed && this.index.size >= STORE_FROM_DOCS) {
      this.warmed = true;
      this.deps.timers.after(0, () => this.index.warm());
    }
    this.quietAgain();
  }

  private quietAgain(): void {
    this.cancelStore?.();
    this.cancelStore = null;
    if (!this.key || !this.deps.store || !worthStoring(this.unsaved, this.index.size)) return;
    this.cancelStore = this.deps.timers.after(STORE_WHEN_QUIET_MS, () => void this.store());
  }

  /**
   * Writes the index down in parts, answering queries between them; a change or MiniSearch's
   * clean-up meanwhile puts it off to the next quiet moment.
   */
  private async store(): Promise<void> {
    this.cancelStore = null;
    const { key, index } = this;
    const store = this.deps.store;
    if (!key || !store) return;
    const started = this.changes;
    const changed = () => this.changes !== started || index !== this.index || index.vacuuming;
    if (changed()) return this.quietAgain();
    const snapshot = await index.snapshotInParts(() => this.deps.timers.pause(), changed);
    if (!snapshot) return this.quietAgain();
    const count = this.unsaved;
    this.unsaved = 0;
    try {
      await store.save(key, snapshot);
    } catch (error) {
      // Tried again after the next quiet moment; meanwhile the index works from memory.
      this.unsaved += count;
      console.warn('The search index could not be stored.', error);
    }
  }
}
