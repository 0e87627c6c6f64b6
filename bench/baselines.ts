// What the library's figures are held against, measured in the same browser and run: a page of
// the same origin without the app that reads the first 50 rows of the view the app opens on with
// Dexie alone, and a bare MiniSearch index (the app's own options) over the same documents in
// the app's own page, asked the same queries as the keystrokes.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import type { BrowserContext, Page } from '@playwright/test';
import type { ItemRow } from '../src/shared/model';
import { MIN_QUERY_LENGTH, toSearchDoc } from '../src/shared/search';

/**
 * Opens the current collection with Dexie as it is stored (no schema of its own) and reads the
 * newest 50 unread rows by the index the app reads its first screen from, as the page loads.
 */
const BARE_FIRST_ROWS = `
(async () => {
  const app = await new Dexie('curio').open();
  const current = await app.table('settings').get('currentCollection');
  const db = await new Dexie('curio-collection-' + current.value).open();
  const rows = await db
    .table('items')
    .where('[status+addedAt]')
    .between(['unread', Dexie.minKey], ['unread', Dexie.maxKey])
    .reverse()
    .limit(50)
    .toArray();
  window.__bareRead = { ms: performance.now(), rows: rows.length };
})();
`;

/** Page load → the first 50 rows read with Dexie alone, `runs` times, each a fresh load. */
export async function bareFirstRows(
  context: BrowserContext,
  origin: string,
  runs: number,
): Promise<number[]> {
  const dexie = readFileSync('node_modules/dexie/dist/dexie.min.js', 'utf8');
  const html = `<!doctype html><title>bare Dexie</title><script>${dexie}</script><script>${BARE_FIRST_ROWS}</script>`;
  const page = await context.newPage();
  await page.route('**/bare-first-rows', (route) =>
    route.fulfill({ contentType: 'text/html', body: html }),
  );
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      await page.goto(new URL('bare-first-rows', origin).href);
      const read = await page.waitForFunction(
        () => (window as unknown as { __bareRead?: { ms: number; rows: number } }).__bareRead,
      );
      const { ms, rows } = (await read.jsonValue()) as { ms: number; rows: number };
      if (rows === 0) throw new Error('the bare read found no rows: is the collection seeded?');
      times.push(ms);
    }
  } finally {
    await page.close();
  }
  return times;
}

/** MiniSearch and the app's index options, bundled for a page. */
async function bareSearchScript(): Promise<string> {
  const out = await build({
    stdin: {
      contents: `
        import MiniSearch from 'minisearch';
        import { SEARCH_INDEX_OPTIONS } from './src/shared/search';
        const index = new MiniSearch(SEARCH_INDEX_OPTIONS);
        (window as any).__bareSearch = {
          add: (docs: any[]) => {
            const start = performance.now();
            index.addAll(docs);
            return performance.now() - start;
          },
          time: (queries: string[]) =>
            queries.map((q) => {
              const start = performance.now();
              index.search(q);
              return performance.now() - start;
            }),
        };`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    logLevel: 'error',
  });
  return out.outputFiles[0]!.text;
}

/** The searches typing each query letter by letter asks for, as the app trims and skips them. */
export function typedQueries(queries: string[]): string[] {
  const asked: string[] = [];
  for (const query of queries)
    for (let i = 1; i <= query.length; i++) {
      const typed = query.slice(0, i).trim();
      if (typed === query.slice(0, i - 1).trim() || typed.length < MIN_QUERY_LENGTH) continue;
      asked.push(typed);
    }
  return asked;
}

/**
 * A bare MiniSearch over the same rows' documents in the app's page, asked `queries`: the time
 * it took to index them (`addAll` alone, summed over the parts handed in), and the time of each
 * query alone. The index stays in the page, so this comes after the heap is measured.
 */
export async function bareSearchTimes(
  page: Page,
  rows: readonly ItemRow[],
  queries: string[],
): Promise<{ buildMs: number; queries: number[] }> {
  // Evaluated through the DevTools protocol: the app's CSP rightly refuses an inline script.
  await page.evaluate(await bareSearchScript());
  const PER_CALL = 5_000;
  let buildMs = 0;
  for (let at = 0; at < rows.length; at += PER_CALL) {
    const docs = rows.slice(at, at + PER_CALL).map(toSearchDoc);
    buildMs += await page.evaluate(
      (docs) =>
        (window as unknown as { __bareSearch: { add(d: unknown[]): number } }).__bareSearch.add(
          docs,
        ),
      docs,
    );
  }
  const times = await page.evaluate(
    (queries) =>
      (window as unknown as { __bareSearch: { time(q: string[]): number[] } }).__bareSearch.time(
        queries,
      ),
    queries,
  );
  return { buildMs, queries: times };
}
