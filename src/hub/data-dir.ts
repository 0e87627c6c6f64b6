// What the hub keeps in its data folder: `hub.sqlite` (room logs and revoked tokens) and
// `secret` (the token signing key, 0600, generated on first use unless HUB_SECRET is set).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_SECRET_LENGTH } from './token';

export function hubPaths(dataDir: string): { database: string; secret: string } {
  return { database: join(dataDir, 'hub.sqlite'), secret: join(dataDir, 'secret') };
}

export function loadOrCreateSecret(dataDir: string, given?: string): string {
  if (given) {
    if (given.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `The hub secret (HUB_SECRET) must be at least ${MIN_SECRET_LENGTH} characters.`,
      );
    }
    return given;
  }
  const file = hubPaths(dataDir).secret;
  mkdirSync(dataDir, { recursive: true });
  try {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length > 0) return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  // 'wx' fails if another process created it first; then use theirs.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return readFileSync(file, 'utf8').trim();
    throw error;
  }
  chmodSync(file, 0o600);
  return secret;
}
