// npm run bench [library|scale|hub|hub-join]: builds what each needs, runs the benchmarks, prints
// a Markdown table and writes bench/results/latest.json and bench/results/latest.md. The library
// is measured at 10,000 and at 100,000 links (`scale`: 100,000 only); BENCH_ITEMS picks one size.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { runHubClusterBench } from './hub-cluster';
import { floodResults, runHubFloodsBench } from './hub-floods';
import { runHubJoinBench } from './hub-join';
import { runHubLatencyBench } from './hub-latency';
import { runDocumentSizeBench, runScaleBench } from './scale';
import type { BenchResult } from './support';

const only = process.argv[2];
const results: BenchResult[] = [];

if (!only || only === 'library' || only === 'scale') {
  const sizes = process.env.BENCH_ITEMS
    ? [Number(process.env.BENCH_ITEMS)]
    : only === 'scale'
      ? [100_000]
      : [10_000, 100_000];
  execFileSync('npm', ['run', '--silent', 'build:web', '--', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  for (const items of sizes) results.push(...(await runScaleBench(items)));
  results.push(...runDocumentSizeBench(Number(process.env.BENCH_TOGGLES ?? 1_000_000)));
}

if (only === 'hub-join') results.push(...(await runHubJoinBench()));

if (!only || only === 'hub') {
  results.push(...(await runHubLatencyBench()).results);
  results.push(...floodResults((await runHubFloodsBench()).rows));
  results.push(...(await runHubClusterBench()));
}

const p99 = (r: BenchResult) =>
  'p99' in r && typeof r.p99 === 'number' ? `${r.p99} ${r.unit}` : '–';
const table = [
  '| benchmark | p50 | p95 | p99 | max | target | ok | n |',
  '| --- | ---: | ---: | ---: | ---: | --- | --- | ---: |',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.p50} ${r.unit} | ${r.p95} ${r.unit} | ${p99(r)} | ${r.max.toFixed(2)} ${r.unit} | ${r.target} | ${r.comparison ? '–' : r.pass ? 'yes' : 'NO'} | ${r.samples} |`,
  ),
].join('\n');
console.log(table);
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/latest.json',
  JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n',
);
writeFileSync('bench/results/latest.md', table + '\n');
// Clients, hubs and browsers are closed; a lingering handle must not keep the run alive.
process.exit(0);
