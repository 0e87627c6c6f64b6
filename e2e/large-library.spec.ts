// A 20,000-link collection while it is still opening: its rows are on screen and searchable and
// the curator can save a link before the document has replayed from the log; once it has, the
// link is kept exactly once and every other link is still there.
import { expect, test } from './support/fixtures';
import type { Page } from '@playwright/test';
import { LibraryPage } from './pages/LibraryPage';
import { holdReplayOnNextLoad } from './support/hold-replay';
import { seedCollection } from './support/seed-collection';

const LINKS = 20_000;

const SAVED = {
  url: 'https://notes.example.org/2026/saved-while-opening',
  title: 'Saved while the collection was still opening',
};

/** The Queue view reads the document itself: until the log has replayed it says so. */
async function expectStillOpening(page: Page, library: LibraryPage): Promise<void> {
  await library.view('Queue').click();
  await expect(page.getByRole('status').filter({ hasText: 'Opening the queue…' })).toBeVisible();
  await library.openView('Unread');
}

test('a 20,000-link collection can be searched, added to and scrolled while it opens', async ({
  page,
}) => {
  // Building and writing 20,000 links, then reading them back, is slow on a busy machine.
  test.setTimeout(300_000);
  const library = await LibraryPage.open(page, '/');
  const seeded = await seedCollection(page, LINKS);
  // Newest first, as the list shows them (every link was added at its own minute).
  const links = [...seeded.rows].sort((a, b) => b.addedAt - a.addedAt);
  const oldest = links.at(-1)!;
  // Halfway down: nowhere near the first screen.
  const deep = links[LINKS / 2]!;
  for (const link of [oldest, deep])
    expect(links.filter((other) => other.title.startsWith(link.title))).toHaveLength(1);

  const hold = await holdReplayOnNextLoad(page, seeded.collection);
  await page.reload();
  await hold.held();
  await library.ready();
  // Every stored row is read (not just the first screen) while the log waits.
  await expect(library.list).toHaveAttribute('aria-rowcount', String(LINKS), { timeout: 120_000 });
  await expectStillOpening(page, library);

  await library.searchFor(deep.title);
  await expect(library.row(deep.title)).toBeVisible();
  await library.searchFor('');

  await library.addLink(SAVED);
  await expect(library.row(SAVED.title)).toBeVisible();
  await expect(library.list).toHaveAttribute('aria-rowcount', String(LINKS + 1));

  await library.list.hover();
  await page.mouse.wheel(0, 10_000_000);
  await expect(library.row(oldest.title)).toBeInViewport();

  // All of that happened before the document was loaded: the saved link waits to be written.
  await expect(page.getByRole('status', { name: 'Sync: Saving…' })).toBeVisible();
  await expectStillOpening(page, library);

  await hold.release();
  await expect(page.getByRole('status', { name: 'Sync: Saved on this device' })).toBeVisible({
    timeout: 120_000,
  });
  await library.view('Queue').click();
  await expect(page.getByText('The queue is empty.')).toBeVisible();
  await library.openView('Unread');
  await expect(library.list).toHaveAttribute('aria-rowcount', String(LINKS + 1));
  await expect(page.getByText('20,001 links', { exact: true })).toBeVisible();
  await expect(library.row(SAVED.title)).toHaveCount(1);
  await library.searchFor(deep.title);
  await expect(library.row(deep.title)).toBeVisible();
  await library.searchFor(SAVED.title);
  await expect(library.row(SAVED.title)).toHaveCount(1);

  await page.reload();
  await library.ready();
  await expect(library.list).toHaveAttribute('aria-rowcount', String(LINKS + 1), {
    timeout: 120_000,
  });
  await expect(library.row(SAVED.title)).toBeVisible();
  await library.searchFor(oldest.title);
  await expect(library.row(oldest.title)).toBeVisible();
});
