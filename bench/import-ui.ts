// npm run build:web && npx tsx bench/import-ui.ts [count] [--notes] [--profile]: a Netscape
// bookmark file of `count` links (100,000 by default; with a note on each link if asked) imported
// through the
// Import dialog in Chromium against web mode, from
// choosing the file to the links in the list and on disk; the longest frame while the file is
// read; and, in the same run, the time the same rows take to bulkPut into a bare Dexie table.
// Writes bench/results/import-ui.json; with --profile, the window's CPU profile from choosing the
// file to the rows saved (bench/results/import-ui.cpuprofile, opens in DevTools) and its heaviest
// functions.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { netscapeFile } from './bookmark-files';
import { heaviestFunctions, type CpuProfile } from './cpu-profile';
import { startWebMode, systemChromium } from './support';

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const notes = args.includes('--notes');
const profile = args.includes('--profile');

interface Probe {
  frames: number[];
  chosen?: number;
  preview?: number;
  confirmed?: number;
  rows?: number;
}

/** Runs in the page from its start: frame times, and when each step of the import shows. */
const PROBE = () => {
  const probe: Probe = { frames: [] };
  (window as unknown as { __probe: Probe }).__probe = probe;
  const frame = (at: number) => {
    probe.frames.push(at);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const confirm = /^Import [\d,]+ links$/;
  document.addEventListener(
    'change',
    (event) => {
      if ((event.target as HTMLInputElement).type === 'file') probe.chosen = performance.now();
    },
    true,
  );
  document.addEventListener(
    'click',
    (event) => {
      const button = (event.target as Element).closest('button');
      if (button && confirm.test(button.textContent?.trim() ?? ''))
        probe.confirmed = performance.now();
    },
    true,
  );
  new MutationObserver(() => {
    if (probe.chosen !== undefined && probe.preview === undefined) {
      const buttons = [...document.querySelectorAll('button')];
      if (buttons.some((b) => confirm.test(b.textContent?.trim() ?? '')))
        probe.preview = performance.now();
    }
    if (probe.confirmed !== undefined && probe.rows === undefined) {
      const rows = document.querySelectorAll('[role="grid"] [role="row"]');
      if ([...rows].some((r) => r.textContent?.includes('Article number')))
        probe.rows = performance.now();
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
};

/** The longest gap between two frames in [from, to]. */
function longestFrame(frames: number[], from: number, to: number): number {
  let longest = 0;
  for (let i = 1; i < frames.length; i++) {
    if (frames[i]! < from || frames[i - 1]! > to) continue;
    longest = Math.max(longest, frames[i]! - frames[i - 1]!);
  }
  return longest;
}

/** bulkPut of the collection's rows, as stored by the app, into a bare Dexie table. */
const BARE_DEXIE = async (): Promise<{ rows: number; ms: number }> => {
  const read = <T>(request: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const app = await read(indexedDB.open('curio'));
  const current = await read(
    app.transaction('settings').objectStore('settings').get('currentCollection'),
  );
  app.close();
  const collection = await read(indexedDB.open(`curio-collection-${current.value}`));
  const rows = await read(collection.transaction('items').objectStore('items').getAll());
  collection.close();
  type Table = { bulkPut(rows: unknown[]): Promise<unknown> };
  const DexieClass = (window as unknown as { Dexie: new (name: string) => unknown }).Dexie;
  const db = new DexieClass('bare-dexie-baseline') as {
    version(n: number): { stores(s: Record<string, string>): void };
    table(name: string): Table;
    delete(): Promise<void>;
  };
  db.version(1).stores({ items: 'id' });
  const start = performance.now();
  await db.table('items').bulkPut(rows);
  const ms = performance.now() - start;
  await db.delete();
  return { rows: rows.length, ms };
};

const dir = mkdtempSync(join(tmpdir(), 'curio-import-bench-'));
const file = join(dir, `bookmarks-${count}.html`);
writeFileSync(file, netscapeFile(count, { notes }));
const web = await startWebMode();
const browser = await chromium.launch({
  ...(systemChromium() ? { executablePath: systemChromium() } : {}),
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // tsx keeps function names through an `__name` helper that pages do not have; functions sent
  // to the page call it.
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const cdp = profile ? await context.newCDPSession(page) : null;
  await cdp?.send('Profiler.enable');
  await cdp?.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp?.send('Profiler.start');
  await page.getByLabel('Import file').setInputFiles(file);
  const confirm = page.getByRole('button', { name: /^Import [\d,]+ links$/ });
  await confirm.waitFor({ timeout: 300_000 });
  await confirm.click({ timeout: 300_000 });
  await page.waitForFunction(
    () => (window as unknown as { __probe: Probe }).__probe.rows !== undefined,
    null,
    { timeout: 300_000 },
  );
  // On disk: the save indicator says so once the log row and the rows are written.
  await page
    .getByRole('status')
    .filter({ hasText: /^Saved/ })
    .first()
    .waitFor({ timeout: 300_000 });
  const saved = await page.evaluate(() => performance.now());
  if (cdp) {
    const { profile: cpu } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/import-ui.cpuprofile', JSON.stringify(cpu));
    console.table(heaviestFunctions(cpu, 25));
  }
  const probe = await page.evaluate(() => (window as unknown as { __probe: Probe }).__probe);
  const { chosen, preview, confirmed, rows } = probe as Required<Probe>;

  // The baseline, in the same run and browser: a page of the same origin without the app.
  const bare = await context.newPage();
  await bare.route('**/bare-dexie', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bare Dexie</title>' }),
  );
  await bare.goto(new URL('bare-dexie', web.url).href);
  await bare.addScriptTag({
    content: readFileSync('node_modules/dexie/dist/dexie.min.js', 'utf8'),
  });
  const baseline = await bare.evaluate(BARE_DEXIE);

  const result = {
    date: new Date().toISOString(),
    links: count,
    notes,
    fileMB: Math.round(readFileSync(file).length / 1e5) / 10,
    readAndPreviewMs: Math.round(preview - chosen),
    longestFrameWhileReadingMs: Math.round(longestFrame(probe.frames, chosen, preview)),
    confirmToRowsMs: Math.round(rows - confirmed),
    confirmToSavedMs: Math.round(saved - confirmed),
    longestFrameWhileCommittingMs: Math.round(longestFrame(probe.frames, confirmed, rows)),
    chosenToRowsMs: Math.round(preview - chosen + (rows - confirmed)),
    bareDexieBulkPutMs: Math.round(baseline.ms),
    bareDexieRows: baseline.rows,
  };
  console.table(result);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/import-ui.json', JSON.stringify(result, null, 2) + '\n');
} finally {
  await browser.close();
  await web.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
