// Checks that a Yjs update decodes before the room applies it. Small updates (every keystroke)
// are checked inline; large ones (a device's first sync of a big collection, or a hostile
// payload) go to a worker thread, so decoding megabytes never stalls the other rooms, and a
// decode that runs too long is cut off by terminating the worker. The worker also refuses a
// large update that builds on changes the room does not have: Yjs would hold it in memory and
// re-read it with every later update (waiting-updates.ts holds only small ones). A worker that
// has decoded a very large update is let go once it has nothing left to check: its heap grew to
// hold every struct of that update, and stays that size while the thread sits idle.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { checkUpdate, ProtocolError } from './protocol';

/**
 * The worker is plain JavaScript so it runs the same under tsx, vitest and a build. A gap: a
 * client's first change in the update comes after the room's last one of that client, or the
 * update itself skips over changes (a Skip struct).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
function gapIn(structs, have) {
  const first = new Map();
  for (const struct of structs) {
    if (struct instanceof Y.Skip) return 'it skips over changes it does not hold';
    const { client, clock } = struct.id;
    if (!first.has(client)) first.set(client, clock);
  }
  for (const [client, clock] of first) {
    const known = have.get(client) || 0;
    if (clock > known) return 'it builds on changes ' + known + '-' + (clock - 1) + ' of client ' + client + ', which the hub does not have';
  }
  return null;
}
parentPort.on('message', ({ id, update, stateVector }) => {
  let problem = null;
  try {
    const { structs } = Y.decodeUpdate(update);
    const gap = gapIn(structs, Y.decodeStateVector(stateVector));
    if (gap) problem = 'an update of ' + update.length + ' bytes is refused: ' + gap;
  } catch (error) {
    problem = 'the Yjs update does not decode: ' + String((error && error.message) || error);
  }
  parentPort.postMessage({ id, problem });
});
`;

/** The default size of update after which the worker is let go (CheckerOptions.releaseFromBytes). */
export const RELEASE_FROM_BYTES = 8 * 1024 * 1024;

interface Pending {
  resolve: (problem: string | null) => void;
  timer: NodeJS.Timeout;
}

export interface CheckerOptions {
  /** Updates smaller than this are checked inline. */
  inlineBelowBytes?: number;
  /**
   * A decode may take `timeoutMs` plus `msPerMegabyte` for each MiB: decoding is linear in the
   * bytes, and a device's first sync of a 100,000-link collection (about 85 MB) takes longer
   * than any fixed deadline that would still cut off a small hostile update early.
   */
  timeoutMs?: number;
  msPerMegabyte?: number;
  /** After an update this large, the worker is let go as soon as it has nothing to check. */
  releaseFromBytes?: number;
  /** Told how many worker threads are alive (one that was let go counts until it exits). */
  onThreads?: (alive: number) => void;
}

export class UpdateChecker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Set once the current worker is sent an update of `releaseFromBytes` or more. */
  private release = false;
  /** Worker threads alive, counting one that was let go until it has exited. */
  private alive = 0;
  private readonly inlineBelowBytes: number;
  private readonly timeoutMs: number;
  private readonly msPerMegabyte: number;
  private readonly releaseFromBytes: number;
  private readonly onThreads: (alive: number) => void;

  constructor(options: CheckerOptions = {}) {
    this.inlineBelowBytes = options.inlineBelowBytes ?? 64 * 1024;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.msPerMegabyte = options.msPerMegabyte ?? 500;
    this.releaseFromBytes = options.releaseFromBytes ?? RELEASE_FROM_BYTES;
    this.onThreads = options.onThreads ?? (() => {});
  }

  /**
   * Resolves to null when the update decodes (and, when large, holds no gap against the room's
   * `stateVector`), else to what is wrong with it.
   */
  check(update: Uint8Array, stateVector: Uint8Array): Promise<string | null> {
    if (update.length < this.inlineBelowBytes) {
      try {
        checkUpdate(update);
        return Promise.resolve(null);
      } catch (error) {
        return Promise.resolve(error instanceof ProtocolError ? error.message : String(error));
      }
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const deadline = Math.round(
      this.timeoutMs + (update.length / (1024 * 1024)) * this.msPerMegabyte,
    );
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.restart(`decoding took longer than ${deadline} ms`);
      }, deadline);
      this.pending.set(id, { resolve, timer });
      if (update.length >= this.releaseFromBytes) this.release = true;
      worker.postMessage({ id, update, stateVector });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.restart('the hub is stopping');
    await worker?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    this.release = false;
    const yjs = createRequire(import.meta.url).resolve('yjs');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs } });
    worker.unref();
    this.onThreads(++this.alive);
    worker.once('exit', () => this.onThreads(--this.alive));
    worker.on('message', ({ id, problem }: { id: number; problem: string | null }) => {
      const entry = this.pending.get(id);
      if (!entry) return;
      clearTimeout(entry.timer);
      this.pending.delete(id);
      entry.resolve(problem);
      if (this.release && this.pending.size === 0 && this.worker === worker) {
        this.worker = null;
        void worker.terminate();
      }
    });
    worker.on('error', (error) => this.restart(`the checker failed: ${error.message}`));
    this.worker = worker;
    return worker;
  }

  /** Fails everything in flight and drops the worker; the next large update starts a new one. */
  private restart(reason: string): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    for (const { resolve, timer } of this.pending.values()) {
      clearTimeout(timer);
      resolve(reason);
    }
    this.pending.clear();
  }
}
