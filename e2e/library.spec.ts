// The library window end to end in web mode: saving, tagging, reading, notes, search, Trash,
// undo and the keyboard, against the real renderer, data layer and IndexedDB in Chromium.
import { expect, test } from './support/fixtures';
import type { Page } from '@playwright/test';
import { LibraryPage, type LinkInput } from './pages/LibraryPage';

const LINKS: LinkInput[] = [
  {
    url: 'https://martin.kleppmann.com/2020/07/06/crdt-hard-parts-hydra.html',
    title: 'CRDTs: The Hard Parts',
    description: 'Move operations, interleaving anomalies and metadata overhead.',
  },
  {
    url: 'https://jepsen.io/analyses/etcd-3.4.3',
    title: 'Jepsen: etcd 3.4.3',
    description: 'Locks and watches under network partitions.',
  },
  {
    url: 'https://www.allthingsdistributed.com/2007/10/amazons_dynamo.html',
    title: 'Amazon’s Dynamo',
    description: 'Sloppy quorums, hinted handoff and vector clocks.',
  },
];

async function openLibrary(page: Page, url: string): Promise<LibraryPage> {
  await page.goto(url);
  const library = new LibraryPage(page);
  await library.ready();
  return library;
}

/** Adds the three links, tags them, reads one and writes a note: the day's curation. */
async function curate(library: LibraryPage): Promise<void> {
  for (const link of LINKS) await library.addLink(link);
  await expect(library.rows()).toHaveCount(3);
  // Newest first.
  await expect(library.rows().first()).toHaveAccessibleName(/^Amazon’s Dynamo/);

  await library.select('CRDTs: The Hard Parts');
  await library.detail.addTags('crdt', 'distributed-systems');
  await library.select('Jepsen: etcd 3.4.3');
  await library.detail.addTags('distributed-systems');
  await library.detail.button('Mark as read').click();
  await expect(library.detail.button('Mark as unread')).toBeVisible();
  await expect(library.detail.root).toContainText('Read by you');

  await library.select('Amazon’s Dynamo');
  await library.detail.writeNote('Reread the section on hinted handoff before the meetup');
  await library.saved();
}

async function expectCurated(library: LibraryPage): Promise<void> {
  // Unread holds the two unread links; Read the one read.
  await expect(library.rows()).toHaveCount(2);
  await expect(library.row('Jepsen: etcd 3.4.3')).toHaveCount(0);
  await library.openView('Read');
  await expect(library.row('Jepsen: etcd 3.4.3')).toBeVisible();
  await library.openView('distributed-systems');
  await expect(library.rows()).toHaveCount(2);
  await library.openView('crdt');
  await expect(library.rows()).toHaveCount(1);
  await expect(library.row('CRDTs: The Hard Parts')).toBeVisible();

  await library.searchFor('hinted handoff meetup');
  await expect(library.rows()).toHaveCount(1);
  await expect(library.row('Amazon’s Dynamo')).toBeVisible();
  await library.searchFor('partitions');
  await expect(library.row('Jepsen: etcd 3.4.3')).toBeVisible();
  await expect(library.row('Jepsen: etcd 3.4.3').locator('mark')).toHaveText(['partitions']);
  await library.searchFor('');

  await library.openView('All');
  await library.select('Amazon’s Dynamo');
  await expect(library.detail.note).toContainText('Reread the section on hinted handoff');
}

test('saves, tags, reads, notes and finds links, and keeps them across a reload', async ({
  page,
  app,
}) => {
  const library = await openLibrary(page, app.url);
  await expect(page.getByText('No unread links. Press Add link or paste a URL')).toBeVisible();
  await curate(library);
  await page.reload();
  await library.ready();
  await expectCurated(library);
});

test('works the same offline, and what was done offline is there after reconnecting', async ({
  page,
  context,
  app,
}) => {
  const library = await openLibrary(page, app.url);
  await context.setOffline(true);
  await curate(library);
  await context.setOffline(false);
  await page.reload();
  await library.ready();
  await expectCurated(library);
});

