import { describe, expect, it } from 'vitest';
import { defaultBlurb, realTitle } from './pick';
import {
  blueskyPostKey,
  blueskyThreadKey,
  derivedTid,
  encodeTid,
  siteEntryKey,
} from './record-key';
import { isTid } from '../model';
import { itemRow } from './testing';

describe('defaultBlurb', () => {
  it('takes the first paragraph of the note, folding its line breaks', () => {
    const item = itemRow({
      url: 'https://a.example/x',
      note: '\n  \nFirst line\nstill first.\n\nSecond.',
      description: 'desc',
    });
    expect(defaultBlurb(item)).toBe('First line still first.');
  });
  it('falls back to the description when the note is empty or blank', () => {
    expect(
      defaultBlurb(
        itemRow({ url: 'https://a.example/x', note: ' \n\t\n', description: ' The  page. ' }),
      ),
    ).toBe('The page.');
  });
});

describe('record keys', () => {
  it('derives valid TIDs that are the same on every replica and differ per item and collection', () => {
    const a = blueskyPostKey('c1', 'item-a');
    expect(isTid(a)).toBe(true);
    expect(blueskyPostKey('c1', 'item-a')).toBe(a);
    expect(blueskyPostKey('c2', 'item-a')).not.toBe(a);
    expect(blueskyPostKey('c1', 'item-b')).not.toBe(a);
    expect(blueskyThreadKey('c1', ['b', 'a'])).toBe(blueskyThreadKey('c1', ['a', 'b']));
  });
  it('derives the same keys as every earlier version, byte for byte', () => {
    // Keys already written to PDSes and shared documents: a change here would post twice.
    expect(blueskyPostKey('c1', 'item-a')).toBe('3l6iihwtartwn');
    expect(blueskyPostKey('0198f3a2', '2b7kq5zpx4hm6nd3rw2a')).toBe('3jvdmeskllqjm');
    expect(blueskyThreadKey('c1', ['b', 'a'])).toBe('3jlbkpo2spi7e');
    expect(derivedTid('')).toBe('3qov766zqbw2o');
    expect(derivedTid('curio/x/bluesky/🎉')).toBe('3phh3lrlqmj7r');
    expect(encodeTid(1_688_137_381_887_007, 0)).toBe('3jzfcijpj2z22');
  });
  it('encodes TIDs like the AT Protocol reference (3jzfcijpj2z2a)', () => {
    expect(encodeTid(1_688_137_381_887_007, 0)).toMatch(/^3jzfcijpj2z2/);
    for (let i = 0; i < 200; i++) expect(isTid(derivedTid(`seed-${i}`))).toBe(true);
  });
  it('makes readable site keys that stay unique for equal titles', () => {
    const a = itemRow({ url: 'https://a.example/1', title: 'Ünïcode & Raft: a “tour”' });
    const b = itemRow({ url: 'https://a.example/2', title: 'Ünïcode & Raft: a “tour”' });
    expect(siteEntryKey(a)).toMatch(/^unicode-raft-a-tour-[2-7a-z]{8}$/);
    expect(siteEntryKey(a)).not.toBe(siteEntryKey(b));
    expect(realTitle(itemRow({ url: 'https://a.example/3', title: 'https://a.example/3' }))).toBe(
      '',
    );
  });
});
