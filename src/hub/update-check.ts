// Checks that a Yjs update decodes before the room applies it. Small updates (every keystroke)
// are checked inline; large ones (a device's first sync of a big collection, or a hostile
// payload) go to a worker thread, so decoding megabytes never stalls the other rooms, and a
// decode that runs too long is cut off by terminating the worker.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { checkUpdate, ProtocolError } from './protocol';

/** The worker is plain JavaScript so it runs the same under tsx, vitest and a build. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
parentPort.on('message', ({ id, update }) => {
  let problem = null;
  try { Y.decodeUpdate(update); } catch (error) { problem = String((error && error.message) || error); }
  parentPort.postMessage({ id, problem });
});
`;

interface Pending {
  resolve: (problem: string | null) => void;
  timer: NodeJS.Timeout;
}

export class UpdateChecker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(
    private readonly inlineBelowBytes = 64 * 1024,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Resolves to null when the update decodes, else to what is wrong with it. */
  check(update: Uint8Array): Promise<string | null> {
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
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.restart(`decoding took longer than ${this.timeoutMs} ms`);
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer });
      worker.postMessage({ id, update });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.restart('the hub is stopping');
    await worker?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const yjs = createRequire(import.meta.url).resolve('yjs');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs } });
    worker.unref();
    worker.on('message', ({ id, problem }: { id: number; problem: string | null }) => {
      const entry = this.pending.get(id);
      if (!entry) return;
      clearTimeout(entry.timer);
      this.pending.delete(id);
      entry.resolve(problem === null ? null : `the Yjs update does not decode: ${problem}`);
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
