// The link-blog site against bare git repositories: every page validates and carries OpenGraph
// tags, a pick on Bluesky links to its post, thumbnails live in the repository under hashed
// paths, and the same picks give byte-identical files in two repositories.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAtomFeed } from 'feedsmith';
import { HtmlValidate } from 'html-validate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryOf, pickOf, type PickedLink, type SiteSettingsInput } from '../../../shared/publish';
import { itemRow, postRecord, siteRecord } from '../../../shared/publish/testing';
import { gitEnv } from './git';
import { publishSite } from './site-publisher';
import { startImageServer } from './testing/pds';

const run = promisify(execFile);
let tmp: string;
let images: Awaited<ReturnType<typeof startImageServer>>;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'curio-linkblog-'));
  images = await startImageServer();
});
afterAll(async () => {
  await images?.close();
  await rm(tmp, { recursive: true, force: true });
});

async function bareRemote(name: string): Promise<string> {
  const path = join(tmp, `${name}.git`);
  await run('git', ['init', '-q', '--bare', '-b', 'main', path]);
  return path;
}

async function remoteFiles(remote: string): Promise<Map<string, Buffer>> {
  const git = (...args: string[]) =>
    run('git', args, { cwd: remote, env: gitEnv(null), encoding: 'buffer', maxBuffer: 1 << 26 });
  const names = (await git('ls-tree', '-r', '--name-only', 'main')).stdout
    .toString()
    .split('\n')
    .filter(Boolean);
  const out = new Map<string, Buffer>();
  for (const name of names) out.set(name, (await git('show', `main:${name}`)).stdout);
  return out;
}

const POST = 'https://bsky.app/profile/did:plc:curator/post/3kabcdefghi22';

function picks(): PickedLink[] {
  const raft = itemRow({
    url: 'https://raft.github.io/',
    title: 'Raft Consensus Algorithm',
    description: 'Raft is a consensus algorithm that is designed to be easy to understand.',
    image: `${images.url}/big.png`,
    tags: ['consensus'],
    publications: { site: siteRecord('raft-x', Date.UTC(2026, 2, 12)), bluesky: postRecord(POST) },
  });
  const crdt = itemRow({
    url: 'https://crdt.tech/',
    title: 'CRDT.tech',
    description: 'Resources and community around CRDT technology.',
    image: `${images.url}/missing.png`,
    tags: ['crdt'],
    addedAt: Date.UTC(2026, 2, 10),
  });
  return [
    {
      ...pickOf(raft, 'The paper that made consensus teachable.'),
      headline: 'Consensus, understood',
    },
    pickOf(crdt, 'Everything on conflict-free replicated data types.'),
  ];
}

const settings = (remote: string): SiteSettingsInput => ({
  remote,
  title: 'Distributed links',
  baseUrl: 'https://links.example.org/',
  description: 'Papers and posts on distributed systems, one a day.',
});

describe('the link-blog site on a bare git remote', () => {
  it('validates, unfurls, links to the Bluesky post, and stores a thumbnail (a failed one leaves a card without)', async () => {
    const remote = await bareRemote('site');
    const logs: string[] = [];
    await publishSite(picks(), settings(remote), {
      cacheDir: join(tmp, 'cache-site'),
      log: (m) => logs.push(m),
    });
    const files = await remoteFiles(remote);
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    for (const [path, bytes] of files) {
      if (!path.endsWith('.html')) continue;
      const text = bytes.toString('utf8');
      const report = await validator.validateString(text, path);
      expect(
        report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.message}`)),
      ).toEqual([]);
      expect(text, path).toContain('<meta property="og:title"');
      expect(text, path).toContain('<meta name="twitter:card"');
      expect(text, path).toContain('<link rel="alternate" type="application/atom+xml"');
      expect(text, path).not.toMatch(/<script/i);
    }

    const [raft] = picks();
    const key = entryOf(raft!).key;
    const index = files.get('index.html')!.toString();
    expect(index).toContain('<h2 id="posts">Recent Posts</h2>');
    expect(index).toContain('>Consensus, understood</a></h3>');
    expect(index).toContain(
      `<a class="u-syndication" href="${POST}" rel="syndication">On Bluesky</a>`,
    );
    const thumbs = [...files.keys()].filter((p) => p.startsWith('thumbs/'));
    expect(thumbs).toEqual([expect.stringMatching(/^thumbs\/[0-9a-f]{32}\.jpg$/)]);
    const meta = await sharp(files.get(thumbs[0]!)!).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 800, 418]);
    expect(index).toContain(
      `<img class="link-card__image u-photo" src="./${thumbs[0]}" width="800" height="418" alt="Preview image of “Raft Consensus Algorithm” on raft.github.io"`,
    );
    // The unreachable image: a card without a picture, and a line in the log.
    expect(index.match(/<img /g)).toHaveLength(1);
    expect(logs.some((l) => l.startsWith(`No thumbnail for ${images.url}/missing.png`))).toBe(true);

    const page = files.get(`posts/${key}/index.html`)!.toString();
    expect(page).toContain('<meta property="og:type" content="article">');
    expect(page).toContain('<meta property="og:title" content="Consensus, understood">');
    expect(page).toContain(
      `<meta property="og:image" content="https://links.example.org/${thumbs[0]}">`,
    );
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(page).toContain(
      `<meta property="og:url" content="https://links.example.org/posts/${key}/">`,
    );
    expect(page).toContain(`href="${POST}" rel="syndication"`);

    const atom = parseAtomFeed(files.get('feed.xml')!.toString());
    expect(atom.entries?.[0]?.links).toEqual(
      expect.arrayContaining([expect.objectContaining({ rel: 'syndication', href: POST })]),
    );
    const json = JSON.parse(files.get('feed.json')!.toString()) as {
      items: Array<{ url: string; _syndication?: { urls: string[] } }>;
    };
    expect(json.items[0]).toMatchObject({
      url: `https://links.example.org/posts/${key}/`,
      _syndication: { urls: [POST] },
    });
  }, 60_000);

  it('gives byte-identical files for the same picks, and reuses a stored thumbnail without fetching', async () => {
    const [one, two] = [await bareRemote('one'), await bareRemote('two')];
    await publishSite(picks(), settings(one), { cacheDir: join(tmp, 'cache-one') });
    await publishSite([...picks()].reverse(), settings(two), { cacheDir: join(tmp, 'cache-two') });
    const [a, b] = [await remoteFiles(one), await remoteFiles(two)];
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true);

    // Published again from another device whose image fetches all fail: nothing changes.
    const again = await publishSite(picks(), settings(one), {
      cacheDir: join(tmp, 'cache-three'),
      fetchImage: () => Promise.reject(new Error('offline')),
    });
    expect(again.committed).toBe(false);
  }, 60_000);
});
