// base64url without padding (RFC 4648 §5), in exactly one spelling: decoding refuses padding,
// other alphabets and stray low bits, so two different strings never decode to the same bytes.
// Runs anywhere (atob/btoa), unlike Node's Buffer, which accepts all of those.

const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes `text` spells, or null unless `text` is their one canonical base64url spelling. */
export function decodeBase64Url(text: string): Uint8Array | null {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  // atob ignores the unused low bits of the last character; the canonical spelling has them 0.
  return encodeBase64Url(bytes) === text ? bytes : null;
}
