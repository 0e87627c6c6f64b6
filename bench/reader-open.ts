// npx tsx bench/reader-open.ts: in real Chromium against web mode, with an article kept through
// the real pipeline (the long-post fixture: about 1,900 words and three pictures), how long the
// reader takes from pressing Read to the article's text painted, and what 1,000 such articles
// take in the browser's storage. Writes bench/results/reader-open.json. Needs `npm run build:web`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startFixtureServer } from '../e2e/fixtures/server';
import { openCollectionDb } from '../e2e/support/collection-db';
import { percentile, startWebMode, systemChromium, type BenchResult } from './support';

const RUNS = 30;
const COPIES = 1000;

const web = await startWebMode();
const pages = await startFixtureServer();
const browser = await chromium.launch({
  executablePath: systemChromium(),
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  // tsx keeps function names with a helper the page does not have.
  await page.addInitScript('globalThis.__name = (f) => f');
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Add link' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add link' });
  await dialog.getByLabel('URL').fill(pages.at('/articles/long-post.html'));
  await dialog.getByLabel('Title').fill('How Raft Keeps a Log Consistent');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('row', { name: /^How Raft Keeps/ }).click();
  const details = page.getByRole('region', { name: 'Details' });
  await details.getByText(/Saved for offline/).waitFor({ timeout: 60_000 });
  const read = details.getByRole('button', { name: 'Read', exact: true });

  // Read pressed → the article's words painted: measured in the page, to the frame after the
  // text is in the reader's document.
  const samples: number[] = [];
  for (let run = 0; run < RUNS + 3; run++) {
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const button = [...document.querySelectorAll('button')].find(
            (b) => b.textContent === 'Read',
          )!;
          const start = performance.now();
          button.click();
          const look = () => {
            const frame = document.querySelector<HTMLIFrameElement>('iframe[title="Article text"]');
            const body = frame?.contentDocument?.getElementById('curio-article-body');
            if (body?.textContent) requestAnimationFrame(() => resolve(performance.now() - start));
            else requestAnimationFrame(look);
          };
          requestAnimationFrame(look);
        }),
    );
    if (run >= 3) samples.push(ms);
    await read.click();
    await page.getByRole('region', { name: 'Article' }).waitFor({ state: 'detached' });
  }

  // Storage: the kept article copied 1,000 times under other ids, as the snapshot store writes it.
  const handle = await openCollectionDb(page);
  const storage = await page.evaluate(
    async ({ handle: { db, request }, copies }) => {
      const read = db.transaction(['snapshots', 'articleBodies', 'articleImages']);
      const [meta] = (await request(read.objectStore('snapshots').getAll())) as Array<
        Record<string, unknown>
      >;
      const [body] = (await request(read.objectStore('articleBodies').getAll())) as Array<
        Record<string, unknown>
      >;
      const images = (await request(read.objectStore('articleImages').getAll())) as Array<
        Record<string, unknown>
      >;
      const before = (await navigator.storage.estimate()).usage ?? 0;
      for (let i = 0; i < copies; i += 50) {
        const tx = db.transaction(['snapshots', 'articleBodies', 'articleImages'], 'readwrite');
        for (let j = i; j < Math.min(copies, i + 50); j++) {
          const id = `copy${j}`;
          tx.objectStore('snapshots').put({ ...meta, id });
          tx.objectStore('articleBodies').put({ ...body, id });
          for (const image of images) tx.objectStore('articleImages').put({ ...image, id });
        }
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
      }
      const after = (await navigator.storage.estimate()).usage ?? 0;
      db.close();
      return {
        perArticleBytes: meta!.bytes as number,
        words: meta!.wordCount as number,
        images: images.length,
        estimatedDelta: after - before,
      };
    },
    { handle, copies: COPIES },
  );

  const results: BenchResult[] = [
    {
      name: `reader: Read pressed → article text painted (${storage.words} words, ${storage.images} pictures)`,
      unit: 'ms',
      p50: percentile(samples, 50),
      p95: percentile(samples, 95),
      max: Math.max(...samples),
      target: '< 200 ms',
      pass: percentile(samples, 95) < 200,
      samples: samples.length,
    },
  ];
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    [
      '| benchmark | p50 | p95 | max | target | ok | n |',
      '| --- | ---: | ---: | ---: | --- | --- | ---: |',
      ...results.map(
        (r) =>
          `| ${r.name} | ${r.p50} ${r.unit} | ${r.p95} ${r.unit} | ${r.max.toFixed(2)} ${r.unit} | ${r.target} | ${r.pass ? 'yes' : 'NO'} | ${r.samples} |`,
      ),
    ].join('\n'),
  );
  console.log(
    `storage for ${COPIES} such articles: ${mb(storage.perArticleBytes * COPIES)} of text and pictures; ` +
      `the browser's estimate grew by ${mb(storage.estimatedDelta)}`,
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/reader-open.json',
    JSON.stringify({ date: new Date().toISOString(), storage, results }, null, 2) + '\n',
  );
} finally {
  await browser.close();
  await pages.close();
  await web.stop();
}
process.exit(0);
