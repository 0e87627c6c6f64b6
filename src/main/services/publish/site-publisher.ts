// publishSite: builds the site from every pick and deploys it by committing to a working copy
// of the site's git repository (kept under the caller's cache folder) and pushing. The build is
// deterministic, so an unchanged collection makes no commit. When someone else pushed first,
// the push is rejected: fetch, rebase onto the remote, rebuild on top (templates may have
// changed there) and push again. previewSite says what a publish would change, from the same
// fetch, without touching the files.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildSite,
  commitMessage,
  MANIFEST_PATH,
  parseManifest,
  siteChanges,
  SiteSettingsSchema,
  TEMPLATE_NAMES,
  templatePath,
  vaultNames,
  type PickedLink,
  type SitePreview,
  type SitePublishResult,
  type SiteSettings,
  type SiteSettingsInput,
  type Templates,
} from '../../../shared/publish';
import type { CredentialVault } from '../vault/credential-vault';
import { siteImages, type ThumbnailCache } from './site-thumbnails';
import { git, isRejectedPush, type GitOptions } from './git';
import {
  isSafeSitePath,
  readInside,
  removeInside,
  withWorkingCopy,
  writeInside,
} from './working-copy';

export interface SitePublishDeps {
  /** Folder for the working copies (e.g. `<app data>/cache/site`). */
  cacheDir: string;
  /** Where the https token is looked up (vaultNames.gitToken(remote)); ssh and paths need none. */
  vault?: CredentialVault;
  author?: { name: string; email: string };
  /** Pushes tried before giving up when others keep pushing first. */
  maxAttempts?: number;
  /** Downloads a preview image for a card's thumbnail; defaults to the safe fetch. */
  fetchImage?: (url: string) => Promise<Uint8Array>;
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

/** Reads a file of the working copy's own git metadata (HEAD), which Curio itself made. */
async function readGitFile(path: string): Promise<string | null> {
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

interface WorkingCopy {
  dir: string;
  settings: SiteSettings;
  run: (args: string[]) => Promise<{ stdout: string }>;
  /** The remote branch as last fetched. */
  remoteRef: string;
}

/** Makes or reuses the working copy for this remote and branch and fetches the remote into it. */
async function openWorkingCopy(
  settingsInput: SiteSettings | SiteSettingsInput,
  deps: SitePublishDeps,
): Promise<WorkingCopy> {
  const settings = SiteSettingsSchema.parse(settingsInput);
  const dir = workingCopyDir(deps.cacheDir, settings);
  const token = /^https?:\/\//i.test(settings.remote)
    ? await deps.vault?.get(vaultNames.gitToken(settings.remote))
    : null;
  const options: GitOptions = { cwd: dir, token };
  const run = (args: string[]) => git(args, options);
  await mkdir(dir, { recursive: true });
  if ((await readGitFile(join(dir, '.git', 'HEAD'))) === null) {
    await run(['init', '-q']);
    await run(['remote', 'add', 'origin', settings.remote]);
  } else {
    await run(['remote', 'set-url', 'origin', settings.remote]);
  }
  await run(['fetch', '-q', '--prune', 'origin']);
  return { dir, settings, run, remoteRef: REF(settings.branch) };
}

/** Puts the working copy exactly on the remote branch (or an empty one when there is none yet). */
async function checkOutRemote({ run, settings, remoteRef }: WorkingCopy): Promise<void> {
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
}

/** What these picks change against the remote's manifest, read from git without a checkout. */
async function changesAgainstRemote(copy: WorkingCopy, picks: readonly PickedLink[]) {
  const manifest = (await revParse(copy.run, copy.remoteRef))
    ? await copy
        .run(['show', `${copy.remoteRef}:${MANIFEST_PATH}`])
        .then((r) => r.stdout)
        .catch(() => null)
    : null;
  const changes = siteChanges(parseManifest(manifest), picks);
  return { ...changes, message: commitMessage(changes, picks.length) };
}

/** What publishing these picks would change on the site now, and the commit message it would write. */
export function previewSite(
  picks: readonly PickedLink[],
  settingsInput: SiteSettings | SiteSettingsInput,
  deps: SitePublishDeps,
): Promise<SitePreview> {
  const settings = SiteSettingsSchema.parse(settingsInput);
  return withWorkingCopy(workingCopyDir(deps.cacheDir, settings), async () =>
    changesAgainstRemote(await openWorkingCopy(settings, deps), picks),
  );
}

export function publishSite(
  picks: readonly PickedLink[],
  settingsInput: SiteSettings | SiteSettingsInput,
  deps: SitePublishDeps,
): Promise<SitePublishResult> {
  const settings = SiteSettingsSchema.parse(settingsInput);
  return withWorkingCopy(workingCopyDir(deps.cacheDir, settings), async () => {
    const copy = await openWorkingCopy(settings, deps);
    const preview = await changesAgainstRemote(copy, picks);
    await checkOutRemote(copy);
    const added = preview.changes.flatMap((c) =>
      c.kind === 'added' && c.itemId ? [c.itemId] : [],
    );
    const commit = await commitAndPush(copy, picks, preview.message, deps);
    return {
      committed: commit.committed,
      commit: commit.head,
      added: commit.committed ? added : [],
      message: commit.committed ? preview.message : null,
    };
  });
}

/**
 * Writes the build, commits it (no change, no commit) and pushes. A push rejected because someone
 * pushed first is rebased onto theirs and rebuilt on top, into the same one commit.
 */
async function commitAndPush(
  copy: WorkingCopy,
  picks: readonly PickedLink[],
  message: string,
  deps: SitePublishDeps,
): Promise<{ committed: boolean; head: string | null }> {
  const { dir, run, settings, remoteRef } = copy;
  const author = deps.author ?? { name: 'Curio', email: 'curio@localhost' };
  const as = ['-c', `user.name=${author.name}`, '-c', `user.email=${author.email}`];
  let committed = false;
  const thumbnails: ThumbnailCache = new Map();
  for (let attempt = 1; ; attempt++) {
    await writeBuild(dir, picks, settings, thumbnails, deps);
    await run(['add', '-A']);
    const remoteHead = await revParse(run, remoteRef);
    if ((await run(['status', '--porcelain'])).stdout.trim()) {
      // After a rebase our unpushed commit is on top: fold the rebuild into it, one commit per publish.
      const amend =
        (await revParse(run, 'HEAD')) !== remoteHead && remoteHead !== null ? ['--amend'] : [];
      await run([...as, '-c', 'commit.gpgsign=false', 'commit', '-q', ...amend, '-m', message]);
    }
    const head = await revParse(run, 'HEAD');
    if (head === remoteHead) return { committed, head };
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
      await run([...as, 'rebase', '-q', remoteRef]);
    } catch {
      // Both sides changed generated files; the rebuild below on top of theirs resolves it.
      await run(['rebase', '--abort']).catch(() => undefined);
      await run(['reset', '-q', '--hard', remoteRef]);
    }
  }
}

/**
 * Writes the build into the working copy and removes files the previous build made but this one
 * does not. Every path goes through the working-copy checks: no symbolic link is ever followed.
 */
async function writeBuild(
  dir: string,
  picks: readonly PickedLink[],
  settings: SiteSettings,
  cache: ThumbnailCache,
  deps: SitePublishDeps,
): Promise<void> {
  const templates: Partial<Templates> = {};
  for (const name of TEMPLATE_NAMES) {
    const text = await readInside(dir, templatePath(name));
    if (text !== null) templates[name] = text;
  }
  const previous = parseManifest(await readInside(dir, MANIFEST_PATH));
  const images =
    settings.format === 'curio-site'
      ? await siteImages(dir, picks, previous?.thumbnails, cache, deps)
      : { thumbnails: new Map(), files: new Map<string, Uint8Array>() };
  const files = buildSite(picks, settings, templates, images.thumbnails);
  const made = new Set(parseManifest(files.get(MANIFEST_PATH) ?? null)?.files ?? []);
  for (const stale of previous?.files ?? []) {
    if (!made.has(stale) && isSafeSitePath(stale)) await removeInside(dir, stale);
  }
  for (const [path, text] of files) await writeInside(dir, path, text);
  for (const [path, bytes] of images.files) await writeInside(dir, path, bytes);
}
