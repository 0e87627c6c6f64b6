// Corrections end to end, the way a link blog needs them: a curator publishes a pick to Bluesky (a
// real local PDS) and the site (a bare git repository), edits the published blurb and headline and
// updates the site without a new post, then takes the pick down from Bluesky and from the site.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { listPosts } from '../src/main/services/publish/testing/pds';
import { publishSite } from '../src/main/services/publish/site-publisher';
import { pickOf, type PickedLink } from '../src/shared/publish';
import { itemRow, postRecord, siteRecord } from '../src/shared/publish/testing';
import { expect, test } from './support/fixtures';
import { openSettings, publishingWorld, setUpBluesky, setUpSite } from './support/publishing';

const world = publishingWorld('linkblog');

const git = (...args: string[]) =>
  execFileSync('git', [`--git-dir=${world.bare}`, ...args], { encoding: 'utf8' }).trim();

const RAFT = {
  url: 'https://raft.github.io/',
  title: 'The Raft Consensus Algorithm',
  description: 'Raft is a consensus algorithm designed to be easy to understand.',
};

test('edits a published blurb and headline and updates the site, then removes the pick from Bluesky and the site', async ({
  page,
}) => {
  const library = await openSettings(page);
  const setup = {
    serviceUrl: world.net.pds.url,
    handle: world.account.handle,
    password: world.account.password,
    remote: world.bare,
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
  const posts = await listPosts(world.net, world.account.did);
  expect(posts.map((p) => (p.value as { text: string }).text)).toEqual([
    'The paper that made consensus teachable.',
  ]);

  // Remove from Bluesky: the confirmation names the post; the record goes, nobody posts it again.
  await details.getByRole('button', { name: 'Remove from Bluesky' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove from Bluesky?' });
  await expect(confirm).toContainText('The post “The paper that made consensus teachable.”');
  await expect(confirm).toContainText(`https://bsky.app/profile/${world.account.did}/post/`);
  await confirm.getByRole('button', { name: 'Remove from Bluesky' }).click();
  await expect(details.getByText('Removed from Bluesky')).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => (await listPosts(world.net, world.account.did)).length).toBe(0);
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
  expect(await listPosts(world.net, world.account.did)).toHaveLength(0);
});

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.xml': 'application/atom+xml',
  '.json': 'application/json',
};

/** A loopback server for a folder: what a static host would serve from the site's repository. */
async function serveFolder(root: string) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root)) return void res.writeHead(404).end();
    readFile(file).then(
      (body) =>
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'text/plain' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const DAY = 86_400_000;
const POST = 'https://bsky.app/profile/did:plc:curator/post/3kabcdefghi22';

function screenPicks(image: (name: string) => string): PickedLink[] {
  const pick = (
    n: number,
    fields: Parameters<typeof itemRow>[0],
    blurb: string,
    headline = '',
  ): PickedLink => ({
    ...pickOf(
      itemRow({
        ...fields,
        publications: {
          site: siteRecord(`pick-${n}-x`, Date.UTC(2026, 2, 14) - n * DAY),
          ...(n === 0 ? { bluesky: postRecord(POST) } : {}),
        },
      }),
      blurb,
    ),
    headline,
  });
  return [
    pick(
      0,
      {
        url: 'https://jepsen.io/analyses/etcd-3.4.3',
        title: 'Jepsen: etcd 3.4.3',
        description:
          'We tested etcd 3.4.3 and found that locks are fundamentally unsafe, and that watches could miss updates.',
        image: image('cluster-diagram.png'),
        tags: ['jepsen', 'consistency'],
      },
      'Locks in etcd are not what the name promises: a lease can expire while its holder still thinks it holds it.',
      'etcd locks are not locks',
    ),
    pick(
      1,
      {
        url: 'https://martin.kleppmann.com/2020/07/06/crdt-hard-parts-hydra.html',
        title: 'CRDTs: The Hard Parts',
        description:
          'A talk on the open problems of CRDTs: interleaving, moving, and metadata overhead.',
        image: image('terms-1920.png'),
        tags: ['crdt'],
      },
      'The move operation is the hard part: concurrent moves can make cycles.',
    ),
    pick(
      2,
      {
        url: 'https://www.allthingsdistributed.com/2008/12/eventually_consistent.html',
        title: 'Eventually Consistent - Revisited',
        description:
          'Werner Vogels on the trade-offs between consistency and availability at scale.',
        image: image('datacentre.jpg'),
        tags: ['consistency', 'papers'],
      },
      'Still the clearest short introduction to what "eventually" means.',
    ),
    pick(
      3,
      {
        url: 'https://raft.github.io/',
        title: 'The Raft Consensus Algorithm',
        description: 'Raft is a consensus algorithm that is designed to be easy to understand.',
        tags: ['consensus'],
      },
      '',
    ),
  ];
}

/**
 * The site's home page as readers see it, light, dark and at a phone's width. Attached to the
 * report on every run; `CURIO_SCREENSHOTS=docs/screenshots npx playwright test
 * e2e/linkblog.spec.ts -g "site screens"` refreshes the pictures in docs/screenshots.
 */
test('site screens', async ({ page, fixturePages }, testInfo) => {
  const remote = join(world.tmp, 'screens.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  await publishSite(
    screenPicks((name) => fixturePages.at(`/articles/images/${name}`)),
    {
      remote,
      title: 'Distributed links',
      baseUrl: 'https://links.example.org/',
      description: 'Papers, talks and posts on distributed systems: one worth reading, most days.',
    },
    { cacheDir: join(world.tmp, 'screens-cache') },
  );
  const checkout = join(world.tmp, 'screens');
  execFileSync('git', ['clone', '--quiet', remote, checkout]);
  const site = await serveFolder(checkout);
  const shoot = async (name: string) => {
    const path = process.env.CURIO_SCREENSHOTS
      ? `${process.env.CURIO_SCREENSHOTS}/${name}.png`
      : testInfo.outputPath(`${name}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  };
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(site.url);
    await expect(page.getByRole('heading', { name: 'Recent Posts' })).toBeVisible();
    await expect(page.locator('img')).toHaveCount(3);
    for (const img of await page.locator('img').all())
      expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(
        true,
      );
    await shoot('site-home');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot('site-home-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    // Nothing scrolls sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await shoot('site-home-phone');
  } finally {
    await site.close();
  }
});
