// What the hub keeps in its data folder: `hub.sqlite` (room logs and revoked tokens) and
// `secret` (the token signing key, 0600, generated on first use unless HUB_SECRET is set).
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MIN_SECRET_LENGTH } from './token';

export function hubPaths(dataDir: string): { database: string; secret: string } {
  return { database: join(dataDir, 'hub.sqlite'), secret: join(dataDir, 'secret') };
}

export interface HubSecret {
  secret: string;
  /** Where it came from: HUB_SECRET, the data folder's file, or created there just now. */
  source: 'environment' | 'file' | 'created';
  /** The data folder's secret file (absolute), whether or not it was used. */
  file: string;
}

function readSecretFile(file: string): string | null {
  try {
    const secret = readFileSync(file, 'utf8').trim();
    return secret.length > 0 ? secret : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return null;
  }
}

export function loadOrCreateSecret(dataDir: string, given?: string): HubSecret {
  const file = resolve(hubPaths(dataDir).secret);
  if (given) {
    if (given.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `The hub secret (HUB_SECRET) must be at least ${MIN_SECRET_LENGTH} characters.`,
      );
    }
    return { secret: given, source: 'environment', file };
  }
  mkdirSync(dataDir, { recursive: true });
  const existing = readSecretFile(file);
  if (existing) return { secret: existing, source: 'file', file };
  const secret = randomBytes(32).toString('base64url');
  // 'wx' fails if another process created it first; then use theirs.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { secret: readFileSync(file, 'utf8').trim(), source: 'file', file };
  }
  chmodSync(file, 0o600);
  return { secret, source: 'created', file };
}

/** Names a secret without revealing it, so that two processes can be seen to share one. */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(`curio-hub-secret:${secret}`).digest('hex').slice(0, 12);
}

/** "the hub secret in /srv/hub-data/secret (fingerprint 1a2b3c4d5e6f)", and the like. */
export function describeSecret({ secret, source, file }: HubSecret): string {
  const fingerprint = `fingerprint ${secretFingerprint(secret)}`;
  if (source === 'environment') return `the hub secret from HUB_SECRET (${fingerprint})`;
  if (source === 'file') return `the hub secret in ${file} (${fingerprint})`;
  return `a new hub secret, created in ${file} (${fingerprint})`;
}
