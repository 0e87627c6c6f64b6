// What the benchmarks share: starting web mode as `npm run web` does, the system Chromium, and
// percentiles.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface BenchResult {
  name: string;
  unit: string;
  p50: number;
  p95: number;
  max: number;
  target: string;
  pass: boolean;
  samples: number;
  /** A comparison with no goal of its own: shown without pass or fail. */
  comparison?: true;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] ?? NaN) * 100) / 100;
}

/** One figure's samples summed up, against its goal. */
export function benchResult(
  name: string,
  unit: string,
  values: number[],
  target: string,
  pass: (v: number[]) => boolean,
): BenchResult & { p99: number } {
  return {
    name,
    unit,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
    target,
    pass: pass(values),
    samples: values.length,
  };
}

export function systemChromium(): string | undefined {
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

/** Starts web mode on a free port with a fresh data folder; the renderer must already be built. */
export async function startWebMode(): Promise<{ url: string; stop: () => Promise<void> }> {
  const data = mkdtempSync(join(tmpdir(), 'curio-bench-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/web/cli.ts', '--port', '0', '--data', data],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const first = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', done);
    void exited.then(() => fail(new Error('web mode exited before printing its URL')));
  });
  const url = /https?:\/\/\S+/.exec(first)?.[0];
  if (!url) throw new Error(`unexpected first line from web mode: ${first}`);
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(data, { recursive: true, force: true });
    },
  };
}
