// Invite tokens: a compact signed claim that one member may join one collection's room with one
// role until a given time. `base64url(JSON payload) + "." + base64url(HMAC-SHA256(payload))`.
// No I/O here, so the app's tests can mint and check tokens without a running hub.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const ROLES = ['editor', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/** Room names are collection ids: URL-safe so they survive the path of a WebSocket URL. */
export const CollectionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'a collection id is 1-128 letters, digits, "-" or "_"');

const TokenIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'a token id is 8-64 URL-safe chars');

const PayloadSchema = z.strictObject({
  v: z.literal(1),
  c: CollectionIdSchema,
  m: z.string().min(1).max(128),
  r: z.enum(ROLES),
  x: z.number().int().positive(),
  i: TokenIdSchema,
});

export interface TokenClaims {
  collection: string;
  member: string;
  role: Role;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
  /** Names the token for revocation. */
  id: string;
}

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

function sign(payload: string, secret: string): Buffer {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The hub secret must be at least ${MIN_SECRET_LENGTH} characters long.`);
  }
  return createHmac('sha256', secret).update(payload).digest();
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
  const payload = PayloadSchema.parse({
    v: 1,
    c: claims.collection,
    m: claims.member,
    r: claims.role,
    x: claims.expiresAt,
    i: claims.id,
  });
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return { token: `${encoded}.${sign(encoded, options.secret).toString('base64url')}`, claims };
}

/** Reads the claims without checking the signature: for naming a token to revoke, never for auth. */
export function readTokenClaims(token: string): TokenClaims | null {
  const [encoded] = token.split('.');
  if (encoded === undefined) return null;
  try {
    const parsed = PayloadSchema.safeParse(
      JSON.parse(Buffer.from(encoded, 'base64url').toString()),
    );
    if (!parsed.success) return null;
    const p = parsed.data;
    return { collection: p.c, member: p.m, role: p.r, expiresAt: p.x, id: p.i };
  } catch {
    return null;
  }
}

export function verifyToken(token: string, secret: string, now: number = Date.now()): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || token.length > 2048) {
    return { ok: false, reason: 'malformed', message: 'the token is not two base64url parts' };
  }
  const [encoded, signature] = parts as [string, string];
  const expected = sign(encoded, secret);
  const given = Buffer.from(signature, 'base64url');
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

/** The link a maintainer opens to join: everything the app needs to connect. */
export function inviteLink(hubUrl: string, collection: string, token: string): string {
  const query = new URLSearchParams({ hub: hubUrl, collection, token });
  return `curio://join?${query.toString()}`;
}
