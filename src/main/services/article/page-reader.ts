// Runs the DOM work of snapshots on a worker thread with a deadline. jsdom takes seconds for a
// page of a few megabytes (see bench/article-snapshot.ts), and the main process must keep
// answering the window meanwhile; a page that runs past the deadline has its worker terminated,
// and the next page gets a fresh one.
import type { Worker } from 'node:worker_threads';
import { startServiceWorker } from '../worker-thread';
import { ArticleError, seconds } from './errors';
import type { FinishedArticle, FinishInput, PageInput, PageReading } from './read-page';
import { WORKER_READY, type WorkerReply, type WorkerRequest } from './worker-protocol';

export function startExtractionWorker(): Worker {
  return startServiceWorker(import.meta.url, './extraction-worker.ts', './article-worker.js');
}

export interface PageReaderOptions {
  /** How long one page may take in the worker. */
  timeoutMs?: number;
  /** How long an idle worker is kept before its memory is given back. */
  idleMs?: number;
  /** Starts a worker; tests start ones that misbehave. */
  startWorker?: () => Worker;
}

interface Job {
  request: WorkerRequest;
  transfer: ArrayBuffer[];
  resolve: (value: PageReading | FinishedArticle) => void;
  reject: (error: Error) => void;
}

export const PAGE_READER_DEFAULTS = { timeoutMs: 30_000, idleMs: 30_000 } as const;

export class PageReader {
  private worker: Worker | null = null;
  private ready = false;
  private readonly queue: Job[] = [];
  private running: { job: Job; timer: NodeJS.Timeout } | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 0;
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private readonly startWorker: () => Worker;

  constructor(options: PageReaderOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? PAGE_READER_DEFAULTS.timeoutMs;
    this.idleMs = options.idleMs ?? PAGE_READER_DEFAULTS.idleMs;
    this.startWorker = options.startWorker ?? startExtractionWorker;
  }

  /** Parses the page and finds its article; its bytes are handed over to the worker. */
  read(input: PageInput): Promise<PageReading> {
    const transfer = input.bytes.byteOffset === 0 ? [input.bytes.buffer as ArrayBuffer] : [];
    return this.run({ id: this.nextId++, op: 'read', input }, transfer) as Promise<PageReading>;
  }

  /** Sanitises the article with its captured images and derives its text. */
  finish(input: FinishInput): Promise<FinishedArticle> {
    return this.run({ id: this.nextId++, op: 'finish', input }, []) as Promise<FinishedArticle>;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.fail(new ArticleError('Cancelled', 'Curio is closing; the article was not saved.'));
    await worker?.terminate();
  }

  private run(
    request: WorkerRequest,
    transfer: ArrayBuffer[],
  ): Promise<PageReading | FinishedArticle> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, transfer, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return this.idle();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.ensureWorker();
    worker.ref();
    if (!this.ready) {
      // Loading jsdom takes a while and is no fault of the page: its deadline starts after.
      this.queue.unshift(job);
      return;
    }
    const timer = setTimeout(() => {
      this.restart(
        new ArticleError(
          'TooComplex',
          `Reading the page took longer than ${seconds(this.timeoutMs)}; it is too large or complex to keep offline.`,
        ),
      );
    }, this.timeoutMs);
    this.running = { job, timer };
    worker.postMessage(job.request, job.transfer);
  }

  private idle(): void {
    this.worker?.unref();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const worker = this.worker;
      this.worker = null;
      void worker?.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.startWorker();
    this.ready = false;
    worker.on('message', (reply: WorkerReply | typeof WORKER_READY) => {
      if (reply !== WORKER_READY) return this.settle(reply);
      this.ready = true;
      this.next();
    });
    worker.on('error', (error) => {
      const failure = new ArticleError('TooComplex', `Reading the page failed (${error.message}).`);
      // A worker that cannot even start fails everything waiting, rather than start again.
      if (!this.ready) this.fail(failure);
      this.restart(failure);
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.restart(new ArticleError('TooComplex', 'Reading the page stopped unexpectedly.'));
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const running = this.running;
    if (!running || running.job.request.id !== reply.id) return;
    clearTimeout(running.timer);
    this.running = null;
    if (reply.ok) running.job.resolve(reply.value);
    else running.job.reject(new ArticleError(reply.kind ?? 'TooComplex', reply.message));
    this.next();
  }

  /** Fails the page in progress with `error`, drops its worker, and moves on to the next page. */
  private restart(error: ArticleError): void {
    const running = this.running;
    this.running = null;
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    if (running) {
      clearTimeout(running.timer);
      running.job.reject(error);
    }
    this.next();
  }

  private fail(error: ArticleError): void {
    const jobs = [...(this.running ? [this.running.job] : []), ...this.queue.splice(0)];
    if (this.running) clearTimeout(this.running.timer);
    this.running = null;
    for (const job of jobs) job.reject(error);
  }
}
