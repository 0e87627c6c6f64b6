import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTokenClaims } from '../shared/sync';
import { mintToken, parseDuration, verifyToken } from './token';

const SECRET = 'a-secret-of-sufficient-length';
const NOW = Date.UTC(2026, 10, 21);
const claimsArb = fc.record({
  collection: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
  member: fc.string({ minLength: 1, maxLength: 60 }),
  role: fc.constantFrom('editor' as const, 'reader' as const),
  ttlSeconds: fc.integer({ min: 1, max: 10 * 365 * 86_400 }),
});

describe('invite tokens', () => {
  it('verify to the claims they were minted with', () => {
    fc.assert(
      fc.property(claimsArb, (input) => {
        const { token, claims } = mintToken({ ...input, secret: SECRET, now: NOW });
        const verdict = verifyToken(token, SECRET, NOW);
        expect(verdict).toEqual({ ok: true, claims });
        expect(claims).toMatchObject({ collection: input.collection, member: input.member });
      }),
    );
  });

  it('fail when any character is changed', () => {
    fc.assert(
      fc.property(claimsArb, fc.nat(), fc.constantFrom(...'AQgw_-.x'), (input, at, char) => {
        const { token } = mintToken({ ...input, secret: SECRET, now: NOW });
        const i = at % token.length;
        fc.pre(token[i] !== char);
        const tampered = token.slice(0, i) + char + token.slice(i + 1);
        expect(verifyToken(tampered, SECRET, NOW).ok).toBe(false);
      }),
    );
  });

  it('are accepted in exactly one spelling', () => {
    fc.assert(
      fc.property(claimsArb, fc.constantFrom('=', '==', '%3D', ' ', '\n'), (input, suffix) => {
        const { token } = mintToken({ ...input, secret: SECRET, now: NOW });
        expect(verifyToken(`${token}${suffix}`, SECRET, NOW).ok).toBe(false);
      }),
    );
    // A 32-byte signature leaves 2 unused bits in its last character: the same bytes have four
    // spellings, and only the one with those bits clear is the token.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(claimsArb, fc.constantFrom(1, 2, 3), (input, lowBits) => {
        const { token } = mintToken({ ...input, secret: SECRET, now: NOW });
        const last = alphabet.indexOf(token.at(-1)!);
        const respelled = token.slice(0, -1) + alphabet[last | lowBits];
        expect(verifyToken(respelled, SECRET, NOW)).toMatchObject({ reason: 'bad-signature' });
      }),
    );
  });

  it('name the reason they are refused', () => {
    const { token } = mintToken({
      collection: 'c',
      member: 'm',
      role: 'reader',
      ttlSeconds: 60,
      secret: SECRET,
      now: NOW,
    });
    expect(verifyToken(token, SECRET, NOW + 61_000)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    expect(verifyToken(token, 'another-secret-of-length', NOW)).toMatchObject({
      reason: 'bad-signature',
    });
    expect(verifyToken('nonsense', SECRET, NOW)).toMatchObject({ reason: 'malformed' });
    const unsignedJunk = `${Buffer.from('{"v":2}').toString('base64url')}.sig`;
    expect(verifyToken(unsignedJunk, SECRET, NOW)).toMatchObject({ reason: 'bad-signature' });
    expect(readTokenClaims(token)?.role).toBe('reader');
  });

  it('refuse short secrets and bad collection ids', () => {
    const base = { member: 'm', role: 'editor' as const, ttlSeconds: 60 };
    expect(() => mintToken({ ...base, collection: 'c', secret: 'short' })).toThrow(/at least 16/);
    expect(() => mintToken({ ...base, collection: 'a/b', secret: SECRET })).toThrow(
      /collection id/,
    );
  });
});

describe('parseDuration', () => {
  it('reads a number and a unit', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('2w')).toBe(1_209_600);
  });
  it('explains what it expects', () => {
    expect(() => parseDuration('soon')).toThrow(/like 12h, 30d or 2w/);
    expect(() => parseDuration('0d')).toThrow(/longer than zero/);
  });
});
