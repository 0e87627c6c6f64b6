// npx tsx bench/article-snapshot.ts: how long keeping a typical 5,000-word article takes once its
// bytes are here (fetch excluded): Readability and DOMPurify on the extraction worker, plus its
// three pictures re-encoded for the reader; and what a 5 MB page costs the worker, which is why
// that work is not on the main thread. Prints a Markdown table, writes
// bench/results/article-snapshot.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { keepWithinCaps } from '../src/main/services/article/images';
import { PageReader } from '../src/main/services/article/page-reader';
import { percentile, type BenchResult } from './support';

const RUNS = 20;
const WARMUP = 3;
const BIG_PAGE_RUNS = 3;
const FIXTURES = 'e2e/fixtures/pages/articles/';
const URL_BASE = 'https://notes.example.org/posts/raft';

const post = readFileSync(`${FIXTURES}long-post.html`, 'utf8');
const images = ['cluster-diagram.png', 'terms-1920.png', 'datacentre.jpg'].map((name) => ({
  url: `https://notes.example.org/posts/images/${name}`,
  sourceUrl: `https://notes.example.org/posts/images/${name}`,
  bytes: readFileSync(`${FIXTURES}images/${name}`),
}));

/** The long-post fixture with its prose sections repeated until the article has `words` words. */
function articleOf(words: number): string {
  const start = post.indexOf('<h2>Terms and elections</h2>');
  const end = post.indexOf('<h2>Further reading</h2>');
  const sections = post.slice(start, end);
  const perCopy = sections
    .replace(/<[^>]+>/g, ' ')
    .split(/\s+/)
    .filter(Boolean).length;
  const copies = Math.ceil(words / perCopy);
  return post.slice(0, start) + sections.repeat(copies) + post.slice(end);
}

function pageInput(html: string) {
  return {
    bytes: new TextEncoder().encode(html),
    url: URL_BASE,
    contentType: 'text/html; charset=utf-8',
    contentLanguage: null,
  };
}

function result(name: string, samples: number[], target: string, limit: number): BenchResult {
  const p95 = percentile(samples, 95);
  return {
    name,
    unit: 'ms',
    p50: percentile(samples, 50),
    p95,
    max: Math.max(...samples),
    target,
    pass: p95 <= limit,
    samples: samples.length,
  };
}

export async function runArticleBench(): Promise<BenchResult[]> {
  const reader = new PageReader({ timeoutMs: 120_000 });
  const html = articleOf(5_000);
  const total: number[] = [];
  const dom: number[] = [];
  const pictures: number[] = [];
  let wordCount = 0;
  try {
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const started = performance.now();
      const page = await reader.read(pageInput(html));
      const read = performance.now();
      const kept = await keepWithinCaps(images);
      const encoded = performance.now();
      const finished = await reader.finish({
        content: page.content,
        url: URL_BASE,
        lang: page.lang,
        images: kept.map(({ url, width, height }) => ({ url, width, height })),
      });
      const done = performance.now();
      if (kept.length !== images.length) throw new Error('an image was not kept');
      wordCount = finished.wordCount;
      if (run < WARMUP) continue;
      total.push(done - started);
      dom.push(read - started + (done - encoded));
      pictures.push(encoded - read);
    }
    const big = articleOf(5_000).replace(
      '</main>',
      `<section>${'<p>Filler paragraph of a page that ships far too much markup. </p>'.repeat(80_000)}</section></main>`,
    );
    const bigSamples: number[] = [];
    for (let run = 0; run < BIG_PAGE_RUNS; run++) {
      const started = performance.now();
      await reader.read(pageInput(big));
      bigSamples.push(performance.now() - started);
    }
    console.log(
      `article: ${wordCount} words, ${(html.length / 1024).toFixed(0)} kB of HTML; ` +
        `big page: ${(big.length / 1024 / 1024).toFixed(1)} MB`,
    );
    return [
      result('article snapshot, 5,000 words + 3 images (fetch excluded)', total, '< 1000 ms', 1000),
      result('  of which Readability + DOMPurify on the worker', dom, '< 500 ms', 500),
      result('  of which 3 images re-encoded (sharp)', pictures, '< 500 ms', 500),
      result(
        '5 MB page read on the worker (off the main thread)',
        bigSamples,
        '< 30 s deadline',
        30_000,
      ),
    ];
  } finally {
    await reader.close();
  }
}

const results = await runArticleBench();
const table = [
  '| benchmark | p50 | p95 | max | target | ok | n |',
  '| --- | ---: | ---: | ---: | --- | --- | ---: |',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.p50} ${r.unit} | ${r.p95} ${r.unit} | ${r.max.toFixed(1)} ${r.unit} | ${r.target} | ${r.pass ? 'yes' : 'NO'} | ${r.samples} |`,
  ),
].join('\n');
console.log(table);
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/article-snapshot.json',
  JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n',
);
