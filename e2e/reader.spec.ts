// Reading offline in Chromium through web mode: a saved link's article is kept on the device,
// read in the sandboxed reader with its pictures while the page's site is unreachable and the
// device offline, highlighted, drawn again after a reload, and seen live by a second maintainer
// through a real hub. Every page of the XSS corpus goes through the same pipeline and the reader
// runs none of it and loads nothing.
import type { Browser, Page } from '@playwright/test';
import { loadXssCorpus } from './fixtures/pages/articles/xss/corpus';
import { expect, test } from './support/fixtures';
import { useSpecHub } from './support/hub';
import { LibraryPage } from './pages/LibraryPage';
import { openCollectionDb } from './support/collection-db';
import { SyncSettings } from './pages/SyncSettings';

const hub = useSpecHub();

function startsWith(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

/** A maintainer's device: its own browser context with the library open. */
async function device(browser: Browser, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const library = new LibraryPage(page);
  await library.ready();
  return { context, page, library, sync: new SyncSettings(page) };
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
  const { context: ana, page, library, sync } = await device(browser, app.url);
  const collection = await sync.collectionId();
  const invite = (member: string) => hub.invite(collection, member);
  await sync.join(invite('Ana'));
  await sync.synced();
  await sync.close();

  const url = fixturePages.at('/articles/long-post.html');
  await library.addLink({ url, title: 'How Raft Keeps a Log Consistent' });
  await library.select('How Raft Keeps a Log Consistent');
  await expect(library.detail.root).toContainText('Saved for offline', { timeout: 30_000 });
  await expect(library.detail.root).toContainText(/Saved for offline · \d+ min read/);

  // Ben joins on his own device; he will see Ana's highlight arrive.
  const { context: ben, library: benLibrary, sync: benSync } = await device(browser, app.url);
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

  // Reading to the end marks the link read.
  await expect(library.detail.button('Mark as read')).toBeVisible();
  await page.evaluate(() => {
    const frame = document.querySelector<HTMLIFrameElement>('iframe[title="Article text"]')!;
    const root = frame.contentDocument!.scrollingElement!;
    frame.contentWindow!.scrollTo(0, root.scrollHeight);
  });
  await expect(library.detail.button('Mark as unread')).toBeVisible();

  // The highlight is offered as the blurb when the link is published.
  await library.detail.button('Publish').click();
  const publish = page.getByRole('dialog', { name: 'Publish 1 link' });
  await publish.getByRole('group', { name: 'Quote a highlight' }).getByRole('button').click();
  await expect(publish.getByLabel('Blurb')).toHaveValue(`“${SENTENCE}”`);
  await publish.getByRole('button', { name: 'Cancel' }).click();

  // Search finds words of the article and of the highlight, and says where they matched.
  await page.keyboard.press('Escape');
  await library.searchFor('majority');
  const row = library.row('How Raft Keeps a Log Consistent');
  await expect(row).toContainText('In the article:');
  await expect(row).toContainText('majority');
  await library.searchFor('understood');
  await expect(row).toContainText('In a highlight: Raft is a consensus algorithm designed to be');

  // Deleted, it goes for both of them.
  await highlights
    .getByRole('listitem', { name: startsWith(SENTENCE) })
    .getByRole('button', { name: /^Delete highlight/ })
    .click();
  await expect(highlights).toHaveCount(0);
  await expect(benHighlights).toHaveCount(0);

  await ana.close();
  await ben.close();
});

/**
 * Counts calls to anything a payload would use to show it ran: in any frame but the app's own
 * window (where fetch and open are the app's), every one of them.
 */
function canary(): void {
  const w = window as unknown as Record<string, unknown> & Window;
  w.__curioCanary = 0;
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'fetch', 'open'] as const) {
    const original = w[name] as (...args: unknown[]) => unknown;
    const apps = window === window.top && (name === 'fetch' || name === 'open');
    (w as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (!apps) (window.top as unknown as { __curioCanary: number }).__curioCanary++;
      return original.apply(window, args);
    };
  }
}

