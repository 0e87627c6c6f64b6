// The site publisher against a bare git repository: what is pushed is what the build made.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAtomFeed, parseJsonFeed } from 'feedsmith';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSite,
  pickOf,
  type PickedLink,
  type SiteSettingsInput,
} from '../../../shared/publish';
import { itemRow } from '../../../shared/publish/testing';
import { GitError, gitEnv, isRejectedPush, redact } from './git';
import { publishSite, workingCopyDir } from './site-publisher';

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

/** Commits files to the remote from a separate clone, as another maintainer or a CI job would. */
async function pushFromElsewhere(
  remote: string,
  files: Record<string, string>,
  name: string,
): Promise<void> {
  const clone = join(tmp, `clone-${name}`);
  await run('git', ['clone', '-q', remote, clone]);
  for (const [path, text] of Object.entries(files)) {
    await run('mkdir', ['-p', join(clone, path, '..')]);
    await writeFile(join(clone, path), text);
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

function picks(n: number, extra: Partial<Parameters<typeof itemRow>[0]> = {}): PickedLink[] {
  return Array.from({ length: n }, (_, i) =>
    pickOf(
      itemRow({
        url: `https://papers.example/${i}`,
        title: `Paper ${i} ✨`,
        tags: i % 2 ? ['crdt'] : ['raft', 'consensus'],
        addedAt: 1_700_000_000_000 + i * 60_000,
        note: `Why paper ${i} matters.`,
        ...extra,
      }),
    ),
  );
}

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
    expect(first).toMatchObject({
      committed: true,
      message: 'Publish 3 picks: Paper 2 ✨, Paper 1 ✨, Paper 0 ✨',
    });
    expect(await sh(remote, 'log', '-1', '--format=%s', 'main')).toBe(
      'Publish 3 picks: Paper 2 ✨, Paper 1 ✨, Paper 0 ✨\n',
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
    const fewer = [...list.slice(0, 2), pickOf({ ...list[2]!.item, tags: [] }, list[2]!.blurb)];
    const third = await publishSite(fewer, settings, { cacheDir });
    expect(third).toMatchObject({ committed: true, message: 'Update site (3 picks)' });
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
});
