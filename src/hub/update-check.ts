// Checks that a Yjs update decodes before the room applies it. Small updates (every keystroke)
// are checked inline; large ones (a device's first sync of a big collection, or a hostile
// payload) go to a worker thread, so decoding megabytes never stalls the other rooms, and a
// decode that runs too long is cut off by terminating the worker. The worker also refuses a
// large update that builds on changes the room does not have: Yjs would hold it in memory and
// re-read it with every later update (waiting-updates.ts holds only small ones).
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

interface Pending {
  resolve: (problem: string | null) => void;
  timer: NodeJS.Timeout;
}

export class UpdateChecker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /**
   * A decode may take `timeoutMs` plus `msPerMegabyte` for each MiB: decoding is linear in the
   * bytes, and a device's first sync of a 100,000-link collection (about 85 MB) takes longer
   * than any fixed deadline that would still cut off a small hostile update early.
   */
  constructor(
    private readonly inlineBelowBytes = 64 * 1024,
    private readonly timeoutMs = 10_000,
    private readonly msPerMegabyte = 500,
  ) {}

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
    const yjs = createRequire(import.meta.url).resolve('yjs');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs } });
    worker.unref();
    worker.on('message', ({ id, problem }: { id: number; problem: string | null }) => {
      const entry = this.pending.get(id);
      if (!entry) return;
      clearTimeout(entry.timer);
      this.pending.delete(id);
      entry.resolve(problem);
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
