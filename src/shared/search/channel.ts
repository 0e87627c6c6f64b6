// A way for the window to get a search answer from the search worker within the keystroke's own
// task. Chromium runs none of a page's queued tasks between a key press and the next frame, so an
// answer posted back by the worker always renders a frame after the typed letter. Through shared
// memory the window can instead hand the worker a query and wait a few milliseconds for the
// answer: the worker still does the work, with the index only it holds.
//
// The memory is an Int32 header and a payload area. The window writes a query only while the
// channel is idle, and the worker writes an answer only while a query is asked, so the two never
// write the payload at once. When the window stops waiting it marks the query abandoned, and the
// worker then posts that answer as an ordinary message.
import type { SearchAnswer } from './index';

const STATE = 0;
/** Counts queries asked; the worker sleeps on it. */
const ASKED = 1;
/** How many of the window's messages the worker has handled: the channel, then index changes. */
const APPLIED = 2;
const LENGTH = 3;
const HEADER_BYTES = 16;

const IDLE = 0;
const QUERY = 1;
const ANSWERED = 2;
const ABANDONED = 3;
/** The answer did not fit the payload area; it comes as a message. */
const DECLINED = 4;

/** Payload room for one query or answer: 500 ids and a long prefix's words fit many times over. */
export const CHANNEL_PAYLOAD_BYTES = 1 << 20;

export function createChannelMemory(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + CHANNEL_PAYLOAD_BYTES);
}

export interface ChannelQuery {
  /** Names the answer if it comes as a message instead. */
  id: number;
  text: string;
  limit?: number;
}

/**
 * What asking gave: the answer; `pending` when the worker took the query but did not answer in
 * time, so it will post the answer for the query's id; `unasked` when the worker was busy or had
 * not yet applied every index change sent to it, so the query must go as a message, in order.
 */
export type AskResult = { answer: SearchAnswer } | 'pending' | 'unasked';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function views(memory: SharedArrayBuffer): { header: Int32Array; payload: Uint8Array } {
  return { header: new Int32Array(memory, 0, 4), payload: new Uint8Array(memory, HEADER_BYTES) };
}

function read<T>(header: Int32Array, payload: Uint8Array): T {
  // TextDecoder does not read shared memory directly.
  return JSON.parse(decoder.decode(payload.slice(0, Atomics.load(header, LENGTH)))) as T;
}

/** Writes `value` if it fits, and says whether it did. */
function write(header: Int32Array, payload: Uint8Array, value: unknown): boolean {
  const bytes = encoder.encode(JSON.stringify(value));
  if (bytes.length > payload.length) return false;
  payload.set(bytes);
  Atomics.store(header, LENGTH, bytes.length);
  return true;
}

/** The window's end. */
export class ChannelClient {
  private readonly header: Int32Array;
  private readonly payload: Uint8Array;

  constructor(memory: SharedArrayBuffer) {
    ({ header: this.header, payload: this.payload } = views(memory));
  }

  /**
   * Asks the worker and waits up to `waitMs` for the answer. `sent` counts the channel and the
   * index changes sent to the worker: until it has handled them all, it is not listening yet, or
   * its answer could miss a change.
   */
  ask(query: ChannelQuery, sent: number, waitMs: number): AskResult {
    const { header, payload } = this;
    if (Atomics.load(header, STATE) !== IDLE) return 'unasked';
    if (Atomics.load(header, APPLIED) !== sent) return 'unasked';
    if (!write(header, payload, query)) return 'unasked';
    Atomics.store(header, STATE, QUERY);
    Atomics.add(header, ASKED, 1);
    Atomics.notify(header, ASKED);
    // The main thread may not block on Atomics.wait, so it watches the state until the deadline.
    const deadline = performance.now() + waitMs;
    let state = Atomics.load(header, STATE);
    while (state === QUERY && performance.now() < deadline) state = Atomics.load(header, STATE);
    if (state === QUERY) state = Atomics.compareExchange(header, STATE, QUERY, ABANDONED);
    if (state === QUERY) return 'pending';
    if (state === DECLINED) {
      Atomics.store(header, STATE, IDLE);
      return 'pending';
    }
    const answer = read<SearchAnswer>(header, payload);
    Atomics.store(header, STATE, IDLE);
    return { answer };
  }
}

/** The worker's end. */
export class ChannelServer {
  private readonly header: Int32Array;
  private readonly payload: Uint8Array;
  private seen: number;

  constructor(
    memory: SharedArrayBuffer,
    private readonly answer: (query: ChannelQuery) => SearchAnswer,
    /** Sends an answer the window stopped waiting for, or that did not fit, as a message. */
    private readonly post: (id: number, answer: SearchAnswer) => void,
  ) {
    ({ header: this.header, payload: this.payload } = views(memory));
    this.seen = Atomics.load(this.header, ASKED);
    this.sleep();
    // The window asks nothing before the worker has taken the channel.
    this.applied();
  }

  /** Counts a change to the index as applied; call it after applying each one the window sent. */
  applied(): void {
    Atomics.add(this.header, APPLIED, 1);
  }

  private sleep(): void {
    const waiting = Atomics.waitAsync(this.header, ASKED, this.seen);
    if (waiting.async) void waiting.value.then(() => this.wake());
    else queueMicrotask(() => this.wake());
  }

  private wake(): void {
    const { header, payload } = this;
    this.seen = Atomics.load(header, ASKED);
    const state = Atomics.load(header, STATE);
    // A query the window stopped waiting for is still this worker's to answer, even if it was
    // busy with something else the whole time.
    if (state === QUERY || state === ABANDONED) {
      const query = read<ChannelQuery>(header, payload);
      const answer = this.answer(query);
      // The window does not touch the payload until the state is idle again.
      const fits = write(header, payload, answer);
      const was = Atomics.compareExchange(header, STATE, QUERY, fits ? ANSWERED : DECLINED);
      if (was !== QUERY) Atomics.store(header, STATE, IDLE);
      if (was !== QUERY || !fits) this.post(query.id, answer);
    }
    this.sleep();
  }
}