test('a new search starts from the view, not from old results or an empty list', async ({
  page,
  app,
}) => {
  const library = await openLibrary(page, app.url);
  for (const link of LINKS) await library.addLink(link);
  await library.searchFor('partitions');
  await expect(library.rows()).toHaveCount(1);
  await library.searchFor('');
  await expect(library.rows()).toHaveCount(3);
  // Every list the window shows from here on, as the titles of its rows.
  await page.evaluate(() => {
    const seen: string[][] = [];
    (window as unknown as { __lists: string[][] }).__lists = seen;
    new MutationObserver(() =>
      seen.push(
        [...document.querySelectorAll('[role="row"]')].map(
          (row) => row.getAttribute('aria-label')?.split(',')[0] ?? '',
        ),
      ),
    ).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await library.search.pressSequentially('hard');
  await expect(library.rows()).toHaveCount(1);
  await expect(library.row('CRDTs: The Hard Parts')).toBeVisible();
  const lists = await page.evaluate(() => (window as unknown as { __lists: string[][] }).__lists);
  expect(lists.length).toBeGreaterThan(0);
  expect(lists.filter((titles) => titles.join() === 'Jepsen: etcd 3.4.3')).toEqual([]);
  // "ha" is no word and too short to match longer ones: the view stays, not an empty list.
  expect(lists.filter((titles) => titles.length === 0)).toEqual([]);
});

test('a keystroke’s search results are in the page before the frame that shows the letter', async ({
  page,
  app,
}) => {
  const library = await openLibrary(page, app.url);
  for (const link of LINKS) await library.addLink(link);
  // The window can wait on the search worker through shared memory only when isolated.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await library.searchFor('');
  // For each key: whether, at the start of the next frame, the results for the query it made
  // were already rendered (the app marks each answer once it is in the DOM).
  await page.evaluate(() => {
    const inFrame: boolean[] = [];
    (window as unknown as { __inFrame: boolean[] }).__inFrame = inFrame;
    const box = document.querySelector<HTMLInputElement>('input[type="search"]')!;
    box.addEventListener('keydown', () => {
      const pressed = performance.now();
      requestAnimationFrame(() => {
        const query = box.value.trim();
        inFrame.push(
          performance
            .getEntriesByName('curio:search')
            .some((m) => m.startTime > pressed && (m as PerformanceMark).detail?.query === query),
        );
      });
    });
  });
  await library.search.pressSequentially('partitions', { delay: 60 });
  await expect(library.row('Jepsen: etcd 3.4.3')).toBeVisible();
  const inFrame = await page.evaluate(
    () => (window as unknown as { __inFrame: boolean[] }).__inFrame,
  );
  // From the second letter on, every key makes a query. An answer the worker is slow to give
  // comes a frame later instead, so a busy machine may miss a few; a worker reply by message
  // never makes it, since Chromium runs no page task between a key and its frame.
  expect(inFrame).toHaveLength(10);
  expect(inFrame.slice(1).filter(Boolean).length).toBeGreaterThanOrEqual(6);
});

test('moving with j and k scrolls the current row into view', async ({ page, app }) => {
  const library = await openLibrary(page, app.url);
  const urls = Array.from({ length: 40 }, (_, i) => `https://example.com/scroll/${i}`);
  await library.addLink({ url: urls.join('\n') });
  await expect(library.list).toHaveAttribute('aria-rowcount', '40');
  const current = library.list.locator('[aria-current="true"]');
  // The first link pasted is at the top, and current.
  const start = 1;
  await expect(current).toHaveAttribute('aria-rowindex', String(start));
  await library.list.focus();
  const scrollTop = () => library.list.evaluate((list) => list.scrollTop);
  // A row already in view needs no scrolling.
  await page.keyboard.press('j');
  await expect(current).toHaveAttribute('aria-rowindex', String(start + 1));
  expect(await scrollTop()).toBe(0);
  for (let i = 1; i < 30; i++) await page.keyboard.press('j');
  await expect(current).toHaveAttribute('aria-rowindex', String(start + 30));
  await expect(current).toBeInViewport({ ratio: 1 });
  // Scrolled as little as it takes: the current row is the last one in view, not the first.
  const list = (await library.list.boundingBox())!;
  const row = (await current.boundingBox())!;
  expect(list.y + list.height - (row.y + row.height)).toBeLessThan(row.height);
  for (let i = 0; i < 30; i++) await page.keyboard.press('k');
  await expect(current).toHaveAttribute('aria-rowindex', String(start));
  await expect(current).toBeInViewport({ ratio: 1 });
  expect(await scrollTop()).toBe(0);
});

test('recognises a link already saved and shows it instead of a duplicate', async ({
  page,
  app,
}) => {
  const library = await openLibrary(page, app.url);
  await library.addLink({ url: 'https://example.com/a', title: 'The first copy' });
  const dialog = await library.openAddLink();
  await dialog.fill({ url: 'https://www.example.com/a/?utm_source=x' });
  await expect(dialog.root).toContainText('Already in your library');
  await dialog.save();
  await expect(dialog.root).toBeHidden();
  await expect(library.toast).toContainText('Already in your library');
  await expect(library.detail.title).toHaveText('The first copy');
  await library.openView('All');
  await expect(library.rows()).toHaveCount(1);
});

test('names the line and the problem of an invalid URL', async ({ page, app }) => {
  const library = await openLibrary(page, app.url);
  const dialog = await library.openAddLink();
  await dialog.fill({ url: 'https://example.com/ok\nftp://example.com/file' });
  await dialog.save();
  await expect(dialog.error).toContainText('Line 2:');
  await expect(dialog.error).toContainText('only http and https links are supported');
  await expect(dialog.root).toBeVisible();
});

test('moves to Trash with undo, restores, and empties Trash after asking', async ({
  page,
  app,
}) => {
  const library = await openLibrary(page, app.url);
  for (const link of LINKS) await library.addLink(link);

  await library.select('Jepsen: etcd 3.4.3');
  await library.detail.button('Move to Trash').click();
  await expect(library.toast).toContainText('Moved 1 item to Trash');
  await library.toast.getByRole('button', { name: 'Undo' }).click();
  await expect(library.row('Jepsen: etcd 3.4.3')).toBeVisible();

  // Ctrl+Z with focus outside any text field undoes too.
  await library.select('Jepsen: etcd 3.4.3');
  await library.detail.button('Move to Trash').click();
  await expect(library.row('Jepsen: etcd 3.4.3')).toHaveCount(0);
  await library.list.focus();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(library.row('Jepsen: etcd 3.4.3')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(library.row('Jepsen: etcd 3.4.3')).toHaveCount(0);

  await library.openView('Trash');
  await library.select('Jepsen: etcd 3.4.3');
  await library.detail.button('Restore').click();
  await expect(library.rows()).toHaveCount(0);
  await expect(page.getByText('Trash is empty.')).toBeVisible();

  await library.openView('All');
  await library.select('Amazon’s Dynamo');
  await library.detail.button('Move to Trash').click();
  await library.openView('Trash');
  await page.getByRole('button', { name: 'Empty Trash' }).click();
  const confirm = page.getByRole('dialog', { name: 'Empty Trash?' });
  await expect(confirm).toContainText('cannot be undone');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(library.rows()).toHaveCount(1);
  await page.getByRole('button', { name: 'Empty Trash' }).click();
  await confirm.getByRole('button', { name: 'Empty Trash' }).click();
  await expect(library.rows()).toHaveCount(0);
  await library.openView('All');
  await expect(library.rows()).toHaveCount(2);
});

test('is driven from the keyboard: j/k, x, r, e, t, / and ?', async ({ page, app }) => {
  const library = await openLibrary(page, app.url);
  for (const link of LINKS) await library.addLink(link);
  await library.openView('All');
  // The link just saved stays open in the new view, and the keyboard is on the list.
  await expect(library.detail.title).toHaveText('Amazon’s Dynamo');
  await expect(library.list).toBeFocused();

  await page.keyboard.press('j');
  await expect(library.detail.title).toHaveText('Jepsen: etcd 3.4.3');
  await page.keyboard.press('k');
  await expect(library.detail.title).toHaveText('Amazon’s Dynamo');

  await page.keyboard.press('x');
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await expect(library.row('Amazon’s Dynamo')).toHaveAttribute('aria-selected', 'true');
  await expect(library.row('Jepsen: etcd 3.4.3')).toHaveAttribute('aria-selected', 'true');
  await expect(library.row('CRDTs: The Hard Parts')).toHaveAttribute('aria-selected', 'false');
  const bar = page.getByRole('toolbar', { name: 'Selected links' });
  await expect(bar).toContainText('2 selected');

  await page.keyboard.press('r');
  await expect(library.view('Read')).toHaveAccessibleDescription('2');
  await page.keyboard.press('r');
  await expect(library.view('Read')).toHaveAccessibleDescription('0');
  await page.keyboard.press('Escape');
  await expect(bar).toBeHidden();

  // Shift-click selects a range, ctrl/cmd-click toggles one row.
  await library.row('Amazon’s Dynamo').click();
  await library.row('CRDTs: The Hard Parts').click({ modifiers: ['Shift'] });
  await expect(bar).toContainText('3 selected');
  await library.row('Jepsen: etcd 3.4.3').click({ modifiers: ['ControlOrMeta'] });
  await expect(bar).toContainText('2 selected');
  await bar.getByRole('button', { name: 'Tag' }).click();
  const tagDialog = page.getByRole('dialog', { name: 'Tag 2 links' });
  await tagDialog.getByLabel('Tags').fill('to-share');
  await tagDialog.getByRole('button', { name: 'Add tags' }).click();
  await expect(library.view('to-share')).toHaveAccessibleDescription('2');
  await page.keyboard.press('Escape');

  await library.select('Jepsen: etcd 3.4.3');
  await library.list.focus();
  await page.keyboard.press('e');
  const edit = page.getByRole('dialog', { name: 'Edit link' });
  await edit.getByLabel('Title').fill('Jepsen: etcd, revisited');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(library.detail.title).toHaveText('Jepsen: etcd, revisited');

  await library.list.focus();
  await page.keyboard.press('t');
  await expect(library.detail.tagInput).toBeFocused();
  await library.detail.tagInput.press('Escape');

  await page.keyboard.press('/');
  await expect(library.search).toBeFocused();
  await library.search.press('Escape');

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Mark as read / unread');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('renames and deletes a tag across the collection', async ({ page, app }) => {
  const library = await openLibrary(page, app.url);
  await library.addLink({ ...LINKS[0]!, tags: 'crdts, papers' });
  await library.addLink({ ...LINKS[1]!, tags: 'crdts' });

  await page.getByRole('button', { name: 'Edit tag crdts' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit tag #crdts' });
  await dialog.getByLabel('Name').fill('crdt');
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await expect(library.view('crdt')).toHaveAccessibleDescription('2');
  await expect(library.view('crdts')).toHaveCount(0);

  await library.view('papers').click({ button: 'right' });
  const del = page.getByRole('dialog', { name: 'Edit tag #papers' });
  await del.getByRole('button', { name: 'Delete tag…' }).click();
  await del.getByRole('button', { name: 'Delete tag', exact: true }).click();
  await expect(library.view('papers')).toHaveCount(0);
  await expect(library.rows()).toHaveCount(2);
});

test('pasting a link outside a text field opens Add link with it', async ({ page, app }) => {
  const library = await openLibrary(page, app.url);
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'https://example.org/pasted');
    document.body.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true }),
    );
  });
  const dialog = page.getByRole('dialog', { name: 'Add link' });
  await expect(dialog.getByLabel('URL')).toHaveValue('https://example.org/pasted');
  await library.page.keyboard.press('Escape');
});

