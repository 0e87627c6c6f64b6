// The site's working copy is a checkout of a repository that anyone with push access writes to,
// symbolic links included. Every path Curio reads, writes or removes in it is checked first: it
// is relative, has no `..` and stays out of `.git`, and no part of it is a symbolic link. So a link
// committed to the repository can neither turn a write or a delete into one outside the working
// copy nor pull a file from elsewhere on this machine into the public site.
import { lstat, mkdir, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';

export class UnsafeSitePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeSitePath';
  }
}

/** A path from a build or a manifest that names a file inside the working copy, out of .git. */
export function isSafeSitePath(path: string): boolean {
  const parts = path.split('/');
  return (
    path.length > 0 &&
    path.length <= 1000 &&
    !/[\\:\0]/.test(path) &&
    !parts.some((p) => p === '' || p === '.' || p === '..') &&
    parts[0]?.toLowerCase() !== '.git'
  );
}

const missing = (error: unknown) =>
  error instanceof Error &&
  ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/** The absolute path of `path` in the working copy, once no part of it is a symbolic link. */
export async function resolveInside(root: string, path: string): Promise<string> {
  if (!isSafeSitePath(path))
    throw new UnsafeSitePathError(
      `"${path.slice(0, 200)}" is not a path inside the site repository.`,
    );
  const parts = path.split('/');
  let current = root;
  for (const [index, part] of parts.entries()) {
    current = join(current, part);
    const info = await lstat(current).catch((error: unknown) => {
      if (missing(error)) return null;
      throw error;
    });
    if (!info) break;
    if (info.isSymbolicLink()) {
      const where = parts.slice(0, index + 1).join('/');
      const target = await readlink(current).catch(() => 'somewhere else');
      throw new UnsafeSitePathError(
        `The site repository has a symbolic link at ${where} (to ${target}); Curio only writes real files and folders inside its copy of the repository. Replace the link with a folder or file in the repository, then publish again.`,
      );
    }
  }
  // Belt and braces: the deepest folder that exists resolves inside the working copy.
  let existing = dirname(join(root, path));
  for (;;) {
    const real = await realpath(existing).catch((error: unknown) => {
      if (missing(error)) return null;
      throw error;
    });
    if (real !== null) {
      const rel = relative(await realpath(root), real);
      if (rel.startsWith('..') || isAbsolute(rel))
        throw new UnsafeSitePathError(`${path} resolves outside the site repository.`);
      break;
    }
    existing = dirname(existing);
  }
  return join(root, path);
}

/** The text of a file in the working copy, or null when there is none. */
export async function readInside(root: string, path: string): Promise<string | null> {
  const target = await resolveInside(root, path);
  return readFile(target, 'utf8').catch((error: unknown) => {
    if (missing(error)) return null;
    throw error;
  });
}

/** Writes a file (and its folders) in the working copy; an unchanged file is left as it is. */
export async function writeInside(
  root: string,
  path: string,
  content: string | Uint8Array,
): Promise<void> {
  const target = await resolveInside(root, path);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  const before = await readFile(target).catch(() => null);
  if (before?.equals(bytes)) return;
  await mkdir(dirname(target), { recursive: true });
  // The folders just made are real ones; check again before the write goes through them.
  await resolveInside(root, path);
  await writeFile(target, bytes);
}

/** Whether a regular file is at this path in the working copy (no link followed). */
export async function fileInside(root: string, path: string): Promise<boolean> {
  const target = await resolveInside(root, path);
  return lstat(target).then(
    (info) => info.isFile(),
    () => false,
  );
}

export async function removeInside(root: string, path: string): Promise<void> {
  await rm(await resolveInside(root, path), { force: true });
}

const busy = new Map<string, Promise<unknown>>();

/** Runs `work` when no other publish or preview is using this working copy. */
export function withWorkingCopy<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const before = busy.get(dir) ?? Promise.resolve();
  const run = before.then(work, work);
  const settled = run.catch(() => undefined);
  busy.set(dir, settled);
  void settled.then(() => {
    if (busy.get(dir) === settled) busy.delete(dir);
  });
  return run;
}
