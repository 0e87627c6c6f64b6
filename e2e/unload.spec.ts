// Closing the page while a change is still on its way to disk: the browser asks "Leave site?"
// first, and the change is there after a reload; with everything saved, it closes without asking.
import { expect, test } from './support/fixtures';
import type { Page } from '@playwright/test';
import { LibraryPage } from './pages/LibraryPage';
import { holdLogWrites } from './support/hold-log';

const LINK = {
  url: 'https://www.the-paper-trail.org/post/2014-10-16-gray-failures/',
  title: 'Gray failures',
  description: 'Partial failures that health checks do not see.',
};

/** The library with LINK saved to disk and open. */
async function withSavedLink(page: Page, url: string): Promise<LibraryPage> {
  const library = await LibraryPage.open(page, url);
  await library.addLink(LINK);
  await library.saved();
  await library.select(LINK.title);
  return library;
}

/** Records each dialog the page opens, and answers it. */
function recordDialogs(page: Page, answer: 'accept' | 'dismiss'): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog[answer]();
  });
  return dialogs;
}

test('closing while a change is being saved asks first, and the change is kept', async ({
  page,
  app,
}) => {
  const library = await withSavedLink(page, app.url);

  const hold = await holdLogWrites(page);
  await library.detail.button('Mark as read').click();
  await expect(library.detail.button('Mark as unread')).toBeVisible();
  await expect(page.getByRole('status', { name: 'Sync: Saving…' })).toBeVisible();

  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  // Stay on the page: the write finishes once the disk lets it.
  await dialog.dismiss();
  await hold.release();
  await expect(page.getByRole('status', { name: 'Sync: Saved on this device' })).toBeVisible();

  await page.reload();
  await library.ready();
  await library.openView('Read');
  await expect(library.row(LINK.title)).toBeVisible();
});

test('closing with everything saved asks nothing', async ({ page, app }) => {
  await withSavedLink(page, app.url);

  const dialogs = recordDialogs(page, 'accept');
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(dialogs).toEqual([]);
});

test('opening another collection waits for the change on its way to disk, and asks nothing', async ({
  page,
  app,
}) => {
  const library = await withSavedLink(page, app.url);

  // Staying is what a curator asked "Leave site?" in the middle of switching would not expect.
  const dialogs = recordDialogs(page, 'dismiss');
  const hold = await holdLogWrites(page);
  await library.detail.button('Mark as read').click();
  await expect(page.getByRole('status', { name: 'Sync: Saving…' })).toBeVisible();

  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('textbox', { name: 'New collection name' }).fill('Reading group');
  await settings.getByRole('button', { name: 'New collection' }).click();
  await hold.release();
  // The new collection opens once the change is saved: an empty library.
  await expect(library.view('All')).toHaveText(/0$/);
  await library.ready();
  expect(dialogs).toEqual([]);

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(settings.getByText('Reading group (open)')).toBeVisible();
  await settings.getByRole('button', { name: 'Open' }).click();
  await library.ready();
  await library.openView('Read');
  await expect(library.row(LINK.title)).toBeVisible();
  expect(dialogs).toEqual([]);
});
