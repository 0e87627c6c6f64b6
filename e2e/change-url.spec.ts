// Edit can change a link's URL: the link keeps its tags, note and read state, and a URL that is
// already another saved link is refused with that link's name.
import { expect, test } from './support/fixtures';
import { LibraryPage } from './pages/LibraryPage';

test('changes a link’s URL, keeping what is on it, and refuses one already saved', async ({
  page,
  app,
}) => {
  const library = await LibraryPage.open(page, app.url);
  await library.addLink({ url: 'https://jepsen.io/analyses', title: 'Jepsen analyses' });
  await library.addLink({
    url: 'https://raft.github.io/raft.pdf',
    title: 'Raft',
    tags: 'consensus',
  });
  await library.select('Raft');
  await library.detail.writeNote('The leader election chapter');
  await library.detail.button('Mark as read').click();
  await library.openView('All');
  await library.select('Raft');

  await library.detail.button('Edit').click();
  const edit = page.getByRole('dialog', { name: 'Edit link' });
  await edit.getByLabel('URL').fill('https://www.jepsen.io/analyses/');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByRole('alert')).toHaveText('Already saved as “Jepsen analyses”');

  await edit.getByLabel('URL').fill('https://raft.github.io/');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(library.rows()).toHaveCount(2);
  await expect(library.detail.title).toHaveText('Raft');
  await expect(library.detail.root.getByRole('link', { name: 'raft.github.io' })).toHaveAttribute(
    'href',
    'https://raft.github.io/',
  );
  await expect(library.detail.button('Remove tag consensus')).toBeVisible();
  await expect(library.detail.note).toContainText('The leader election chapter');
  await expect(library.detail.button('Mark as unread')).toBeVisible();

  await library.saved();
  await page.reload();
  await library.ready();
  await library.openView('All');
  await library.select('Raft');
  await expect(library.detail.root.getByRole('link', { name: 'raft.github.io' })).toHaveAttribute(
    'href',
    'https://raft.github.io/',
  );
  await expect(library.detail.note).toContainText('The leader election chapter');
});
