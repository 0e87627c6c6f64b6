// What the library benchmarks do in real Chromium against web mode: seed a collection into the
// app's own storage, record the first rows, type searches and time each keystroke to its results,
// and time Save to the new row in the list.
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { seedCollection, type SeededCollection } from '../e2e/support/seed-collection';
import { systemChromium } from './support';

/** Records, from the very start of the page, when the first list row is in the DOM. */
export const FIRST_ROW_PROBE = () => {
  const w = window as unknown as { __firstRow?: number };
  new MutationObserver((_, observer) => {
    if (document.querySelector('[role="row"], [role="listitem"]')) {
      w.__firstRow = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

/**
 * Keystroke → results rendered: from the key event in the page to the app's `curio:search` User
 * Timing mark for that query (set once its results are in the DOM).
 */
export async function searchKeystrokes(page: Page, queries: string[]): Promise<number[]> {
  const box = page.getByRole('searchbox', { name: 'Search' });
  await box.evaluate((el) =>
    el.addEventListener(
      'keydown',
      () => ((window as unknown as { __key: number }).__key = performance.now()),
      {
        capture: true,
      },
    ),
  );
  const latencies: number[] = [];
  for (const query of queries) {
    await box.fill('');
    await page.waitForTimeout(50);
    for (let i = 1; i <= query.length; i++) {
      const typed = query.slice(0, i);
      await box.press(typed.at(-1)!);
      // A space does not change the query, so there is no new answer to wait for.
      if (typed.trim() === query.slice(0, i - 1).trim()) continue;
      const latency = await page.waitForFunction(
        (q) => {
          const key = (window as unknown as { __key: number }).__key;
          const mark = performance
            .getEntriesByName('curio:search')
            .find((m) => m.startTime > key && (m as PerformanceMark).detail?.query === q);
          return mark ? mark.startTime - key : false;
        },
        typed.trim(),
        { timeout: 10_000, polling: 'raf' },
      );
      latencies.push(Number(await latency.jsonValue()));
    }
  }
  return latencies;
}

/** Save pressed → the new row in the list (both read inside the page). */
export async function addToRow(page: Page, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const title = `Fresh benchmark link ${i} ${Date.now()}`;
    await page.keyboard.press('Escape');
    await page
      .getByRole('button', { name: 'All' })
      .first()
      .click()
      .catch(() => undefined);
    await page.getByRole('button', { name: 'Add link' }).click();
    await page.getByLabel('URL').fill(`https://fresh.example.com/${Date.now()}-${i}`);
    await page.getByLabel('Title').fill(title);
    await page.evaluate((t) => {
      const w = window as unknown as { __added?: number; __pressed?: number };
      w.__added = undefined;
      const save = [...document.querySelectorAll('button')].find(
        (b) => b.textContent?.trim() === 'Save',
      )!;
      save.addEventListener('click', () => (w.__pressed = performance.now()), {
        capture: true,
        once: true,
      });
      new MutationObserver((_, obs) => {
        const hit = [...document.querySelectorAll('[role="row"], [role="listitem"]')].some((r) =>
          r.textContent?.includes(t),
        );
        if (hit) {
          w.__added = performance.now();
          obs.disconnect();
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    }, title);
    await page.getByRole('button', { name: 'Save' }).click();
    const ms = await page.waitForFunction(() => {
      const w = window as unknown as { __added?: number; __pressed?: number };
      return w.__added !== undefined && w.__pressed !== undefined ? w.__added - w.__pressed : false;
    });
    out.push(Number(await ms.jsonValue()));
  }
  return out;
}

/**
 * Leaves the page and collects its garbage before the next opening, as a window that opens the
 * app has none: otherwise the new page's first tasks collect the last one's heap (300 MB and more
 * at 100,000 links), 0.9–1.5 s of garbage collection in one task after the first rows. It leaves
 * for a page of the same origin, as a reload stays there. Leaving for about:blank, or opening a
 * new tab, put the first rows 0.6 s later, at 10,000 links as at 100,000.
 */
export async function leavePage(page: Page, url: string): Promise<void> {
  await page.goto(new URL('/api/leaving', url).href);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.detach();
}

/** Chromium as the benchmarks run it; `extraArgs` add to the usual flags. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    ...(systemChromium() ? { executablePath: systemChromium() } : {}),
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-gpu',
      ...extraArgs,
    ],
  });
}

/** A window of the app whose collection holds `items` seeded links (shown from its next load). */
export async function seededPage(
  browser: Browser,
  url: string,
  items: number,
): Promise<{ context: BrowserContext; page: Page; seeded: SeededCollection }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'Add link' }).waitFor();
  return { context, page, seeded: await seedCollection(page, items) };
}

/** Words across the frequency range (the commonest content word first), two words, a typo. */
export function benchQueries(words: string[]): string[] {
  return [
    words[40]!,
    `${words[100]!} ${words[300]!}`,
    words[1000]!,
    'consensus',
    'replicaton',
    words[5000]!,
  ];
}
