// Closing the page while a change is still on its way to disk: the browser asks "Leave site?"
// first, and the change is there after a reload; with everything saved, it closes without asking.
import { expect, test } from './support/fixtures';
import { LibraryPage } from './pages/LibraryPage';
import { holdLogWrites } from './support/hold-log';

const LINK = {
  url: 'https://www.the-paper-trail.org/post/2014-10-16-gray-failures/',
  title: 'Gray failures',
  description: 'Partial failures that health checks do not see.',
};

test('closing while a change is being saved asks first, and the change is kept', async ({
  page,
  app,
}) => {
  const library = await LibraryPage.open(page, app.url);
  await library.addLink(LINK);
  await library.saved();
  await library.select(LINK.title);

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
  const library = await LibraryPage.open(page, app.url);
  await library.addLink(LINK);
  await library.saved();
  await library.select(LINK.title);

  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(dialogs).toEqual([]);
});

test('opening another collection waits for the change on its way to disk, and asks nothing', async ({
  page,
  app,
}) => {
  const library = await LibraryPage.open(page, app.url);
  await library.addLink(LINK);
  await library.saved();
  await library.select(LINK.title);

  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    // Staying is what a curator asked "Leave site?" in the middle of switching would not expect.
    void dialog.dismiss();
  });
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
