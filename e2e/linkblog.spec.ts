// Corrections end to end, the way a link blog needs them: a curator publishes a pick to Bluesky (a
// real local PDS) and the site (a bare git repository), edits the published blurb and headline and
// updates the site without a new post, then takes the pick down from Bluesky and from the site.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestNetworkNoAppView } from '@atproto/dev-env';
import {
  createAccount,
  listPosts,
  startPds,
  type TestAccount,
} from '../src/main/services/publish/testing/pds';
import { LibraryPage } from './pages/LibraryPage';
import { expect, test } from './support/fixtures';
import { setUpBluesky, setUpSite } from './support/publishing';

let net: TestNetworkNoAppView;
let account: TestAccount;
let tmp: string;
let bare: string;

test.beforeAll(async () => {
  net = await startPds();
  account = await createAccount(net, 'linkblog');
  tmp = await mkdtemp(join(tmpdir(), 'curio-e2e-linkblog-'));
  bare = join(tmp, 'site.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
});

test.afterAll(async () => {
  await net?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const git = (...args: string[]) =>
  execFileSync('git', [`--git-dir=${bare}`, ...args], { encoding: 'utf8' }).trim();

const RAFT = {
  url: 'https://raft.github.io/',
  title: 'The Raft Consensus Algorithm',
  description: 'Raft is a consensus algorithm designed to be easy to understand.',
};

test('edits a published blurb and headline and updates the site, then removes the pick from Bluesky and the site', async ({
  page,
}) => {
  await page.goto('/');
  const library = new LibraryPage(page);
  await library.ready();
  await page.getByRole('button', { name: 'Settings' }).click();
  const setup = {
    serviceUrl: net.pds.url,
    handle: account.handle,
    password: account.password,
    remote: bare,
  };
  await setUpBluesky(page, setup);
  await setUpSite(page, setup);
  await page.getByRole('button', { name: 'Done' }).click();

  await library.addLink(RAFT);
  await library.select(RAFT.title);
  await library.detail.button('Publish').click();
  const dialog = page.getByRole('dialog', { name: 'Publish 1 link' });
  await dialog.getByLabel('Blurb').fill('The paper that made consensus teachable.');
  await dialog.getByRole('button', { name: 'Publish' }).click();
  const details = library.detail.root;
  await expect(details.getByRole('link', { name: 'On Bluesky' })).toBeVisible({ timeout: 30_000 });
  await expect(details.getByRole('link', { name: 'On site' })).toBeVisible({ timeout: 30_000 });
  // The site links to the post: the first build came after it, or was rebuilt for it.
  await expect
    .poll(() => git('show', 'main:index.html'), { timeout: 30_000 })
    .toContain('rel="syndication">On Bluesky</a>');
  const commits = Number(git('rev-list', '--count', 'main'));

  // Corrections: new words and a headline for the site; Bluesky keeps its post as it was.
  await library.detail.button('Publish').click();
  await expect(dialog).toContainText('Already on the site.');
  await dialog.getByLabel('Blurb').fill('Read the figures first; the proofs can wait.');
  await dialog.getByLabel('Headline on the site').fill('Consensus, understood');
  await dialog.getByRole('button', { name: 'Update site' }).click();
  await expect(dialog).toBeHidden();
  await expect
    .poll(() => Number(git('rev-list', '--count', 'main')), { timeout: 30_000 })
    .toBe(commits + 1);
  const index = git('show', 'main:index.html');
  expect(index).toContain('Read the figures first; the proofs can wait.');
  expect(index).toContain('>Consensus, understood</a></h3>');
  expect(index).not.toContain('The paper that made consensus teachable.');
  expect(git('log', '-1', '--format=%s', 'main')).toBe('Update site: 1 entry changed');
  const posts = await listPosts(net, account.did);
  expect(posts.map((p) => (p.value as { text: string }).text)).toEqual([
    'The paper that made consensus teachable.',
  ]);

  // Remove from Bluesky: the confirmation names the post; the record goes, nobody posts it again.
  await details.getByRole('button', { name: 'Remove from Bluesky' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove from Bluesky?' });
  await expect(confirm).toContainText('The post “The paper that made consensus teachable.”');
  await expect(confirm).toContainText(`https://bsky.app/profile/${account.did}/post/`);
  await confirm.getByRole('button', { name: 'Remove from Bluesky' }).click();
  await expect(details.getByText('Removed from Bluesky')).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => (await listPosts(net, account.did)).length).toBe(0);
  await library.detail.button('Publish').click();
  await expect(dialog).toContainText('Removed from Bluesky — it will not be posted again');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Remove from site: the entry, its page and its place in the feed go in one commit.
  await details.getByRole('button', { name: 'Remove from site' }).click();
  await page
    .getByRole('dialog', { name: 'Remove from site?' })
    .getByRole('button', { name: 'Remove from site' })
    .click();
  await expect(details.getByText('Removed from site')).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(() => git('show', 'main:index.html'), { timeout: 30_000 })
    .not.toContain('Consensus, understood');
  expect(git('show', 'main:feed.xml')).not.toContain(RAFT.url);
  expect(await listPosts(net, account.did)).toHaveLength(0);
});
