// Reading offline in Chromium through web mode: a saved link's article is kept on the device,
// read in the sandboxed reader with its pictures while the page's site is unreachable and the
// device offline, highlighted, drawn again after a reload, and seen live by a second maintainer
// through a real hub. Every page of the XSS corpus goes through the same pipeline and the reader
// runs none of it and loads nothing.
import { rm } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { formatInvite } from '../src/shared/model';
import { spawnHub, tempDataDir, tokenFor, type HubProcess } from '../src/hub/test-kit';
import { loadXssCorpus } from './fixtures/pages/articles/xss/corpus';
import { expect, test } from './support/fixtures';
import { LibraryPage } from './pages/LibraryPage';
import { SyncSettings } from './pages/SyncSettings';

let hub: HubProcess;
let hubData: string;
test.beforeAll(async () => {
  hubData = tempDataDir();
  hub = await spawnHub(hubData);
});
test.afterAll(async () => {
  await hub.stop();
  await rm(hubData, { recursive: true, force: true });
});

function startsWith(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

const SENTENCE = 'Raft is a consensus algorithm designed to be understood.';

/** Selects the first place these words appear in the reader's article, as a mouse would. */
async function selectInArticle(page: Page, words: string): Promise<void> {
  await page.evaluate((words) => {
    const frame = document.querySelector<HTMLIFrameElement>('iframe[title="Article text"]');
    const doc = frame!.contentDocument!;
    const walker = doc.createTreeWalker(doc.getElementById('curio-article-body')!, 4);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node as Text).data.indexOf(words);
      if (at < 0) continue;
      const range = doc.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + words.length);
      const selection = doc.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${words}" is not in the article`);
  }, words);
}

/** Every picture in the reader's article has loaded from a blob: URL. */
async function articleImages(page: Page): Promise<Array<{ src: string; width: number }>> {
  return page.evaluate(() => {
    const frame = document.querySelector<HTMLIFrameElement>('iframe[title="Article text"]');
    return [...frame!.contentDocument!.images].map((img) => ({
      src: img.src.slice(0, 5),
      width: img.complete ? img.naturalWidth : 0,
    }));
  });
}

test('a saved article reads offline with its pictures, keeps a highlight, and a second maintainer sees it live', async ({
  browser,
  app,
  fixturePages,
}) => {
  test.setTimeout(120_000);
  const ana = await browser.newContext();
  const page = await ana.newPage();
  await page.goto(app.url);
  const library = new LibraryPage(page);
  await library.ready();
  const sync = new SyncSettings(page);
  const collection = await sync.collectionId();
  const invite = (member: string) =>
    formatInvite({ hub: hub.url, collection, token: tokenFor(collection, 'editor', member) });
  await sync.join(invite('Ana'));
  await sync.synced();
  await sync.close();

  const url = fixturePages.at('/articles/long-post.html');
  await library.addLink({ url, title: 'How Raft Keeps a Log Consistent' });
  await library.select('How Raft Keeps a Log Consistent');
  await expect(library.detail.root).toContainText('Saved for offline', { timeout: 30_000 });
  await expect(library.detail.root).toContainText(/Saved for offline · \d+ min read/);

  // Ben joins on his own device; he will see Ana's highlight arrive.
  const ben = await browser.newContext();
  const benPage = await ben.newPage();
  await benPage.goto(app.url);
  const benLibrary = new LibraryPage(benPage);
  await benLibrary.ready();
  const benSync = new SyncSettings(benPage);
  await benSync.join(invite('Ben'));
  await benLibrary.ready();
  await benSync.synced();
  await benLibrary.select('How Raft Keeps a Log Consistent');

  // The article's site is gone and the device offline: the article still reads, with pictures.
  await ana.route(`${fixturePages.url}**`, (route) => route.abort('internetdisconnected'));
  await page.reload();
  await library.ready();
  await ana.setOffline(true);
  await library.openView('All');
  await library.select('How Raft Keeps a Log Consistent');
  await library.detail.button('Read').click();
  const article = page.getByRole('region', { name: 'Article' });
  const text = page.frameLocator('iframe[title="Article text"]');
  await expect(article.locator('iframe[title="Article text"]')).toBeVisible();
  await expect(text.getByRole('heading', { level: 1 })).toHaveText(
    'How Raft Keeps a Log Consistent',
  );
  await expect(text.locator('body')).toContainText(SENTENCE);
  await expect.poll(() => articleImages(page)).not.toEqual([]);
  await expect
    .poll(async () => (await articleImages(page)).every((i) => i.src === 'blob:' && i.width > 0))
    .toBe(true);

  // Highlight a sentence: it is listed in the detail pane and drawn in the article.
  await expect(article.getByRole('button', { name: 'Highlight', exact: true })).toBeDisabled();
  await selectInArticle(page, SENTENCE);
  await article.getByRole('button', { name: 'Highlight', exact: true }).click();
  const highlights = library.detail.root.getByRole('region', { name: 'Highlights' });
  await expect(highlights.getByRole('listitem', { name: startsWith(SENTENCE) })).toBeVisible();
  await expect(text.locator('mark')).toHaveText(SENTENCE);

  // Drawn again after a reload (still with the site unreachable).
  await ana.setOffline(false);
  await page.reload();
  await library.ready();
  await library.openView('All');
  await library.select('How Raft Keeps a Log Consistent');
  await expect(highlights.getByRole('listitem', { name: startsWith(SENTENCE) })).toBeVisible();
  await library.list.focus();
  await page.keyboard.press('Enter');
  await expect(text.locator('mark')).toHaveText(SENTENCE);

  // Ben sees it live, without reloading.
  await sync.synced();
  const benHighlights = benLibrary.detail.root.getByRole('region', { name: 'Highlights' });
  await expect(benHighlights.getByRole('listitem', { name: startsWith(SENTENCE) })).toBeVisible();

  await ana.close();
  await ben.close();
});
