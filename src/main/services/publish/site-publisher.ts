// publishSite: builds the site from every pick and deploys it by committing to a working copy
// of the site's git repository (kept under the caller's cache folder) and pushing. The build is
// deterministic, so an unchanged collection makes no commit. When someone else pushed first,
// the push is rejected: fetch, rebase onto the remote, rebuild on top (templates may have
// changed there) and push again.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  buildSite,
  MANIFEST_PATH,
  parseManifest,
  siteEntries,
  SiteSettingsSchema,
  TEMPLATE_NAMES,
  templatePath,
  vaultNames,
  type PickedLink,
  type SitePublishResult,
  type SiteSettings,
  type SiteSettingsInput,
  type Templates,
} from '../../../shared/publish';
import type { CredentialVault } from '../vault/credential-vault';
import { git, isRejectedPush, type GitOptions } from './git';

export interface SitePublishDeps {
  /** Folder for the working copies (e.g. `<app data>/cache/site`). */
  cacheDir: string;
  /** Where the https token is looked up (vaultNames.gitToken(remote)); ssh and paths need none. */
  vault?: CredentialVault;
  author?: { name: string; email: string };
  /** Pushes tried before giving up when others keep pushing first. */
  maxAttempts?: number;
  log?: (message: string) => void;
}

const REF = (branch: string) => `refs/remotes/origin/${branch}`;

export function workingCopyDir(
  cacheDir: string,
  settings: Pick<SiteSettings, 'remote' | 'branch'>,
): string {
  const id = createHash('sha256')
    .update(`${settings.remote}#${settings.branch}`)
    .digest('hex')
    .slice(0, 16);
  return join(cacheDir, `site-${id}`);
}

/** A path from a build or a manifest that stays inside the working copy and out of .git. */
function isSafePath(path: string): boolean {
  const parts = path.split('/');
  return (
    !!path &&
    !path.startsWith('/') &&
    !parts.some((p) => p === '' || p === '.' || p === '..') &&
    parts[0] !== '.git'
  );
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

async function revParse(
  run: (args: string[]) => Promise<{ stdout: string }>,
  ref: string,
): Promise<string | null> {
  try {
    return (await run(['rev-parse', '--verify', '-q', `${ref}^{commit}`])).stdout.trim() || null;
  } catch {
    return null;
  }
}

export function commitMessage(titles: readonly string[], total: number): string {
  if (!titles.length) return `Update site (${total} ${total === 1 ? 'pick' : 'picks'})`;
  const shown = titles.slice(0, 3).map((t) => (t.length > 60 ? t.slice(0, 59) + '…' : t));
  const more = titles.length > 3 ? ` and ${titles.length - 3} more` : '';
  return `Publish ${titles.length} ${titles.length === 1 ? 'pick' : 'picks'}: ${shown.join(', ')}${more}`;
}

export async function publishSite(
  picks: readonly PickedLink[],
  settingsInput: SiteSettings | SiteSettingsInput,
  deps: SitePublishDeps,
): Promise<SitePublishResult> {
  const settings = SiteSettingsSchema.parse(settingsInput);
  const dir = workingCopyDir(deps.cacheDir, settings);
  const token = /^https?:\/\//i.test(settings.remote)
    ? await deps.vault?.get(vaultNames.gitToken(settings.remote))
    : null;
  const options: GitOptions = { cwd: dir, token };
  const run = (args: string[]) => git(args, options);
  const author = deps.author ?? { name: 'Curio', email: 'curio@localhost' };
  const remoteRef = REF(settings.branch);

  await mkdir(dir, { recursive: true });
  if ((await readText(join(dir, '.git', 'HEAD'))) === null) {
    await run(['init', '-q']);
    await run(['remote', 'add', 'origin', settings.remote]);
  } else {
    await run(['remote', 'set-url', 'origin', settings.remote]);
  }
  await run(['fetch', '-q', '--prune', 'origin']);
  // The working copy is a cache: whatever a failed run left behind gives way to the remote.
  await run(['rebase', '--abort']).catch(() => undefined);
  if (await revParse(run, remoteRef)) {
    await run(['checkout', '-q', '--force', '-B', settings.branch, remoteRef]);
  } else {
    await run(['symbolic-ref', 'HEAD', `refs/heads/${settings.branch}`]);
    await run(['update-ref', '-d', `refs/heads/${settings.branch}`]).catch(() => undefined);
    await run(['rm', '-r', '-q', '--cached', '--ignore-unmatch', '.']);
  }
  await run(['clean', '-q', '-f', '-d']);

  const previous = parseManifest(await readText(join(dir, MANIFEST_PATH)));
  const known = new Set(previous?.picks ?? []);
  const added = siteEntries(picks).filter((e) => !known.has(e.key));
  const message = commitMessage(
    added.map((e) => e.title),
    picks.length,
  );
  let committed = false;

  for (let attempt = 1; ; attempt++) {
    await writeBuild(dir, picks, settings);
    await run(['add', '-A']);
    const remoteHead = await revParse(run, remoteRef);
    if ((await run(['status', '--porcelain'])).stdout.trim()) {
      // After a rebase our unpushed commit is on top: fold the rebuild into it, one commit per publish.
      const amend =
        (await revParse(run, 'HEAD')) !== remoteHead && remoteHead !== null ? ['--amend'] : [];
      await run([
        '-c',
        `user.name=${author.name}`,
        '-c',
        `user.email=${author.email}`,
        '-c',
        'commit.gpgsign=false',
        'commit',
        '-q',
        ...amend,
        '-m',
        message,
      ]);
    }
    const head = await revParse(run, 'HEAD');
    if (head === remoteHead) {
      return {
        committed,
        commit: head,
        added: committed ? added.map((e) => e.itemId) : [],
        message: committed ? message : null,
      };
    }
    try {
      await run(['push', '-q', 'origin', `HEAD:refs/heads/${settings.branch}`]);
      await run(['fetch', '-q', 'origin']);
      committed = true;
      deps.log?.(`Pushed ${head?.slice(0, 7)} to ${settings.branch}`);
      continue;
    } catch (error) {
      if (!isRejectedPush(error) || attempt >= (deps.maxAttempts ?? 5)) throw error;
      deps.log?.(`The remote ${settings.branch} moved; rebasing and trying again`);
    }
    await run(['fetch', '-q', 'origin']);
    try {
      await run([
        '-c',
        `user.name=${author.name}`,
        '-c',
        `user.email=${author.email}`,
        'rebase',
        '-q',
        remoteRef,
      ]);
    } catch {
      // Both sides changed generated files; the rebuild below on top of theirs resolves it.
      await run(['rebase', '--abort']).catch(() => undefined);
      await run(['reset', '-q', '--hard', remoteRef]);
    }
  }
}

/** Writes the build into the working copy and removes files the previous build made but this one does not. */
async function writeBuild(
  dir: string,
  picks: readonly PickedLink[],
  settings: SiteSettings,
): Promise<void> {
  const templates: Partial<Templates> = {};
  for (const name of TEMPLATE_NAMES) {
    const text = await readText(join(dir, templatePath(name)));
    if (text !== null) templates[name] = text;
  }
  const files = buildSite(picks, settings, templates);
  const previous = parseManifest(await readText(join(dir, MANIFEST_PATH)));
  for (const stale of previous?.files ?? []) {
    if (!files.has(stale) && isSafePath(stale)) await rm(join(dir, stale), { force: true });
  }
  for (const [path, text] of files) {
    if (!isSafePath(path)) throw new Error(`The site build produced an unsafe path: ${path}`);
    const target = join(dir, path);
    if ((await readText(target)) === text) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text, 'utf8');
  }
}
