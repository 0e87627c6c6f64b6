// npx tsx bench/reader-search.ts: search-as-you-type over the article index with the text of
// 10,000 kept articles (BENCH_ARTICLES, BENCH_WORDS words each) and a highlight on every tenth:
// how long the index takes to fill, what it holds in memory, and what one keystroke's query costs
// (the article index answers in its own worker, beside the library's index, whose keystroke path
// `npm run bench library` measures). Writes bench/results/reader-search.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { ArticleIndex } from '../src/shared/search/articles';
import { zipfWords } from '../e2e/support/corpus';
import { percentile, type BenchResult } from './support';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
const WORDS = Number(process.env.BENCH_WORDS ?? 1_200);
const { words, word } = zipfWords(7);

function paragraph(n: number): string {
  return Array.from({ length: n }, word).join(' ') + '.';
}

const heapBefore = process.memoryUsage().heapUsed;
const index = new ArticleIndex();
const fillStart = performance.now();
const BATCH = 25;
for (let i = 0; i < ARTICLES; i += BATCH) {
  const docs = [];
  for (let j = i; j < Math.min(ARTICLES, i + BATCH); j++) {
    const paragraphs = [];
    for (let w = 0; w < WORDS; w += 60) paragraphs.push(paragraph(Math.min(60, WORDS - w)));
    docs.push({
      id: `item${j}`,
      article: paragraphs.join('\n\n'),
      highlights: j % 10 === 0 ? paragraph(20) : '',
    });
  }
  index.upsert(docs);
}
const fillMs = performance.now() - fillStart;
globalThis.gc?.();
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

// Keystrokes as typing makes them: every prefix of words from across the frequency ranks.
const typed = [words[40]!, words[400]!, words[4000]!, 'replication', 'consensus', words[15000]!];
const samples: number[] = [];
for (let round = 0; round < 3; round++) {
  for (const target of typed) {
    for (let n = 2; n <= target.length; n++) {
      const start = performance.now();
      index.query(target.slice(0, n));
      if (round > 0) samples.push(performance.now() - start);
    }
  }
}

const results: BenchResult[] = [
  {
    name: `article index: one keystroke's query (${ARTICLES} articles of ${WORDS} words)`,
    unit: 'ms',
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: Math.max(...samples),
    target: '< 50 ms, off the main thread',
    pass: percentile(samples, 95) < 50,
    samples: samples.length,
  },
];
const table = [
  '| benchmark | p50 | p95 | max | target | ok | n |',
  '| --- | ---: | ---: | ---: | --- | --- | ---: |',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.p50} ${r.unit} | ${r.p95} ${r.unit} | ${r.max.toFixed(2)} ${r.unit} | ${r.target} | ${r.pass ? 'yes' : 'NO'} | ${r.samples} |`,
  ),
].join('\n');
console.log(table);
console.log(
  `filling the index: ${(fillMs / 1000).toFixed(1)} s; heap held by it: ${heapMb.toFixed(0)} MB`,
);
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/reader-search.json',
  JSON.stringify({ date: new Date().toISOString(), fillMs, heapMb, results }, null, 2) + '\n',
);
