import { describe, expect, it } from 'vitest';
import { INVITE_CLOSE_CODES, refusalOfClose } from './invite-check';

describe('the close codes of a refused invite', () => {
  it('say whether the invite was revoked or expired', () => {
    expect(refusalOfClose(INVITE_CLOSE_CODES.revoked)).toBe('revoked');
    expect(refusalOfClose(INVITE_CLOSE_CODES.expired)).toBe('expired');
  });

  it('take any other code y-websocket does not retry as a withdrawn invite', () => {
    expect(refusalOfClose(4400)).toBe('revoked');
    expect(refusalOfClose(4499)).toBe('revoked');
  });

  it('leave every other close alone', () => {
    for (const code of [1000, 1001, 1002, 1006, 1011, 4399, 4500]) {
      expect(refusalOfClose(code)).toBeNull();
    }
  });
});
