// npx tsx bench/import-parse.ts [count]: how long parseImport takes on a Netscape bookmark file of
// `count` links (100,000 by default) in nested folders, and on a Pocket CSV of the same size.
import { performance } from 'node:perf_hooks';
import { parseImport } from '../src/shared/import';
import { netscapeFile, pocketCsv } from './bookmark-files';

const count = Number(process.argv[2] ?? 100_000);

async function measure(name: string, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  const runs: number[] = [];
  let items = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const result = await parseImport({ bytes, name }, { yieldControl: () => Promise.resolve() });
    runs.push(performance.now() - start);
    items = result.items.length;
  }
  const best = Math.min(...runs);
  console.log(
    `${name}: ${items.toLocaleString('en')} links, ${(bytes.length / 1e6).toFixed(1)} MB, best of 3 ${best.toFixed(0)} ms (runs: ${runs.map((r) => r.toFixed(0)).join(', ')} ms)`,
  );
}

await measure('bookmarks.html', netscapeFile(count));
await measure('pocket.csv', pocketCsv(count));
