import { describe, expect, it } from 'vitest';
import type { IndexSnapshot, SearchAnswer, SearchDoc } from '../../shared/search';
import type { SearchRequest } from './search-client';
import {
  STORE_FROM_DOCS,
  STORE_WHEN_QUIET_MS,
  SearchService,
  worthStoring,
  type IndexStore,
} from './search-service';

const doc = (i: number, title = `raft note ${i}`): SearchDoc => ({
  id: String(i),
  title,
  tags: '',
  text: `blog.example.org https://blog.example.org/${i}`,
});
const library = (n: number) => Array.from({ length: n }, (_, i) => doc(i));

/** Timers run by hand: `quiet()` runs what waits for the quiet moment. */
class HandTimers {
  private waiting: { ms: number; run: () => void }[] = [];
  /** Runs at each pause in writing the index: what the window sends meanwhile. */
  meanwhile: (() => void) | null = null;
  pauses = 0;
  async pause(): Promise<void> {
    this.pauses++;
    const run = this.meanwhile;
    this.meanwhile = null;
    run?.();
  }
  after(ms: number, run: () => void): () => void {
    const entry = { ms, run };
    this.waiting.push(entry);
    return () => (this.waiting = this.waiting.filter((e) => e !== entry));
  }
  get storing(): boolean {
    return this.waiting.some((e) => e.ms === STORE_WHEN_QUIET_MS);
  }
  quiet(): void {
    const due = this.waiting;
    this.waiting = [];
    for (const entry of due) entry.run();
  }
}

/** Kept as IndexedDB keeps things: structured clones. `hold` makes the next load wait. */
class MemoryStore implements IndexStore {
  readonly kept = new Map<string, unknown>();
  saves = 0;
  failNext = false;
  private gate: Promise<void> | null = null;
  hold(): () => void {
    let open!: () => void;
    this.gate = new Promise<void>((resolve) => (open = resolve));
    return () => {
      this.gate = null;
      open();
    };
  }
  async load(key: string): Promise<unknown> {
    if (this.gate) await this.gate;
    return structuredClone(this.kept.get(key));
  }
  async save(key: string, snapshot: IndexSnapshot): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('QuotaExceededError');
    }
    this.saves++;
    this.kept.set(key, structuredClone(snapshot));
  }
}

function service(store: IndexStore | null, timers = new HandTimers()) {
  const replies = new Map<number, SearchAnswer>();
  let applied = 0;
  const search = new SearchService({
    store,
    timers,
    reply: (id, answer) => replies.set(id, answer),
    applied: () => applied++,
  });
  const send = (...messages: SearchRequest[]) => messages.forEach((m) => search.handle(m));
  return { search, timers, replies, send, applied: () => applied };
}

