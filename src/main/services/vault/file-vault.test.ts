import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCredentialVault } from './file-vault';

describe('FileCredentialVault', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'curio-vault-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores, reads and deletes secrets in a 0600 file that a new instance reads back', async () => {
    const vault = new FileCredentialVault(join(dir, 'data'));
    expect(await vault.get('bluesky:https://bsky.social:alice')).toBeNull();
    await vault.set('bluesky:https://bsky.social:alice', 'app-pass-1');
    await vault.set('git:https://example.org/site.git', 'tok');
    expect((await stat(vault.path)).mode & 0o777).toBe(0o600);
    const again = new FileCredentialVault(join(dir, 'data'));
    expect(await again.get('bluesky:https://bsky.social:alice')).toBe('app-pass-1');
    expect(await again.names()).toEqual([
      'bluesky:https://bsky.social:alice',
      'git:https://example.org/site.git',
    ]);
    await again.delete('git:https://example.org/site.git');
    expect(await vault.get('git:https://example.org/site.git')).toBeNull();
    expect(await readdir(join(dir, 'data'))).toEqual(['credentials.json']);
  });

  it('keeps every entry when many writes race', async () => {
    const vault = new FileCredentialVault(dir);
    await Promise.all(Array.from({ length: 25 }, (_, i) => vault.set(`k${i}`, `v${i}`)));
    expect(await vault.names()).toHaveLength(25);
    expect(JSON.parse(await readFile(vault.path, 'utf8')).secrets.k7).toBe('v7');
  });

  it('refuses bad names and empty secrets, and says what to do with a damaged file', async () => {
    const vault = new FileCredentialVault(dir);
    await expect(vault.set('has space', 'x')).rejects.toThrow(/not a usable credential name/);
    await expect(vault.set('ok', '')).rejects.toThrow(/between 1 and 10,000/);
    await writeFile(vault.path, '{not json');
    await expect(vault.get('ok')).rejects.toThrow(/not valid JSON; move it aside/);
  });
});
