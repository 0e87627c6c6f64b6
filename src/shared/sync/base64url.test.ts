import fc from 'fast-check';
import { expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from './base64url';

it('spells bytes as Node does, and reads them back', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const text = encodeBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(decodeBase64Url(text)).toEqual(bytes);
    }),
  );
});

it('reads only the canonical spelling', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'AQgw09_-+/=. '), maxLength: 24 }), (text) => {
      const bytes = decodeBase64Url(text);
      if (bytes !== null) expect(encodeBase64Url(bytes)).toBe(text);
    }),
  );
  expect(decodeBase64Url('AQ==')).toBeNull();
  expect(decodeBase64Url('AR')).toBeNull(); // the same byte as "AQ", with a stray low bit
  expect(decodeBase64Url('A+')).toBeNull();
  expect(decodeBase64Url('A')).toBeNull();
  expect(decodeBase64Url('AQ')).toEqual(Uint8Array.of(1));
});
