// A curator who already posts links to Bluesky brings that history in through the Import dialog,
// from a real local PDS: posts with link cards become links already published there, replies,
// reposts and posts without a card are skipped and counted, importing again adds nothing, and
// publishing an imported link says it is already on Bluesky instead of posting it twice.
import { AtpAgent, RichText } from '@atproto/api';
import { listPosts } from '../src/main/services/publish/testing/pds';
import { expect, test } from './support/fixtures';
import { ImportExportSettings, type ImportDialog } from './pages/ImportExport';
import { LibraryPage } from './pages/LibraryPage';
import { publishingWorld, setUpBluesky } from './support/publishing';

const world = publishingWorld('linkblog');

const RAFT = 'Raft Consensus Algorithm';
const PAXOS = 'Paxos Made Simple';

const card = (uri: string, title: string, description = '') => ({
  $type: 'app.bsky.embed.external',
  external: { uri, title, description },
});

test.beforeAll(async () => {
  const agent = new AtpAgent({ service: world.net.pds.url });
  await agent.login({ identifier: world.account.handle, password: world.account.password });
  const post = (text: string, extra: Record<string, unknown>) => {
    const rt = new RichText({ text });
    rt.detectFacetsWithoutResolution();
    return agent.post({ text: rt.text, facets: rt.facets, ...extra });
  };
  const first = await post('Pick of the day: Raft, explained. #Raft #consensus', {
    embed: card('https://raft.github.io/', RAFT, 'Understandable consensus'),
    createdAt: '2025-01-06T11:00:00.000Z',
  });
  await post('Only words today', { createdAt: '2025-01-07T11:00:00.000Z' });
  await post('The paper behind it all #paxos', {
    embed: card('https://lamport.azurewebsites.net/pubs/paxos-simple.pdf', PAXOS),
    createdAt: '2025-01-08T11:00:00.000Z',
  });
  await post('And the follow-up', {
    reply: { root: first, parent: first },
    embed: card('https://example.com/follow-up', 'In a reply'),
    createdAt: '2025-01-09T11:00:00.000Z',
  });
  await agent.repost(first.uri, first.cid);
});

async function importAccount(settings: ImportExportSettings): Promise<ImportDialog> {
  const dialog = await settings.openImport();
  await dialog.root.getByLabel('Handle').fill(`@${world.account.handle}`);
  await dialog.root.getByLabel('Service URL').fill(world.net.pds.url);
  await dialog.button('Import from Bluesky').click();
  return dialog;
}

test('imports a Bluesky account’s link cards as links already posted there, once', async ({
  page,
}) => {
  await page.goto('/');
  const library = new LibraryPage(page);
  await library.ready();
  const settings = new ImportExportSettings(page);

  const dialog = await importAccount(settings);
  await dialog.expectCounts(2, 0, 3);
  await dialog.button('Import 2 links').click();
  await expect(dialog.root).toBeHidden();
  await expect(library.toast).toContainText('Imported 2 links');
  await settings.close();

  await library.openView('All');
  await expect(library.rows()).toHaveCount(2);
  const raft = library.row(RAFT);
  await expect(raft.getByRole('link', { name: 'On Bluesky' })).toHaveAttribute(
    'href',
    new RegExp(`^https://bsky\\.app/profile/${world.account.did}/post/`),
  );
  await library.select(RAFT);
  await expect(library.detail.root).toContainText('Pick of the day: Raft, explained.');
  await library.openView('paxos');
  await expect(library.rows()).toHaveCount(1);
  await library.openView('Not yet published');
  await expect(library.rows()).toHaveCount(0);

  // The same account again: both links are already here, and nothing new is offered.
  const again = await importAccount(settings);
  await again.expectCounts(0, 2, 3);
  await expect(again.root).toContainText('Nothing to import');
  await expect(again.root).toContainText('Left out on purpose: 1 reply, 1 no link card, 1 repost.');
  await again.button('Cancel').click();
  await expect(again.counts).toHaveCount(0);
  await again.button('Close').click();
  await expect(again.root).toBeHidden();
  await settings.close();
  await library.openView('All');
  await expect(library.rows()).toHaveCount(2);

  // Publishing an imported link to the account it came from posts nothing.
  await settings.open();
  await setUpBluesky(page, {
    serviceUrl: world.net.pds.url,
    handle: world.account.handle,
    password: world.account.password,
  });
  await settings.close();
  await library.row(RAFT).getByRole('checkbox').check();
  await page
    .getByRole('toolbar', { name: 'Selected links' })
    .getByRole('button', { name: 'Publish' })
    .click();
  const publish = page.getByRole('dialog', { name: 'Publish 1 link' });
  await expect(publish.getByRole('listitem', { name: RAFT })).toContainText('Already on Bluesky');
  await publish.getByRole('button', { name: 'Cancel' }).click();
  expect(await listPosts(world.net, world.account.did)).toHaveLength(4);
});