test('fills in the title and description from the page while the URL is typed', async ({
  page,
  app,
  fixturePages,
}) => {
  const library = await openLibrary(page, app.url);
  const dialog = await library.openAddLink();
  await dialog.url.fill(fixturePages.at('/pages/article.html'));
  await expect(dialog.title).toHaveValue('Raft: Understandable Consensus');
  await expect(dialog.description).toHaveValue('How Raft elects a leader & replicates a log.');
  await dialog.save();
  await expect(library.row('Raft: Understandable Consensus')).toBeVisible();

  // A page that cannot be fetched leaves a quiet note and never blocks saving.
  const second = await library.openAddLink();
  await second.url.fill(fixturePages.at('/status/404'));
  await expect(second.root).toContainText('You can still save it now');
  await second.title.fill('Saved anyway');
  await second.save();
  await expect(library.row('Saved anyway')).toBeVisible();
});

/**
 * The screens as a curator sees them, light and dark. Attached to the report on every run;
 * `CURIO_SCREENSHOTS=docs/screenshots npx playwright test e2e/library.spec.ts -g screens`
 * refreshes the README's pictures.
 */
test('screens', async ({ page, app }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const shoot = async (name: string) => {
    const path = process.env.CURIO_SCREENSHOTS
      ? `${process.env.CURIO_SCREENSHOTS}/${name}.png`
      : testInfo.outputPath(`${name}.png`);
    await page.screenshot({ path });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  };
  await page.emulateMedia({ colorScheme: 'light' });
  const library = await openLibrary(page, app.url);
  await shoot('library-empty');

  const dialog = await library.openAddLink();
  await dialog.fill({
    url: LINKS[0]!.url,
    title: LINKS[0]!.title,
    tags: 'crdt, distributed-systems',
  });
  await shoot('add-link');
  await dialog.save();
  await library.addLink({ ...LINKS[1]!, tags: 'jepsen, distributed-systems' });
  await library.addLink({ ...LINKS[2]!, tags: 'papers, distributed-systems' });
  await library.addLink({
    url: 'https://www.inkandswitch.com/local-first/',
    title: 'Local-first software: you own your data, in spite of the cloud',
    description: 'Seven ideals for software that keeps data on your devices and syncs when it can.',
    tags: 'local-first, crdt',
  });
  await library.openView('All');
  await library.select('Jepsen: etcd 3.4.3');
  await library.detail.button('Mark as read').click();
  await library.select('CRDTs: The Hard Parts');
  await library.detail.writeNote(
    '## Why it matters\n\nThe **move operation** is the hard part: concurrent moves can make cycles.\n\n- watch the Hydra talk\nCompare with Automerge’s approach.',
  );
  await library.saved();
  await shoot('library');

  await library.searchFor('move');
  await expect(library.rows()).toHaveCount(1);
  await shoot('search');
  await library.searchFor('');

  await page.keyboard.press('Escape');
  await library.list.focus();
  await page.keyboard.press('?');
  await shoot('shortcuts');
  await page.keyboard.press('Escape');

  await page.emulateMedia({ colorScheme: 'dark' });
  await library.row('Local-first software').click();
  for (const key of ['x', 'j', 'x', 'j', 'j']) await page.keyboard.press(key);
  await expect(library.detail.title).toHaveText('CRDTs: The Hard Parts');
  await shoot('library-dark');
  await library.openAddLink();
  await shoot('add-link-dark');
});

