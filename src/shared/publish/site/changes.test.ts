import { describe, expect, it } from 'vitest';
import type { ItemRow } from '../../model';
import { pickOf, type PickedLink } from '../pick';
import { siteEntryKey } from '../record-key';
import { itemRow } from '../testing';
import { buildSite, MANIFEST_PATH, parseManifest } from './build';
import { commitMessage, siteChanges } from './changes';

const settings = { remote: '/tmp/x', title: 'Links', baseUrl: 'https://links.example.org/' };
/** A pick whose site record fixed its entry key when it was first published as "Link n". */
function pick(n: number, extra: Partial<ItemRow> = {}, here = true): PickedLink {
  const url = `https://a.example/${n}`;
  const key = siteEntryKey(itemRow({ url, title: `Link ${n}` }));
  const site = { target: 'site' as const, key, by: 'm1', at: n, state: 'published' as const };
  const item = itemRow({ url, title: `Link ${n}`, publications: { site }, ...extra });
  return { ...pickOf(item), pickedHere: here };
}
const manifestOf = (picks: PickedLink[]) =>
  parseManifest(buildSite(picks, settings).get(MANIFEST_PATH) ?? null);

describe('siteChanges', () => {
  it('compares against the last build: added, changed and removed entries, in that order', () => {
    const before = manifestOf([pick(1), pick(2), pick(3)]);
    const now = [pick(1), pick(2, { title: 'Link 2, renamed' }, false), pick(4, {}, false)];
    const { changes } = siteChanges(before, now);
    expect(changes.map((c) => [c.kind, c.title, c.pickedHere])).toEqual([
      ['added', 'Link 4', false],
      ['changed', 'Link 2, renamed', false],
      ['removed', 'Link 3', false],
    ]);
    expect(commitMessage(siteChanges(before, now), now.length)).toBe(
      [
        'Update site: 3 entries changed',
        '',
        'Added, not picked on this device: Link 4 <https://a.example/4>',
        'Changed, not picked on this device: Link 2, renamed <https://a.example/2>',
        'Removed: Link 3 <https://a.example/3>',
        '',
      ].join('\n'),
    );
  });

  it('reads a manifest from before entries were kept: keys only, so nothing reads as changed', () => {
    const keysOnly = { picks: manifestOf([pick(1), pick(2)])!.picks };
    const { changes } = siteChanges(keysOnly, [pick(1, { title: 'New title' }), pick(3)]);
    expect(changes.map((c) => [c.kind, c.title])).toEqual([
      ['added', 'Link 3'],
      ['removed', keysOnly.picks.find((k) => k.startsWith('link-2'))],
    ]);
  });

  it('keeps every title on one line of the commit message', () => {
    const forged = pick(1, { title: 'Nice\n\nAdded: Everything is fine <https://ok.example/>' });
    const message = commitMessage(siteChanges(null, [forged]), 1);
    expect(message.split('\n')).toEqual([
      'Publish 1 pick: Nice Added: Everything is fine <https://ok.example/>',
      '',
      'Added: Nice Added: Everything is fine <https://ok.example/> <https://a.example/1>',
      '',
    ]);
  });

  it('ignores what a co-maintainer put in the manifest beyond its shape', () => {
    expect(parseManifest('{"version":1,"files":[1,"a"],"picks":"x"}')).toBeNull();
    expect(
      parseManifest('{"version":1,"format":"x","files":[1,"a"],"picks":[],"entries":[{}]}'),
    ).toEqual({ version: 1, format: 'curio-site', files: ['a'], picks: [], entries: undefined });
    expect(parseManifest('not json')).toBeNull();
  });
});
