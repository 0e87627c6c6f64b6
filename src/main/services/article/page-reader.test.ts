import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ArticleError } from './errors';
import { PageReader } from './page-reader';

/** A worker that never answers and never yields: a page that would take jsdom forever. */
const spinning = () =>
  new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', () => { for (;;) {} });
     parentPort.postMessage('ready');`,
    { eval: true },
  );

/** A worker that answers every page at once, so recovery is tested apart from jsdom's speed. */
const answering = () =>
  new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', ({ id }) => parentPort.postMessage({ id, ok: true, value: { title: 'A' } }));
     parentPort.postMessage('ready');`,
    { eval: true },
  );

const page = (html: string) => ({
  bytes: new TextEncoder().encode(html),
  url: 'https://blog.example.org/post',
  contentType: 'text/html; charset=utf-8',
  contentLanguage: null,
});

const ARTICLE = `<!doctype html><title>A</title><article><p>${'Quorums intersect, so a read sees the latest write. '.repeat(30)}</p></article>`;

const readers: PageReader[] = [];
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.close()));
});

describe('PageReader', () => {
  it('ends a page that runs past the deadline and reads the next one on a fresh worker', async () => {
    let started = 0;
    const reader = new PageReader({
      timeoutMs: 200,
      startWorker: () => (started++ === 0 ? spinning() : answering()),
    });
    readers.push(reader);
    const stuck = reader.read(page(ARTICLE));
    const next = reader.read(page(ARTICLE));
    // The main thread keeps running while the worker spins.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const error = await stuck.then(
      () => undefined,
      (e: unknown) => e,
    );
    clearInterval(ticker);
    expect(error).toBeInstanceOf(ArticleError);
    expect((error as ArticleError).name).toBe('ArticleTooComplex');
    expect((error as ArticleError).message).toBe(
      'Reading the page took longer than 0.2 s; it is too large or complex to keep offline.',
    );
    expect(ticks).toBeGreaterThan(0);
    expect((await next).title).toBe('A');
    expect(started).toBe(2);
  });

  it('starts a page’s deadline once the worker has loaded, not before', async () => {
    // Loading takes longer than the deadline; the page itself is answered at once.
    const slowToLoad = () =>
      new Worker(
        `const { parentPort } = require('node:worker_threads');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
         parentPort.on('message', ({ id }) => parentPort.postMessage({ id, ok: true, value: { title: 'A' } }));
         parentPort.postMessage('ready');`,
        { eval: true },
      );
    const reader = new PageReader({ timeoutMs: 200, startWorker: slowToLoad });
    readers.push(reader);
    expect((await reader.read(page(ARTICLE))).title).toBe('A');
  });

  it('keeps the kind of a failure raised on the worker', async () => {
    const reader = new PageReader();
    readers.push(reader);
    const error = await reader.read(page('<title>Empty</title>')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArticleError);
    expect((error as ArticleError).kind).toBe('NotAnArticle');
  });

  it('fails what is waiting when it closes', async () => {
    const reader = new PageReader({ startWorker: spinning });
    const failed = expect(reader.read(page(ARTICLE))).rejects.toMatchObject({
      name: 'ArticleCancelled',
    });
    await reader.close();
    await failed;
  });
});
