// npx tsx bench/web-api-hostile.ts: how much server time web mode's API spends on a hostile body,
// here 10 MB of arrays nested 5,000,000 deep, next to an ordinary call. It runs the server in
// this process, so the CPU time it reports is the server's (and the client's few writes).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeDesktopApi } from '../src/main/services/desktop-api';
import { startWebServer } from '../src/web/server';

const DEPTH = 5_000_000;
const ROUNDS = 3;

const dir = mkdtempSync(join(tmpdir(), 'curio-bench-web-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bench</title>');
const web = await startWebServer({
  staticDir: dir,
  port: 0,
  api: createNodeDesktopApi({ mode: 'web', version: 'bench' }),
  log: () => undefined,
});

async function call(method: string, body: string): Promise<{ status: number; ms: number }> {
  const cpu = process.cpuUsage();
  const response = await fetch(new URL(`api/${method}`, web.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${web.token}`,
      origin: web.url.replace(/\/$/, ''),
    },
    body,
  });
  await response.arrayBuffer();
  const used = process.cpuUsage(cpu);
  return { status: response.status, ms: Math.round((used.user + used.system) / 1000) };
}

const nested = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const rows: string[] = [];
for (const [name, method, body] of [
  ['appInfo, an ordinary call', 'appInfo', '[]'],
  [
    `${(nested.length / 1e6).toFixed(0)} MB of arrays ${DEPTH.toLocaleString('en')} deep`,
    'unfurl',
    nested,
  ],
] as const) {
  const runs: Array<{ status: number; ms: number }> = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await call(method, body));
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  rows.push(
    `| ${name} | ${runs[0]!.status} | ${ms[Math.floor(ms.length / 2)]} ms | ${ms.at(-1)} ms |`,
  );
}
console.log('| request | status | CPU, median | CPU, max |\n| --- | ---: | ---: | ---: |');
console.log(rows.join('\n'));
await web.close();
rmSync(dir, { recursive: true, force: true });