test('reads through Unread with j and r, one link after another', async ({ page, app }) => {
  const library = await openLibrary(page, app.url);
  for (const link of LINKS) await library.addLink(link);
  // The link just saved is open.
  await expect(library.detail.title).toHaveText('Amazon’s Dynamo');
  await library.list.focus();
  await page.keyboard.press('r');
  // Read links leave Unread, but the one being read stays open until the curator moves on.
  await expect(library.row('Amazon’s Dynamo')).toHaveCount(0);
  await expect(library.detail.button('Mark as unread')).toBeVisible();
  await page.keyboard.press('j');
  await expect(library.detail.title).toHaveText('Jepsen: etcd 3.4.3');
  await page.keyboard.press('r');
  await page.keyboard.press('j');
  await expect(library.detail.title).toHaveText('CRDTs: The Hard Parts');
  await expect(library.view('Unread')).toHaveAccessibleDescription('1');
});

test('follows the system theme until the curator picks one, and remembers the pick', async ({
  page,
  app,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const library = await openLibrary(page, app.url);
  const html = page.locator('html');
  await expect(html).not.toHaveAttribute('data-theme');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await library.ready();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('radio', { name: 'Follow system' }).check();
  await expect(html).not.toHaveAttribute('data-theme');
});

test('the Trash toast undoes only its own move, and goes once Ctrl+Z has undone it', async ({
  page,
  app,
}) => {
  const library = await openLibrary(page, app.url);
  for (const link of LINKS) await library.addLink(link);
  await library.openView('All');
  // An earlier, unrelated bulk Mark read…
  await library.row('CRDTs: The Hard Parts').click();
  await library.row('Jepsen: etcd 3.4.3').click({ modifiers: ['Shift'] });
  await page
    .getByRole('toolbar', { name: 'Selected links' })
    .getByRole('button', { name: 'Mark read' })
    .click();
  await expect(library.view('Read')).toHaveAccessibleDescription('2');
  // …then a move to Trash, undone with Ctrl+Z while its toast still shows.
  await library.select('Amazon’s Dynamo');
  await library.detail.button('Move to Trash').click();
  await expect(library.toast).toContainText('Moved 1 item to Trash');
  await library.list.focus();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(library.row('Amazon’s Dynamo')).toBeVisible();
  const undo = library.toast.getByRole('button', { name: 'Undo' });
  // The toast's own change is undone: it must not offer to undo anything else.
  if ((await undo.count()) > 0) await undo.click();
  await expect(undo).toHaveCount(0);
  await expect(library.view('Read')).toHaveAccessibleDescription('2');
  await expect(library.row('Amazon’s Dynamo')).toBeVisible();

  // A toast also goes when a later change comes after its own.
  await library.select('Amazon’s Dynamo');
  await library.detail.button('Move to Trash').click();
  await expect(undo).toBeVisible();
  await library.select('CRDTs: The Hard Parts');
  await library.detail.button('Mark as unread').click();
  await expect(undo).toHaveCount(0);
});

test('Ctrl+Z in a new note takes back everything typed, its first words included; Ctrl+Y redoes it', async ({
  page,
  app,
}) => {
  const library = await openLibrary(page, app.url);
  await library.addLink(LINKS[0]!);
  await library.select(LINKS[0]!.title!);
  const { note } = library.detail;
  // The first words start the note's text; the editor then binds to it and typing goes on.
  await library.detail.writeNote('First words');
  await note.pressSequentially(' and more');
  await expect(note).toContainText('First words and more');

  // Undo steps group keystrokes by time, so there are at most as many as keys typed.
  const typed = 'First words and more'.length;
  for (let i = 0; i < typed && (await note.textContent())!.includes('F'); i++)
    await note.press('ControlOrMeta+z');
  // Not one letter is left: the "F" that started the note's text is undone too.
  await expect(note).not.toContainText('F');
  for (let i = 0; i < typed && !(await note.textContent())!.includes('more'); i++)
    await note.press('Control+y');
  await expect(note).toContainText('First words and more');
  await library.saved();

  await page.reload();
  await library.ready();
  await library.select(LINKS[0]!.title!);
  await expect(library.detail.note).toContainText('First words and more');
});

test('after clicking a view, Enter opens the current link, and Esc closes it', async ({
  page,
  app,
}) => {
  const library = await openLibrary(page, app.url);
  for (const link of LINKS) await library.addLink(link);
  await library.select('Jepsen: etcd 3.4.3');
  await library.view('All').click();
  await page.keyboard.press('Enter');
  await expect(library.detail.title).toBeFocused();
  await expect(library.detail.title).toHaveText('Jepsen: etcd 3.4.3');
  await expect(library.row('Jepsen: etcd 3.4.3')).toHaveAttribute('aria-current', 'true');

  // A key pressed the moment the view shows already reaches the list, even from the Queue, which
  // hides the list until the view is chosen.
  await library.view('Queue').click();
  await page.evaluate(async () => {
    const all = document.querySelector('nav[aria-label="Library"] button[aria-label="All"]');
    (all as HTMLButtonElement).focus();
    (all as HTMLButtonElement).click();
    await new Promise((resolve) => setTimeout(resolve));
    const key = { key: 'Enter', bubbles: true, cancelable: true };
    document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', key));
  });
  await expect(library.detail.title).toBeFocused();

  // Esc steps back: first the multi-selection, then the open link.
  await library.list.focus();
  await page.keyboard.press('x');
  await expect(library.row('Jepsen: etcd 3.4.3')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(library.row('Jepsen: etcd 3.4.3')).toHaveAttribute('aria-selected', 'false');
  await expect(library.detail.title).toHaveText('Jepsen: etcd 3.4.3');
  await page.keyboard.press('Escape');
  await expect(library.detail.root).toContainText('Select a link to see its details');
  await expect(library.list.locator('[aria-current="true"]')).toHaveCount(0);
  // j picks up where the closed link was.
  await page.keyboard.press('j');
  await expect(library.detail.title).toHaveText('CRDTs: The Hard Parts');

  // A view the open link is not in opens its own first link, if it has one.
  await library.view('Read').click();
  await expect(page.getByText('Nothing read yet.')).toBeVisible();
  await expect(library.detail.root).toContainText('Select a link to see its details');
  await library.view('Unread').click();
  await page.keyboard.press('Enter');
  await expect(library.detail.title).toHaveText('Amazon’s Dynamo');
  await expect(library.detail.title).toBeFocused();
});

test('a tag chip on a row shows that tag’s links', async ({ page, app }) => {
  const library = await openLibrary(page, app.url);
  await library.addLink({ ...LINKS[0]!, tags: 'crdt, papers' });
  await library.addLink({ ...LINKS[1]!, tags: 'papers' });
  await library.addLink(LINKS[2]!);
  await library.row('CRDTs: The Hard Parts').getByRole('button', { name: 'crdt' }).click();
  await expect(library.view('crdt')).toHaveAttribute('aria-current', 'page');
  await expect(library.rows()).toHaveCount(1);
  await library.row('CRDTs: The Hard Parts').getByRole('button', { name: 'papers' }).click();
  await expect(library.view('papers')).toHaveAttribute('aria-current', 'page');
  await expect(library.rows()).toHaveCount(2);
});

test('six pasted links come out in the order they were pasted', async ({
  page,
  app,
  fixturePages,
}) => {
  const library = await openLibrary(page, app.url);
  // Pages that answer 404: the links keep their URLs as titles, so the list shows the order.
  const urls = [6, 1, 5, 3, 2, 4].map((n) => fixturePages.at(`/status/404?link=${n}`));
  await library.addLink({ url: urls.join('\n') });
  await expect(library.rows()).toHaveCount(6);
  const titles = await library
    .rows()
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label')?.split(',')[0]));
  expect(titles).toEqual(urls);
  await expect(library.detail.title).toHaveText(urls[0]!);
});

test('a link saved offline gets its title and description once the network is back', async ({
  page,
  context,
  app,
  fixturePages,
}) => {
  const library = await openLibrary(page, app.url);
  const url = fixturePages.at('/pages/article.html');
  await context.setOffline(true);
  const dialog = await library.openAddLink();
  await dialog.url.fill(url);
  await expect(dialog.root).toContainText('You can still save it now');
  await dialog.save();
  await expect(library.row(url)).toBeVisible();
  await expect(library.detail.root).toContainText('Waiting to fetch details until you are online');
  await expect(library.detail.button('Fetch details again')).toBeVisible();

  await context.setOffline(false);
  await expect(library.row('Raft: Understandable Consensus')).toBeVisible();
  await expect(library.detail.root).toContainText('How Raft elects a leader');
  await expect(library.detail.button('Fetch details again')).toHaveCount(0);
});

test('a link still waiting for its title is fetched after the app restarts online', async ({
  page,
  context,
  app,
  fixturePages,
}) => {
  const library = await openLibrary(page, app.url);
  const url = fixturePages.at('/pages/article.html');
  await context.setOffline(true);
  await library.addLink({ url });
  await expect(library.detail.root).toContainText('Waiting to fetch details until you are online');
  await library.saved();
  await page.close();

  await context.setOffline(false);
  const again = await openLibrary(await context.newPage(), app.url);
  await expect(again.row('Raft: Understandable Consensus')).toBeVisible();
});
