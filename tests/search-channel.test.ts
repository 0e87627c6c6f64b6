// The search channel between two real threads: answers within the asking task when the worker is
// quick, as messages when it is not, and never ahead of index changes still on their way. Whether
// the worker is "quick" is never left to the machine's speed: the window either waits until the
// answer comes or does not wait at all, and a slow or busy worker is held by a gate the test opens.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchAnswer, SearchDoc } from '../src/shared/search';
import { ChannelClient, createChannelMemory } from '../src/shared/search/channel';
import { WorkerSearch } from '../src/renderer/data/search-client';

const threads: Worker[] = [];
afterEach(async () => {
  await Promise.all(threads.splice(0).map((thread) => thread.terminate()));
});

function start(file: string, data: object = {}): Worker {
  const entry = new URL(`./support/${file}`, import.meta.url).href;
  const thread = new Worker(new URL('./support/thread.mjs', import.meta.url), {
    workerData: { ...data, entry },
  });
  threads.push(thread);
  return thread;
}

/** Whether `promise` settles before anything already queued as a task. */
async function settledWithinTask<T>(promise: Promise<T>): Promise<boolean> {
  const later = new Promise<'later'>((resolve) => setImmediate(() => resolve('later')));
  return (await Promise.race([promise.then(() => 'now' as const), later])) === 'now';
}

/** What the channel thread answers for `text`. */
const answered = (text: string) => ({ answer: { ids: [text], terms: [text], total: 1 } });

/** How long the window waits for an answer: until it comes, or not at all. */
const UNTIL_ANSWERED = Infinity;
const NOT_AT_ALL = 0;

describe('ChannelClient with a worker thread', () => {
  async function channel() {
    const memory = createChannelMemory();
    const gate = new Int32Array(new SharedArrayBuffer(4));
    const thread = start('channel-thread.ts', { memory, gate: gate.buffer });
    const posted: Array<{ id: number; answer: SearchAnswer }> = [];
    thread.on('message', (message) => typeof message === 'object' && posted.push(message));
    await once(thread, 'message');
    const openGate = () => {
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
    };
    return { client: new ChannelClient(memory), thread, posted, openGate };
  }

  it('returns the answer the worker gives while the window waits', async () => {
    const { client } = await channel();
    expect(client.ask({ id: 1, text: 'raft' }, 1, UNTIL_ANSWERED)).toEqual(answered('raft'));
    expect(client.ask({ id: 2, text: 'paxos' }, 1, UNTIL_ANSWERED)).toEqual(answered('paxos'));
  });

  it('leaves a slow answer to come as a message, and asks again once it has', async () => {
    const { client, thread, posted, openGate } = await channel();
    expect(client.ask({ id: 7, text: 'slow' }, 1, NOT_AT_ALL)).toBe('pending');
    // The worker is still on the slow query: nothing else can be asked meanwhile.
    expect(client.ask({ id: 8, text: 'raft' }, 1, UNTIL_ANSWERED)).toBe('unasked');
    openGate();
    await once(thread, 'message');
    expect(posted).toEqual([{ id: 7, ...answered('slow') }]);
    expect(client.ask({ id: 9, text: 'raft' }, 1, UNTIL_ANSWERED)).toEqual(answered('raft'));
  });

  it('answers a query the worker was too busy to take before the window stopped waiting', async () => {
    const { client, thread, posted, openGate } = await channel();
    thread.postMessage('hold');
    await once(thread, 'message');
    expect(client.ask({ id: 5, text: 'raft' }, 1, NOT_AT_ALL)).toBe('pending');
    openGate();
    await once(thread, 'message');
    expect(posted).toEqual([{ id: 5, ...answered('raft') }]);
    expect(client.ask({ id: 6, text: 'paxos' }, 1, UNTIL_ANSWERED)).toEqual(answered('paxos'));
  });

  it('sends an answer too large for the channel as a message', async () => {
    const { client, thread, posted } = await channel();
    expect(client.ask({ id: 3, text: 'huge' }, 1, UNTIL_ANSWERED)).toBe('pending');
    await once(thread, 'message');
    expect(posted.map((p) => p.id)).toEqual([3]);
    expect(client.ask({ id: 4, text: 'raft' }, 1, UNTIL_ANSWERED)).toEqual(answered('raft'));
  });

  it('does not ask while index changes sent to the worker are not yet applied', async () => {
    const { client } = await channel();
    expect(client.ask({ id: 1, text: 'raft' }, 2, UNTIL_ANSWERED)).toBe('unasked');
  });
});

describe('WorkerSearch with the app search worker in a thread', () => {
  // WorkerSearch waits a few milliseconds of performance.now() for an answer through the channel.
  // With that clock stopped, the window waits until the worker answers however busy the machine
  // is, which is what the app does whenever the worker is quick.
  beforeEach(() => vi.useFakeTimers({ toFake: ['performance'] }));
  afterEach(() => vi.useRealTimers());

  function search() {
    const thread = start('search-worker-thread.ts');
    const port = {
      postMessage: (message: unknown) => thread.postMessage(message),
      set onmessage(handler: (event: { data: unknown }) => void) {
        thread.on('message', (data: unknown) => handler({ data }));
      },
      terminate: () => void thread.terminate(),
    };
    return new WorkerSearch(port as unknown as globalThis.Worker, createChannelMemory());
  }
  const doc = (id: string, title: string): SearchDoc => ({ id, title, tags: '', text: '' });

  it('answers within the asking task once the worker has caught up', async () => {
    const library = search();
    library.upsert([doc('a', 'Gossip protocols'), doc('b', 'Raft consensus')]);
    // Asked before the worker has indexed: the query waits its turn behind the index change.
    const first = library.query('gossip');
    expect((await first).ids).toEqual(['a']);
    const second = library.query('raft');
    expect(await settledWithinTask(second)).toBe(true);
    expect((await second).ids).toEqual(['b']);
  });

  it('never answers ahead of an index change sent before the query', async () => {
    const library = search();
    library.upsert([doc('a', 'Gossip protocols')]);
    await library.query('gossip');
    for (let i = 0; i < 20; i++) {
      library.upsert([doc(`n${i}`, `Gossip round ${i}`)]);
      expect((await library.query('gossip')).ids).toContain(`n${i}`);
      library.remove([`n${i}`]);
      expect((await library.query('gossip')).ids).not.toContain(`n${i}`);
    }
  });
});
