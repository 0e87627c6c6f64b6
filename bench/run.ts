// npm run bench [library|hub|scale|hub-join]: builds what each needs, runs the benchmarks, prints
// a Markdown table and writes bench/results/latest.json and bench/results/latest.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { runHubClusterBench } from './hub-cluster';
import { floodResults, runHubFloodsBench } from './hub-floods';
import { runHubJoinBench } from './hub-join';
import { runHubLatencyBench } from './hub-latency';
import { runLibraryBench } from './library';
import { runScaleBench } from './scale';
import type { BenchResult } from './support';

const only = process.argv[2];
const results: BenchResult[] = [];

if (!only || only === 'library') {
  execFileSync('npm', ['run', '--silent', 'build:web', '--', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  results.push(...(await runLibraryBench()));
}

if (only === 'scale') {
  execFileSync('npm', ['run', '--silent', 'build:web', '--', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  results.push(...(await runScaleBench()));
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
      `| ${r.name} | ${r.p50} ${r.unit} | ${r.p95} ${r.unit} | ${p99(r)} | ${r.max.toFixed(2)} ${r.unit} | ${r.target} | ${r.pass ? 'yes' : 'NO'} | ${r.samples} |`,
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
