import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addItem, getPublication, materializeAll, moveToTrash } from '../collection';
import { planSitePublish, settleSitePublish, sitePicks } from './site-job';
import { tagSlugs } from './site/entries';

describe('site outbox steps', () => {
  it('fixes entry keys before the push, keeps them on retry, and settles the outcome', () => {
    const doc = new Y.Doc();
    const actor = { memberId: 'm1', now: () => 5_000 };
    const a = addItem(doc, { url: 'https://a.example/raft', title: 'Raft' }, actor).id;
    const b = addItem(
      doc,
      { url: 'https://a.example/paxos', title: 'Paxos', note: 'Made simple.' },
      actor,
    ).id;
    const rows = () => materializeAll(doc, 'm1');
    const job = planSitePublish(
      doc,
      'c1',
      rows().filter((r) => r.id === a),
      actor,
    );
    expect(getPublication(doc, a, 'site')).toMatchObject({
      state: 'publishing',
      key: job.entries[0]!.key,
      at: 5_000,
    });
    expect(sitePicks(rows()).map((p) => p.item.id)).toEqual([a]);

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
    expect(sitePicks(rows())).toEqual([]);

    const retry = planSitePublish(doc, 'c1', rows(), actor);
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
    expect(sitePicks(rows()).find((p) => p.item.id === b)?.blurb).toBe('Made simple.');

    moveToTrash(doc, [b], actor);
    expect(sitePicks(rows()).map((p) => p.item.id)).toEqual([a]);
  });

  it('property: tag slugs are unique, path-safe and stable', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), {
          maxLength: 20,
        }),
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
