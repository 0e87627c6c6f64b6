import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidInviteError, formatInvite, inviteMemberName, parseInvite } from './invite';

const token = 'eyJ2IjoxfQ.c2lnbmF0dXJlLWJ5dGVz';

describe('parseInvite', () => {
  it('reads the link the hub CLI prints', () => {
    const link = `curio://join?hub=${encodeURIComponent('ws://127.0.0.1:4455')}&collection=3kxyz2abcdefg&token=${token}`;
    expect(parseInvite(`  ${link}\n`)).toEqual({
      hub: 'ws://127.0.0.1:4455',
      collection: '3kxyz2abcdefg',
      token,
    });
  });

  it('round-trips through formatInvite', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ws://127.0.0.1:4455', 'wss://hub.example.org', 'ws://[::1]:9'),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        fc.string({ minLength: 10, maxLength: 80 }),
        (hub, collection, tok) => {
          expect(parseInvite(formatInvite({ hub, collection, token: tok }))).toEqual({
            hub,
            collection,
            token: tok,
          });
        },
      ),
    );
  });

  it.each([
    ['', 'Paste the invite link'],
    ['hello', 'not a Curio invite link'],
    ['https://example.com/', 'not a Curio invite link'],
    [`curio://join?collection=abc&token=${token}`, 'has no hub'],
    [`curio://join?hub=http%3A%2F%2Fx&collection=abc&token=${token}`, 'ws:// or wss://'],
    [`curio://join?hub=ws%3A%2F%2Fx:1&collection=a%20b&token=${token}`, 'collection id'],
    ['curio://join?hub=ws%3A%2F%2Fx:1&collection=abc', 'has no token'],
  ])('explains what is wrong with %j', (input, message) => {
    expect(() => parseInvite(input)).toThrow(InvalidInviteError);
    expect(() => parseInvite(input)).toThrow(message);
  });

  it('throws only InvalidInviteError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          parseInvite(s);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidInviteError);
        }
      }),
    );
  });
});

describe('inviteMemberName', () => {
  const encode = (payload: unknown) =>
    btoa(JSON.stringify(payload)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

  it('reads the member a hub token names', () => {
    expect(
      inviteMemberName(
        `${encode({ v: 1, c: 'c', m: 'Ana Lima', r: 'editor', x: 2e9, i: 'abcdefgh' })}.sig`,
      ),
    ).toBe('Ana Lima');
  });

  it('returns null for anything else', () => {
    // Never throws on arbitrary text: a pasted link must not break the Join button.
    fc.assert(fc.property(fc.string(), (s) => void inviteMemberName(s)));
    expect(inviteMemberName('not-a-token')).toBeNull();
    expect(inviteMemberName(`${encode({ m: 42 })}.sig`)).toBeNull();
  });
});
