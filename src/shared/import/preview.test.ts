import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanUrl, itemIdForKey, urlKey, type ItemRow } from '../model';
import { itemRow } from '../publish/testing';
import { ALREADY_SAVED, LISTED_TWICE, previewImport } from './preview';
import { draft } from './testing';

describe('previewImport', () => {
  const saved = itemRow({ url: 'https://saved.example/a', tags: ['old'], note: 'mine\n' });
  const trashed = itemRow({ url: 'https://trash.example/', status: 'trash', deletedAt: 1 });
  const rows = new Map([saved, trashed].map((r) => [r.key, r]));
  const lookup = (_url: string, key: string) => rows.get(key);

  it('counts new links, merges into saved ones by identity, and skips what brings nothing', () => {
    const preview = previewImport(lookup, [
      draft({ url: 'https://new.example/' }),
      draft({
        url: 'http://www.saved.example/a/?utm_source=x',
        tags: ['old', 'fresh'],
        note: 'theirs',
        read: true,
      }),
      draft({ url: 'https://saved.example/a', tags: ['old'], note: 'mine' }),
      draft({ url: 'https://trash.example/' }),
      draft({ url: 'https://new.example' }),
      draft({ url: 'ftp://nope.example/' }),
    ]);
    expect([preview.new, preview.merged, preview.skipped]).toEqual([1, 2, 3]);
    expect(preview.entries.map((e) => e.status)).toEqual([
      'new',
      'merge',
      'skip',
      'merge',
      'skip',
      'skip',
    ]);
    expect(preview.entries[1]).toMatchObject({
      status: 'merge',
      existingId: saved.id,
      adds: {
        tags: ['fresh'],
        note: true,
        read: true,
        highlights: 0,
        publications: [],
        restore: false,
      },
    });
    expect(preview.entries[3]).toMatchObject({ adds: { restore: true } });
    expect(preview.skippedReasons[LISTED_TWICE]).toBe(2);
    expect(Object.keys(preview.skippedReasons)[1]).toContain('only http and https links');
  });

  it('skips a saved link whose draft adds nothing', () => {
    const preview = previewImport(lookup, [
      draft({ url: 'https://saved.example/a', tags: ['old'], note: 'mine' }),
    ]);
    expect(preview.entries[0]).toEqual({
      item: expect.anything(),
      status: 'skip',
      reason: ALREADY_SAVED,
    });
  });

  it('every draft lands in exactly one bucket, and nothing is new that the collection has', () => {
    const url = fc.constantFrom(
      'https://a.example/x',
      'http://www.a.example/x/',
      'https://b.example/',
      'https://c.example/?q=1',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ url, tags: fc.subarray(['a', 'b']), note: fc.constantFrom('', 'n') }),
          { maxLength: 8 },
        ),
        fc.subarray(['https://a.example/x', 'https://b.example/']),
        (drafts, savedUrls) => {
          const collection = new Map<string, ItemRow>(
            savedUrls.map((u) => [urlKey(u), itemRow({ url: u, tags: ['a'] })]),
          );
          const items = drafts.map(draft);
          const preview = previewImport((_u, key) => collection.get(key), items);
          expect(preview.new + preview.merged + preview.skipped).toBe(drafts.length);
          // Keys worked out beforehand (by the import worker) give the same preview.
          const cleaned = items.map((item) => ({ ...item, url: cleanUrl(item.url) }));
          const keys = cleaned.map((item) => urlKey(item.url));
          const again = previewImport((_u, key) => collection.get(key), cleaned, keys);
          expect(again.entries.map((e) => e.status)).toEqual(preview.entries.map((e) => e.status));
          for (const entry of preview.entries) {
            if (entry.status === 'new') expect(collection.has(urlKey(entry.item.url))).toBe(false);
            if (entry.status === 'merge')
              expect(entry.existingId).toBe(itemIdForKey(urlKey(entry.item.url)));
          }
        },
      ),
    );
  });
});