/** Installs the canary, and records every dialog a payload could open. */
async function watchForPayloads(page: Page): Promise<string[]> {
  await page.addInitScript(canary);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    // The app's own "Leave site?" while a change is being saved is not a payload's.
    if (dialog.type() === 'beforeunload') return void dialog.accept();
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

test('no payload of the XSS corpus runs a script or loads anything in the reader', async ({
  browser,
  app,
  fixturePages,
}) => {
  const corpus = loadXssCorpus();
  expect(corpus.length).toBeGreaterThanOrEqual(200);
  test.setTimeout(900_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs = await watchForPayloads(page);
  const requests: string[] = [];
  const appOrigin = new URL(app.url).origin;
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(appOrigin + '/') && !url.startsWith('blob:')) requests.push(url);
  });
  const library = await LibraryPage.open(page, app.url);

  // Saved as the curator would, in one paste; every article goes through the real pipeline.
  const dialog = await library.openAddLink();
  await dialog.url.fill(
    corpus.map((p) => fixturePages.at(`/articles/xss/${p.index}.html`)).join('\n'),
  );
  await dialog.save();
  await expect(dialog.root).toBeHidden();
  await expect
    .poll(() => settledArticles(page), { timeout: 600_000, intervals: [1000] })
    .toBe(corpus.length);
  const saved = await savedArticles(page);
  expect(saved).toBeGreaterThanOrEqual(200);

  // Each kept article opened in the reader, one after another from the keyboard.
  await library.openView('All');
  await library.list.focus();
  await page.keyboard.press('j');
  const article = page.getByRole('region', { name: 'Article' });
  const body = page.frameLocator('iframe[title="Article text"]').locator('#curio-article-body');
  let opened = 0;
  for (let i = 0; i < corpus.length; i++) {
    await page.keyboard.press('Enter');
    if (await article.count()) {
      await expect(body).toContainText('Idempotency keys');
      opened++;
      await page.keyboard.press('Escape');
      await expect(article).toHaveCount(0);
    }
    await page.keyboard.press('j');
  }
  expect(opened).toBe(saved);
  expect(dialogs).toEqual([]);
  expect(requests).toEqual([]);
  expect(
    await page.evaluate(() => (window as unknown as { __curioCanary: number }).__curioCanary),
  ).toBe(0);
  await context.close();
});

test('even HTML the sanitiser never saw runs nothing and loads nothing in the reader', async ({
  page,
  fixturePages,
}) => {
  // The frame is the second lock: every payload of the corpus, unsanitised, written into a kept
  // article as a damaged or older store might hold it, must still do nothing there.
  const dialogs = await watchForPayloads(page);
  const requests: string[] = [];
  await page.goto('/');
  const appOrigin = new URL(page.url()).origin;
  // Unsanitised markup asks for things; what matters is that none of it leaves the browser. A
  // request the frame's CSP or the browser's origin checks refused was never sent.
  const outside = (url: string) => !url.startsWith(appOrigin + '/') && !url.startsWith('blob:');
  page.on('requestfinished', (request) => {
    if (outside(request.url())) requests.push(request.url());
  });
  page.on('requestfailed', (request) => {
    const why = request.failure()?.errorText ?? '';
    if (outside(request.url()) && why !== 'csp' && why !== 'origin')
      requests.push(`${request.url()} (${why})`);
  });
  const library = new LibraryPage(page);
  await library.ready();
  await library.addLink({
    url: fixturePages.at('/articles/long-post.html'),
    title: 'How Raft Keeps a Log Consistent',
  });
  await library.select('How Raft Keeps a Log Consistent');
  await expect(library.detail.root).toContainText('Saved for offline', { timeout: 30_000 });
  const raw = loadXssCorpus()
    .map((p) => `<div>${p.html}</div>`)
    .join('\n');
  const handle = await openCollectionDb(page);
  await page.evaluate(
    async ({ handle: { db, request }, html }) => {
      const store = db.transaction('articleBodies', 'readwrite').objectStore('articleBodies');
      const [body] = (await request(store.getAll())) as Array<{ id: string }>;
      await request(store.put({ ...body!, html: `<p>Unsanitised.</p>${html}` }));
    },
    { handle, html: raw },
  );
  await handle.dispose();
  await library.detail.button('Read').click();
  const text = page.frameLocator('iframe[title="Article text"]');
  await expect(text.locator('#curio-article-body')).toContainText('Unsanitised.');
  // Whatever could load or run has had its chance once the frame's document has loaded.
  await page.waitForFunction(
    () =>
      document.querySelector<HTMLIFrameElement>('iframe[title="Article text"]')?.contentDocument
        ?.readyState === 'complete',
  );
  expect(dialogs).toEqual([]);
  expect(requests).toEqual([]);
  expect(
    await page.evaluate(() => (window as unknown as { __curioCanary: number }).__curioCanary),
  ).toBe(0);
});

/** Articles stored and links whose article failed for good, read from the collection's database. */
async function articleCounts(page: Page): Promise<{ saved: number; failed: number }> {
  const handle = await openCollectionDb(page);
  const counts = await handle.evaluate(async ({ db, request }) => {
    const tx = db.transaction(['snapshots', 'articleQueue']);
    const saved = await request(tx.objectStore('snapshots').count());
    const queued = (await request(tx.objectStore('articleQueue').getAll())) as Array<{
      failed: boolean;
    }>;
    db.close();
    return { saved, failed: queued.filter((row) => row.failed).length };
  });
  await handle.dispose();
  return counts;
}

async function savedArticles(page: Page): Promise<number> {
  return (await articleCounts(page)).saved;
}

