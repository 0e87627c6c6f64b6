// What a hub invite token says: `base64url(JSON payload) + "." + base64url(HMAC-SHA256)`. Only
// the hub that signed a token can check it (src/hub/token.ts); this module reads and writes the
// payload, so the app can tell whom an invite is for and which role it grants.
import { z } from 'zod';
import { decodeBase64Url, encodeBase64Url } from './base64url';

export const ROLES = ['editor', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/** Room names are collection ids: URL-safe, so they survive the path of a WebSocket URL. */
export const COLLECTION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
export const CollectionIdSchema = z
  .string()
  .regex(COLLECTION_ID_PATTERN, 'a collection id is 1-128 letters, digits, "-" or "_"');

/** Names a token for revocation (`hub revoke ID`). */
export const TOKEN_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
export const TokenIdSchema = z
  .string()
  .regex(TOKEN_ID_PATTERN, 'a token id is 8-64 letters, digits, "-" or "_"');

export const MAX_TOKEN_LENGTH = 2048;

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
  /** The member the token was made out to; presence on the hub must name it (presence.ts). */
  member: string;
  role: Role;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
  id: string;
}

/** The token's two parts, or null unless it has exactly two non-empty ones. */
export function splitToken(token: string): { payload: string; signature: string } | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  return { payload: parts[0], signature: parts[1] };
}

/** The payload part of a token for `claims`; throws on claims no hub would accept. */
export function encodeTokenPayload(claims: TokenClaims): string {
  const payload = PayloadSchema.parse({
    v: 1,
    c: claims.collection,
    m: claims.member,
    r: claims.role,
    x: claims.expiresAt,
    i: claims.id,
  });
  return encodeBase64Url(new TextEncoder().encode(JSON.stringify(payload)));
}

/**
 * What a token claims, without checking its signature: for showing an invite and choosing how
 * to behave, never for granting access. Null for anything that is not a well-formed token.
 */
export function readTokenClaims(token: string): TokenClaims | null {
  const parts = splitToken(token);
  const bytes = parts && decodeBase64Url(parts.payload);
  if (!bytes) return null;
  try {
    const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    const parsed = PayloadSchema.safeParse(json);
    if (!parsed.success) return null;
    const p = parsed.data;
    return { collection: p.c, member: p.m, role: p.r, expiresAt: p.x, id: p.i };
  } catch {
    return null;
  }
}
