import fc from 'fast-check';
import { expect, it } from 'vitest';
import { encodeTokenPayload, readTokenClaims, type TokenClaims } from './token-claims';

const claimsArb: fc.Arbitrary<TokenClaims> = fc.record({
  collection: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
  member: fc.string({ minLength: 1, maxLength: 60 }),
  role: fc.constantFrom('editor' as const, 'reader' as const),
  expiresAt: fc.integer({ min: 1, max: 2 ** 40 }),
  id: fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/),
});

it('reads back the claims a payload was written with, whatever the signature', () => {
  fc.assert(
    fc.property(claimsArb, (claims) => {
      expect(readTokenClaims(`${encodeTokenPayload(claims)}.c2ln`)).toEqual(claims);
    }),
  );
});

it('reads nothing from what is not a token', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const claims = readTokenClaims(text);
      expect(claims === null || typeof claims.member === 'string').toBe(true);
    }),
  );
  const valid = encodeTokenPayload({
    collection: 'c1',
    member: 'Ana',
    role: 'reader',
    expiresAt: 2_000_000_000,
    id: 'abcdefgh',
  });
  expect(readTokenClaims(valid)).toBeNull(); // no signature part
  expect(readTokenClaims(`${valid}=.sig`)).toBeNull();
  expect(readTokenClaims(`${valid}.sig.more`)).toBeNull();
  const partial = Buffer.from(JSON.stringify({ v: 1, m: 'Ana' })).toString('base64url');
  expect(readTokenClaims(`${partial}.sig`)).toBeNull();
});

it('refuses to write claims no hub would accept', () => {
  const base = { member: 'Ana', role: 'editor', expiresAt: 1, id: 'abcdefgh' } as const;
  expect(() => encodeTokenPayload({ ...base, collection: 'a/b' })).toThrow(/collection id/);
  expect(() => encodeTokenPayload({ ...base, collection: 'c', id: 'short' })).toThrow(/token id/);
});
