import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addItem,
  getPublication,
  getPublicationBlurb,
  materializeAll,
  moveToTrash,
  purgeItems,
  recordPublication,
} from '../collection';
import { keptBlurbs } from './press';
import { pickOf } from './pick';
import { siteEntryKey } from './record-key';
import { buildSite } from './site/build';
import { planSitePublish, settleSitePublish, sitePicks } from './site-job';
import { tagSlugs } from './site/entries';

const settings = { remote: '/tmp/x', title: 'Links', baseUrl: 'https://links.example.org/' };

describe('site outbox steps', () => {
  it('fixes entry keys and keeps blurbs before the push, keeps both on retry, and settles the outcome', () => {
    const doc = new Y.Doc();
    const actor = { memberId: 'm1', now: () => 5_000 };
    const a = addItem(doc, { url: 'https://a.example/raft', title: 'Raft' }, actor).id;
    const b = addItem(
      doc,
      { url: 'https://a.example/paxos', title: 'Paxos', note: 'Made *simple*.' },
      actor,
    ).id;
    const rows = () => materializeAll(doc, 'm1');
    const picks = (options: { adding?: string[] } = {}) =>
      sitePicks(rows(), { ...options, kept: keptBlurbs(doc), pickedHere: () => false });
    const raft = rows().find((r) => r.id === a)!;
    const job = planSitePublish(doc, 'c1', [pickOf(raft, 'Understandable.')], actor);
    expect(getPublication(doc, a, 'site')).toMatchObject({
      state: 'publishing',
      key: job.entries[0]!.key,
      at: 5_000,
    });
    expect(getPublicationBlurb(doc, a, 'site')).toBe('Understandable.');
    expect(picks().map((p) => [p.item.id, p.blurb, p.item.note])).toEqual([
      [a, 'Understandable.', ''],
    ]);

    settleSitePublish(
      doc,
      job,
      { ok: false, error: 'git push failed: Could not resolve host' },
      actor,
    );
    expect(getPublication(doc, a, 'site')).toMatchObject({
      state: 'failed',
      key: job.entries[0]!.key,
    });
    // A failed pick is no longer on its way, unless a job (its retry) carries it.
    expect(picks()).toEqual([]);
    expect(picks({ adding: [a] }).map((p) => [p.blurb, p.pickedHere])).toEqual([
      ['Understandable.', true],
    ]);

    const retry = planSitePublish(
      doc,
      'c1',
      rows().map((row) => pickOf(row, getPublicationBlurb(doc, row.id, 'site') ?? 'Made simple.')),
      actor,
    );
    expect(retry.entries.find((e) => e.itemId === a)?.key).toBe(job.entries[0]!.key);
    const result = { committed: true, commit: 'abc123', added: [a, b], message: 'Publish 2 picks' };
    settleSitePublish(
      doc,
      retry,
      { ok: true, result, siteUrl: 'https://links.example.org/' },
      actor,
    );
    expect(getPublication(doc, b, 'site')).toMatchObject({
      state: 'published',
      ref: 'abc123',
      url: 'https://links.example.org/',
    });
    expect(picks().map((p) => p.blurb)).toEqual(['Understandable.', 'Made simple.']);

    moveToTrash(doc, [b], actor);
    expect(picks().map((p) => p.item.id)).toEqual([a]);
    // Emptying the Trash takes the kept words with the record.
    purgeItems(doc, [a], actor);
    expect(getPublicationBlurb(doc, a, 'site')).toBeNull();
    expect(getPublicationBlurb(doc, b, 'site')).toBe('Made simple.');
  });

  it('replaces a record key that could reach outside the site folder, where it is read', () => {
    const doc = new Y.Doc();
    const actor = { memberId: 'm1', now: () => 5_000 };
    const id = addItem(doc, { url: 'https://a.example/k', title: 'Key', tags: ['x'] }, actor).id;
    // A co-maintainer wrote these; every later publish used to stop at "unsafe path".
    for (const key of ['../../../home/me/.bashrc', 'a/b', '.git', 'other-entry-2222aaaa']) {
      recordPublication(
        doc,
        id,
        { target: 'site', key, by: 'mallory', at: 1, state: 'published' },
        { memberId: 'mallory' },
      );
      const row = materializeAll(doc, 'm1')[0]!;
      const pick = pickOf(row, 'Words.');
      for (const format of ['curio-site', 'content-files'] as const) {
        const files = buildSite([pick], { ...settings, format });
        for (const path of files.keys()) expect(path).toMatch(/^(\.curio\/)?[a-z0-9/._-]+$/);
        expect([...files.keys()].join()).not.toContain('..');
      }
      const job = planSitePublish(
        doc,
        'c1',
        [{ ...pick, item: { ...row, publications: {} } }],
        actor,
      );
      expect(job.entries[0]!.key).toBe(siteEntryKey(row));
    }
  });

  it('property: tag slugs are unique, path-safe and stable', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.oneof(
            fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
            fc.constantFrom('../..', '../../etc/passwd', '/', '.', '..', '.git', 'a/../b'),
          ),
          { maxLength: 20 },
        ),
        (tags) => {
          const slugs = tagSlugs(tags);
          const values = [...slugs.values()];
          expect(new Set(values).size).toBe(values.length);
          for (const slug of values) expect(slug).toMatch(/^[a-z0-9-]+$/);
          expect([...tagSlugs([...tags].reverse())]).toEqual([...slugs]);
        },
      ),
    );
  });
});
