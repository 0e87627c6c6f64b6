// Signing and checking invite tokens: a compact signed claim that one member may join one
// collection's room with one role until a given time. The payload's format is shared with the
// app (src/shared/sync/token-claims.ts); only the signature, and so the secret, lives here.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CollectionIdSchema,
  encodeTokenPayload,
  readTokenClaims,
  splitToken,
  type Role,
  type TokenClaims,
} from '../shared/sync';

export interface MintOptions {
  collection: string;
  member: string;
  role: Role;
  /** Lifetime in seconds; see parseDuration for "30d"-style input. */
  ttlSeconds: number;
  secret: string;
  now?: number;
  id?: string;
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired'; message: string };

export const MIN_SECRET_LENGTH = 16;

/** The signature part of a token: the one base64url spelling of HMAC-SHA256(payload part). */
function sign(payload: string, secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The hub secret must be at least ${MIN_SECRET_LENGTH} characters long.`);
  }
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function newTokenId(): string {
  return randomBytes(9).toString('base64url');
}

export function mintToken(options: MintOptions): { token: string; claims: TokenClaims } {
  const now = options.now ?? Date.now();
  const claims: TokenClaims = {
    collection: CollectionIdSchema.parse(options.collection),
    member: options.member,
    role: options.role,
    expiresAt: Math.floor(now / 1000) + Math.max(1, Math.floor(options.ttlSeconds)),
    id: options.id ?? newTokenId(),
  };
  const payload = encodeTokenPayload(claims);
  return { token: `${payload}.${sign(payload, options.secret)}`, claims };
}

/**
 * Accepts a token only as this hub wrote it: the signature is compared as text, so another
 * spelling of the same bytes (padding, stray low bits) is refused like any forgery.
 */
export function verifyToken(token: string, secret: string, now: number = Date.now()): VerifyResult {
  const parts = splitToken(token);
  if (!parts) {
    return { ok: false, reason: 'malformed', message: 'the token is not two base64url parts' };
  }
  const expected = Buffer.from(sign(parts.payload, secret));
  const given = Buffer.from(parts.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature', message: 'the token was not signed by this hub' };
  }
  const claims = readTokenClaims(token);
  if (!claims) return { ok: false, reason: 'malformed', message: 'the token payload is invalid' };
  if (claims.expiresAt * 1000 <= now) {
    return { ok: false, reason: 'expired', message: 'the token has expired' };
  }
  return { ok: true, claims };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** "90s", "15m", "12h", "30d", "2w" -> seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!match) {
    throw new Error(`"${text}" is not a duration: use a number and a unit, like 12h, 30d or 2w.`);
  }
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
  if (seconds <= 0) throw new Error(`The duration "${text}" must be longer than zero.`);
  return seconds;
}
