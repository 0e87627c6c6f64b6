import { describe, expect, it } from 'vitest';
import { isTid, itemIdForKey, nextTid } from './ids';

describe('ids', () => {
  it('draws TIDs that are valid and keep increasing within the process', () => {
    const tids = Array.from({ length: 500 }, () => nextTid());
    for (const tid of tids) expect(isTid(tid)).toBe(true);
    for (let i = 1; i < tids.length; i++) expect(tids[i]! > tids[i - 1]!).toBe(true);
  });
  it('derives item ids from the identity key alone', () => {
    expect(itemIdForKey('example.org/a')).toBe(itemIdForKey('example.org/a'));
    expect(itemIdForKey('example.org/a')).toMatch(/^[2-7a-z]{20}$/);
    expect(isTid('3jzfcijpj2z2a')).toBe(true);
    expect(isTid('kjzfcijpj2z2a')).toBe(false);
  });
});
