// The conversation coming back: a curator posts two picks to a local PDS whose posts a real
// AppView indexes (@atproto/dev-env's TestNetwork, on a throwaway PostgreSQL cluster); others like
// and reply; the detail pane shows the counts and the replies as text, and the Published view can
// list the pick with the most replies first.
import { AtpAgent, type AppBskyFeedPost } from '@atproto/api';
import type { TestNetwork } from '@atproto/dev-env';
import {
  createAccount,
  listPosts,
  startAppViewNetwork,
  type TestAccount,
} from '../src/main/services/publish/testing/pds';
import { expect, test } from './support/fixtures';
import { openSettings, setUpBluesky } from './support/publishing';

let net: TestNetwork;
let close: () => Promise<void>;
let curator: TestAccount;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  ({ net, close } = await startAppViewNetwork('replies'));
  curator = await createAccount(net, 'curator');
});

test.afterAll(() => close?.());

// Raft is saved last, so it leads the list until replies decide.
const PICKS = [
  { url: 'https://crdt.tech/', title: 'CRDTs', description: 'Merging without asking.' },
  { url: 'https://raft.github.io/', title: 'Raft', description: 'Consensus, understood.' },
];

test('shows the likes and replies under a pick’s post as text, and lists the most replied first', async ({
  page,
}) => {
  const library = await openSettings(page);
  await setUpBluesky(page, {
    serviceUrl: net.pds.url,
    handle: curator.handle,
    password: curator.password,
    appViewUrl: net.bsky.url,
  });
  await page.getByRole('button', { name: 'Done' }).click();
  for (const pick of PICKS) await library.addLink(pick);
  await library.openView('All');
  for (const pick of PICKS) await library.row(pick.title).getByRole('checkbox').check();
  await page.keyboard.press('p');
  const dialog = page.getByRole('dialog', { name: 'Publish 2 links' });
  await dialog.getByRole('button', { name: 'Publish' }).click();
  for (const pick of PICKS)
    await expect(library.row(pick.title).getByRole('link', { name: 'On Bluesky' })).toBeVisible({
      timeout: 30_000,
    });

  // Others answer: a like on Raft, two replies under CRDTs (one of them markup and a script link).
  const posts = await listPosts(net, curator.did);
  const post = (text: string) => {
    const found = posts.find((p) => (p.value as AppBskyFeedPost.Record).text === text)!;
    return { uri: found.uri, cid: found.cid };
  };
  const [raft, crdt] = [post('Consensus, understood.'), post('Merging without asking.')];
  const reader = await createAccount(net, 'reader');
  const agent = new AtpAgent({ service: net.pds.url });
  await agent.login({ identifier: reader.handle, password: reader.password });
  await agent.like(raft.uri, raft.cid);
  const hostile = '<img src=x onerror=alert(1)> javascript:alert(2)';
  await agent.post({ text: hostile, reply: { root: crdt, parent: crdt } });
  await agent.post({ text: 'Which paper first?', reply: { root: crdt, parent: crdt } });
  await net.processAll(120_000);

  await library.select('CRDTs');
  const conversation = library.detail.root.getByRole('region', { name: 'Conversation on Bluesky' });
  await conversation.getByRole('button', { name: 'Refresh' }).click();
  await expect(conversation).toContainText('0 likes · 0 reposts · 2 replies');
  const replies = conversation.getByRole('listitem');
  await expect(replies).toHaveCount(2);
  await expect(replies.filter({ hasText: hostile })).toHaveCount(1);
  await expect(conversation.locator('img')).toHaveCount(0);
  for (const link of await conversation.getByRole('link').all())
    await expect(link).toHaveAttribute(
      'href',
      /^https:\/\/bsky\.app\/profile\/did:plc:[a-z0-9]+\/post\/[a-z0-9]+$/,
    );

  await library.select('Raft');
  await conversation.getByRole('button', { name: 'Refresh' }).click();
  await expect(conversation).toContainText('1 like · 0 reposts · 0 replies');

  await library.openView('Published');
  await expect(library.rows().first()).toContainText('Raft');
  await page.getByRole('button', { name: 'Most replies first' }).click();
  await expect(page.getByRole('button', { name: 'Most replies first' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(library.rows().first()).toContainText('CRDTs');
});