/** Lets every promise already settled run its callbacks (the store's reads and writes). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the search worker’s index between sessions', () => {
  it('is stored after a quiet moment, and read back instead of indexing everything again', async () => {
    const store = new MemoryStore();
    const first = service(store);
    first.send({ type: 'open', key: 'c1' }, { type: 'all', docs: library(STORE_FROM_DOCS) });
    await settle();
    expect(first.timers.storing).toBe(true);
    first.timers.quiet();
    await settle();
    expect(store.saves).toBe(1);

    const release = store.hold();
    const second = service(store);
    second.send(
      { type: 'open', key: 'c1' },
      { type: 'query', id: 1, text: 'raft', limit: 5 },
      { type: 'all', docs: [...library(STORE_FROM_DOCS).slice(1), doc(5000, 'paxos made simple')] },
      { type: 'query', id: 2, text: 'paxos' },
    );
    // Nothing is answered or applied before the stored index is in.
    expect(second.replies.size).toBe(0);
    expect(second.applied()).toBe(0);
    release();
    await settle();
    expect(second.replies.get(1)!.total).toBe(STORE_FROM_DOCS);
    expect(second.replies.get(2)!.ids).toEqual(['5000']);
    expect(second.search.size).toBe(STORE_FROM_DOCS);
    // The open, then the whole library: both counted once applied.
    expect(second.applied()).toBe(2);
    // Two documents changed: not worth writing a thousand down again.
    expect(second.timers.storing).toBe(false);
  });

  it('is stored again only once enough has changed', () => {
    expect(worthStoring(99, STORE_FROM_DOCS)).toBe(false);
    expect(worthStoring(100, STORE_FROM_DOCS)).toBe(true);
    expect(worthStoring(999, 100_000)).toBe(false);
    expect(worthStoring(1000, 100_000)).toBe(true);
    expect(worthStoring(500, STORE_FROM_DOCS - 1)).toBe(false);
  });

  it('is not stored for a small library, nor without a place to keep it', async () => {
    const store = new MemoryStore();
    const small = service(store);
    small.send({ type: 'open', key: 'c1' }, { type: 'all', docs: library(STORE_FROM_DOCS - 1) });
    await settle();
    expect(small.timers.storing).toBe(false);
    const nowhere = service(null);
    nowhere.send({ type: 'open', key: 'c1' }, { type: 'all', docs: library(STORE_FROM_DOCS) });
    await settle();
    expect(nowhere.timers.storing).toBe(false);
    expect(nowhere.search.size).toBe(STORE_FROM_DOCS);
  });

  it('waits for quiet: a query or a change puts the writing off', async () => {
    const store = new MemoryStore();
    const s = service(store);
    s.send({ type: 'open', key: 'c1' }, { type: 'all', docs: library(STORE_FROM_DOCS) });
    await settle();
    s.send({ type: 'query', id: 1, text: 'raf' });
    s.send({ type: 'upsert', docs: [doc(1, 'lease')] });
    // One write pending, not three.
    s.timers.quiet();
    await settle();
    expect(store.saves).toBe(1);
  });

  it('indexes afresh when what is stored cannot be read, and tries a failed write again', async () => {
    const store = new MemoryStore();
    store.kept.set('c1', { format: 'something else' });
    const s = service(store);
    s.send({ type: 'open', key: 'c1' }, { type: 'all', docs: library(STORE_FROM_DOCS) });
    await settle();
    s.send({ type: 'query', id: 1, text: 'raft', limit: 1 });
    expect(s.replies.get(1)!.total).toBe(STORE_FROM_DOCS);
    store.failNext = true;
    s.timers.quiet();
    await settle();
    expect(store.saves).toBe(0);
    s.send({ type: 'query', id: 2, text: 'note' });
    expect(s.timers.storing).toBe(true);
    s.timers.quiet();
    await settle();
    expect(store.saves).toBe(1);
  });

  it('is written in parts, answering between them, and put off by a change meanwhile', async () => {
    const store = new MemoryStore();
    const s = service(store);
    s.send({ type: 'open', key: 'c1' }, { type: 'all', docs: library(STORE_FROM_DOCS) });
    await settle();
    s.timers.meanwhile = () => {
      s.send({ type: 'query', id: 7, text: 'raft', limit: 1 });
      s.send({ type: 'upsert', docs: [doc(1, 'lease renewal')] });
    };
    s.timers.quiet();
    await settle();
    // Answered during the write, which then gave up: its parts no longer agree.
    expect(s.replies.get(7)!.total).toBe(STORE_FROM_DOCS);
    expect(store.saves).toBe(0);
    expect(s.timers.storing).toBe(true);
    s.timers.quiet();
    await settle();
    expect(store.saves).toBe(1);
    // Each write paused once, between the documents and the words.
    expect(s.timers.pauses).toBe(2);
    const restored = service(store);
    restored.send({ type: 'open', key: 'c1' }, { type: 'query', id: 1, text: 'renewal' });
    await settle();
    expect(restored.replies.get(1)!.ids).toEqual(['1']);
  });
});