/** The queue has nothing left to do: every link has its article, or failed for good. */
async function settledArticles(page: Page): Promise<number> {
  const { saved, failed } = await articleCounts(page);
  return saved + failed;
}

test('a link sent to /add opens Add link filled in, and is saved only when the curator saves it', async ({
  page,
  app,
}) => {
  const sent = new URLSearchParams({
    url: 'https://raft.github.io/',
    title: 'The Raft Consensus Algorithm',
    note: 'Leaders decide what the log holds.',
  });
  await page.goto(`${app.url}add?${sent}`);
  const library = new LibraryPage(page);
  await library.ready();
  const dialog = page.getByRole('dialog', { name: 'Add link' });
  await expect(dialog.getByLabel('URL')).toHaveValue('https://raft.github.io/');
  await expect(dialog.getByLabel('Title')).toHaveValue('The Raft Consensus Algorithm');
  await expect(dialog.getByLabel('Note')).toHaveValue('Leaders decide what the log holds.');
  // Nothing was saved by the visit, and the address is the library's again.
  await expect(library.rows()).toHaveCount(0);
  expect(new URL(page.url()).pathname).toBe('/');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await library.select('The Raft Consensus Algorithm');
  await expect(library.detail.note).toContainText('Leaders decide what the log holds.');

  // Anything but an http(s) link is refused with the reason, and no dialog opens.
  await page.goto(`${app.url}add?url=${encodeURIComponent('javascript:alert(document.domain)')}`);
  await library.ready();
  await expect(library.toast).toContainText('Curio saves only http and https links');
  await expect(page.getByRole('dialog', { name: 'Add link' })).toHaveCount(0);
});

test('a capture sent to the desktop window already open opens Add link there, without leaving the page', async ({
  page,
  app,
}) => {
  // The Electron preload's `window.curioCaptures`, standing in for the main process's message.
  await page.addInitScript(() => {
    const listeners: Array<(page: string) => void> = [];
    Object.assign(window, {
      __sendCapture: (sent: string) => listeners.forEach((listener) => listener(sent)),
      curioCaptures: {
        subscribe(listener: (page: string) => void) {
          listeners.push(listener);
          return () => listeners.splice(listeners.indexOf(listener), 1);
        },
      },
    });
  });
  await page.goto(app.url);
  const library = new LibraryPage(page);
  await library.ready();
  await library.addLink({ url: 'https://aphyr.com/posts/313', title: 'Strong consistency models' });
  await page.evaluate(() => Object.assign(window, { __samePage: true }));
  const send = (query: Record<string, string>) =>
    page.evaluate(
      (sent) => (window as unknown as { __sendCapture: (p: string) => void }).__sendCapture(sent),
      `curio://app/add?${new URLSearchParams(query)}`,
    );
  await send({ url: 'https://raft.github.io/', title: 'The Raft Consensus Algorithm' });
  const dialog = page.getByRole('dialog', { name: 'Add link' });
  await expect(dialog.getByLabel('URL')).toHaveValue('https://raft.github.io/');
  await expect(dialog.getByLabel('Title')).toHaveValue('The Raft Consensus Algorithm');
  expect(await page.evaluate(() => 'curioCaptures' in window && '__samePage' in window)).toBe(true);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(library.rows()).toHaveCount(2);

  await send({ url: 'javascript:alert(document.domain)' });
  await expect(library.toast).toContainText('Curio saves only http and https links');
  await expect(page.getByRole('dialog', { name: 'Add link' })).toHaveCount(0);
});

test('links dropped on the window are saved; dropped files are left alone', async ({ page }) => {
  await page.goto('/');
  const library = new LibraryPage(page);
  await library.ready();
  const drop = async (data: Record<string, string>, file = false) => {
    const transfer = await page.evaluateHandle(
      ({ data, file }) => {
        const dt = new DataTransfer();
        for (const [type, value] of Object.entries(data)) dt.setData(type, value);
        if (file) dt.items.add(new File(['https://example.com/in-a-file'], 'links.txt'));
        return dt;
      },
      { data, file },
    );
    const target = page.getByRole('main');
    await target.dispatchEvent('dragover', { dataTransfer: transfer });
    await target.dispatchEvent('drop', { dataTransfer: transfer });
  };
  await drop({
    'text/uri-list': '# two tabs\r\nhttps://jepsen.io/analyses\r\nhttps://aphyr.com/posts/313\r\n',
    'text/plain': 'https://jepsen.io/analyses',
  });
  await expect(library.rows()).toHaveCount(2);
  await expect(library.toast).toContainText('Saved 2 links');
  await drop({ 'text/plain': 'https://example.com/in-a-file' }, true);
  await drop({ 'text/plain': 'just some words, not a link' });
  await expect(library.rows()).toHaveCount(2);
});
