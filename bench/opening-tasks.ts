// What the window's main thread does in each long task after the first rows of an opening: the
// collection is seeded as the scale benchmark seeds it, opened `RUNS` times (the first builds the
// search index, the others read it back), and each opening's CPU profile is cut at the long
// tasks the page itself reported. A build with `--minify false` (`npm run build:web -- --minify
// false`) names the functions.
//
//   BENCH_ITEMS=100000 RUNS=3 npx tsx bench/opening-tasks.ts
import type { Page } from '@playwright/test';
import { heaviestFunctions, profileBetween, sampleTimes, type CpuProfile } from './cpu-profile';
import { FIRST_ROW_PROBE, launchChromium, leavePage, seededPage } from './library';
import { startWebMode } from './support';

interface Task {
  start: number;
  duration: number;
}

const LONG_TASKS = () => {
  const w = window as unknown as { __tasks: Task[] };
  w.__tasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
};

/**
 * Runs a function of a known name for 40 ms and returns when (page time) it began: its first
 * sample in the profile tells how the profiler's clock and the page's line up.
 */
const MARKER = 'curioProfileMarker';
async function mark(page: Page): Promise<number> {
  return (await page.evaluate(
    `(function ${MARKER}() { const s = performance.now(); while (performance.now() - s < 40); return s; })()`,
  )) as number;
}

const items = Number(process.env.BENCH_ITEMS ?? 100_000);
const runs = Number(process.env.RUNS ?? 3);
/** How long after the first rows the opening is watched. */
const watchMs = Number(process.env.WATCH_MS ?? 25_000);

const web = await startWebMode();
const browser = await launchChromium();
try {
  const { context, page } = await seededPage(browser, web.url, items);
  await context.addInitScript(FIRST_ROW_PROBE);
  await context.addInitScript(LONG_TASKS);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  for (let run = 1; run <= runs; run++) {
    await leavePage(page, web.url);
    await cdp.send('Profiler.start');
    await page.goto(web.url);
    await page.waitForFunction(() => (window as unknown as { __firstRow?: number }).__firstRow);
    await page.waitForTimeout(watchMs);
    const markedAt = await mark(page);
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    const { firstRow, tasks } = await page.evaluate(() => {
      const w = window as unknown as { __firstRow: number; __tasks: Task[] };
      return { firstRow: w.__firstRow, tasks: w.__tasks };
    });
    const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
    const parents = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
    const inMarker = (id: number) => {
      for (let at: number | undefined = id; at !== undefined; at = parents.get(at))
        if (names.get(at) === MARKER) return true;
      return false;
    };
    const times = sampleTimes(profile);
    const markerAt = times.find((_, i) => inMarker(profile.samples[i]!));
    if (markerAt === undefined) throw new Error('the marker is missing from the profile');
    const offset = markerAt - markedAt;
    const after = tasks.filter((t) => t.start >= firstRow);
    console.log(
      `opening ${run}: first rows ${Math.round(firstRow)} ms; long tasks after them: ${after.map((t) => Math.round(t.duration)).join(', ') || 'none'}`,
    );
    for (const task of after.filter((t) => t.duration > 100)) {
      const inside = profileBetween(
        profile,
        task.start + offset,
        task.start + task.duration + offset,
      );
      const heaviest = heaviestFunctions(inside, 8)
        .map((f) => `${f.fn} ${f.totalMs}/${f.selfMs} ms`)
        .join('; ');
      console.log(`  ${Math.round(task.duration)} ms at ${Math.round(task.start)}: ${heaviest}`);
    }
  }
} finally {
  await browser.close();
  await web.stop();
}
