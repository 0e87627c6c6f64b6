// The library's way to the search index: in a Web Worker in the app, in-process where no
// Worker exists (Node tests). Queries are answered in order; a newer query does not wait for an
// older one's rendering. Asking the same question again before the index changes shares the
// answer already on its way, so the search box can ask as the key is pressed and the view that
// shows the answer can ask again when it renders, at the cost of one query.
//
// Where the page is cross-origin isolated, the window first asks through shared memory and waits
// a few milliseconds, so that most answers render in the keystroke's own frame (see channel.ts).
import type { ItemRow } from '../../shared/model';
import { SearchIndex, toSearchDoc, type SearchAnswer, type SearchDoc } from '../../shared/search';
import { ChannelClient, createChannelMemory } from '../../shared/search/channel';
import { nextTask } from './next-task';

export type SearchRequest =
  | { type: 'channel'; memory: SharedArrayBuffer }
  /** Reads the index stored under `key`, if any, before anything else is done. */
  | { type: 'open'; key: string }
  | { type: 'upsert'; docs: SearchDoc[] }
  /**
   * The whole library: whatever else the index holds leaves it. A large library comes in parts,
   * each but the last with `more`, and takes effect with the last.
   */
  | { type: 'all'; docs: SearchDoc[]; more?: true }
  | { type: 'remove'; ids: string[] }
  | { type: 'query'; id: number; text: string; limit?: number };

export interface SearchResponse {
  id: number;
  answer: SearchAnswer;
}

/**
 * Documents made as they are asked for, a part at a time: making 100,000 of them at once holds
 * the window for a fifth of a second. An array of documents is one.
 */
export interface SearchDocs {
  readonly length: number;
  slice(start: number, end: number): SearchDoc[];
}

export interface SearchBackend {
  /**
   * Reads the index kept between sessions under `key` (a collection) before any change sent
   * after; without it, nothing is kept.
   */
  open(key: string): void;
  upsert(docs: SearchDoc[]): void;
  /** Makes the index hold exactly these documents. */
  replaceAll(docs: SearchDocs): void;
  remove(ids: string[]): void;
  query(text: string, limit?: number): Promise<SearchAnswer>;
  close(): void;
}

/**
 * Brings the index up to date with these rows, or (`whole`) with these rows as the whole library.
 * Search never shows Trash, so trashed rows leave it.
 */
export function indexRows(search: SearchBackend, rows: readonly ItemRow[], whole = false): void {
  if (whole) {
    const live = rows.filter((row) => row.status !== 'trash');
    return search.replaceAll({
      length: live.length,
      slice: (start, end) => live.slice(start, end).map(toSearchDoc),
    });
  }
  const live: SearchDoc[] = [];
  const trashed: string[] = [];
  for (const row of rows) {
    if (row.status === 'trash') trashed.push(row.id);
    else live.push(toSearchDoc(row));
  }
  search.upsert(live);
  search.remove(trashed);
}

export class InlineSearch implements SearchBackend {
  private readonly index = new SearchIndex();
  /** Where no worker runs, nothing is kept between sessions. */
  open(): void {}
  upsert(docs: SearchDoc[]): void {
    this.index.upsert(docs);
  }
  replaceAll(docs: SearchDocs): void {
    this.index.replaceAll(docs.slice(0, docs.length));
  }
  remove(ids: string[]): void {
    this.index.remove(ids);
  }
  async query(text: string, limit?: number): Promise<SearchAnswer> {
    return this.index.query(text, limit);
  }
  close(): void {}
}

/**
 * How long a keystroke may wait for the worker's answer before it lets the typed letter paint and
 * takes the answer as a message instead. Typical answers take one or two milliseconds; this also
 * covers a common three-letter prefix at 10,000 links, and keeps the keystroke within its frame.
 */
const WAIT_MS = 8;

/**
 * Documents per part of the whole library. Each part is made and copied for the worker in a task
 * of the window's own: 100,000 documents at once hold it for a fifth of a second or more, and a
 * part of 5,000 for 30–60 ms.
 */
export const DOCS_PER_PART = 2_000;

export class WorkerSearch implements SearchBackend {
  private nextId = 1;
  private readonly channel: ChannelClient | null = null;
  /**
   * The channel and index changes sent to the worker, which it must have handled before it
   * answers through the channel.
   */
  private sent = 0;
  /**
   * Messages waiting for the parts of a whole library ahead of them to be handed over. A part is
   * made when its turn comes.
   */
  private queue: (SearchRequest | (() => SearchRequest))[] | null = null;
  private closed = false;
  private readonly waiting = new Map<number, (answer: SearchAnswer) => void>();
  /** The latest query asked since the index last changed. */
  private latest: {
    text: string;
    limit: number | undefined;
    answer: Promise<SearchAnswer>;
  } | null = null;

  constructor(
    private readonly worker: Worker,
    memory: SharedArrayBuffer | null = null,
  ) {
    worker.onmessage = (event: MessageEvent<SearchResponse>) => {
      const resolve = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      resolve?.(event.data.answer);
    };
    if (memory) {
      this.channel = new ChannelClient(memory);
      this.send({ type: 'channel', memory });
      this.sent++;
    }
  }

  open(key: string): void {
    this.send({ type: 'open', key });
    this.sent++;
  }

  private send(msg: SearchRequest): void {
    if (this.queue) this.queue.push(msg);
    else this.worker.postMessage(msg);
  }

  /**
   * Hands queued messages over in order, each part of a whole library in a task of its own, the
   * first too.
   */
  private async handOver(): Promise<void> {
    const queue = this.queue!;
    // Not in the task that asked: that one is showing the library.
    await nextTask();
    while (queue.length && !this.closed) {
      const next = queue.shift()!;
      const msg = typeof next === 'function' ? next() : next;
      this.worker.postMessage(msg);
      if (msg.type === 'all' && msg.more) await nextTask();
    }
    this.queue = null;
  }

  upsert(docs: SearchDoc[]): void {
    if (!docs.length) return;
    this.latest = null;
    this.sent++;
    this.send({ type: 'upsert', docs });
  }
  replaceAll(docs: SearchDocs): void {
    this.latest = null;
    if (docs.length <= DOCS_PER_PART) {
      this.sent++;
      return this.send({ type: 'all', docs: docs.slice(0, docs.length) });
    }
    // Every part counts as a change the worker must have handled before it answers.
    const parts: (() => SearchRequest)[] = [];
    for (let at = 0; at < docs.length; at += DOCS_PER_PART) {
      const end = at + DOCS_PER_PART;
      parts.push(() =>
        end >= docs.length
          ? { type: 'all', docs: docs.slice(at, end) }
          : { type: 'all', docs: docs.slice(at, end), more: true },
      );
    }
    this.sent += parts.length;
    if (this.queue) {
      this.queue.push(...parts);
      return;
    }
    this.queue = parts;
    void this.handOver();
  }
  remove(ids: string[]): void {
    if (!ids.length) return;
    this.latest = null;
    this.sent++;
    this.send({ type: 'remove', ids });
  }
  query(text: string, limit?: number): Promise<SearchAnswer> {
    if (this.latest?.text === text && this.latest.limit === limit) return this.latest.answer;
    const id = this.nextId++;
    const asked = this.channel?.ask({ id, text, limit }, this.sent, WAIT_MS) ?? 'unasked';
    const answer =
      typeof asked === 'object'
        ? Promise.resolve(asked.answer)
        : new Promise<SearchAnswer>((resolve) => {
            this.waiting.set(id, resolve);
            if (asked === 'unasked') this.send({ type: 'query', id, text, limit });
          });
    this.latest = { text, limit, answer };
    return answer;
  }
  close(): void {
    this.closed = true;
    this.worker.terminate();
    for (const resolve of this.waiting.values()) resolve({ ids: [], terms: [], total: 0 });
    this.waiting.clear();
  }
}

/** Memory to share with the worker, where the page may share memory and wait on it. */
function channelMemory(): SharedArrayBuffer | null {
  const shareable = globalThis.crossOriginIsolated && typeof Atomics.waitAsync === 'function';
  return shareable ? createChannelMemory() : null;
}

export function createSearchBackend(): SearchBackend {
  if (typeof Worker === 'undefined') return new InlineSearch();
  return new WorkerSearch(
    new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }),
    channelMemory(),
  );
}

/** The key under which the search worker keeps a collection's index between sessions. */
export const searchIndexKey = (collectionId: string): string => `collection:${collectionId}`;
