import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { AppBskyRichtextFacet, RichText } from '@atproto/api';
import { addItem, getPublication, materializeAll, recordPublication } from '../collection';
import { buildBlueskyPost, buildPickPost, postProblems, resolveMentions } from './bluesky-post';
import { planBlueskyJob, settleBlueskyJob, validatePicks } from './bluesky-job';
import { pickOf } from './pick';
import { blueskyPostKey } from './record-key';
import { itemRow } from './testing';

const utf8 = new TextEncoder();
const sliceBytes = (text: string, start: number, end: number) =>
  new TextDecoder().decode(utf8.encode(text).slice(start, end));

function linkUris(
  facets: AppBskyRichtextFacet.Main[],
  text: string,
): Array<{ slice: string; uri: string }> {
  return facets.flatMap((f) =>
    f.features
      .filter(AppBskyRichtextFacet.isLink)
      .map((l) => ({ slice: sliceBytes(text, f.index.byteStart, f.index.byteEnd), uri: l.uri })),
  );
}

describe('buildBlueskyPost', () => {
  it('puts link facets on UTF-8 byte ranges past emoji and non-Latin text', () => {
    const text =
      '👩‍💻 読む価値あり: https://例え.jp/パス?q=1 and Ελληνικά https://example.com/a_(b) 🎉';
    const draft = buildBlueskyPost({ text, card: null, langs: ['ja', 'en'] });
    expect(linkUris(draft.facets, draft.text)).toEqual([
      { slice: 'https://例え.jp/パス?q=1', uri: 'https://例え.jp/パス?q=1' },
      { slice: 'https://example.com/a_(b)', uri: 'https://example.com/a_(b)' },
    ]);
  });

  it('keeps mentions aside until resolved and drops the ones that do not resolve', async () => {
    const draft = buildBlueskyPost({
      text: 'by @alice.test and @nobody.test 🙂',
      card: null,
      langs: [],
    });
    expect(draft.mentions.map((m) => m.handle)).toEqual(['alice.test', 'nobody.test']);
    const facets = await resolveMentions(draft, async (h) =>
      h === 'alice.test' ? 'did:plc:alice' : null,
    );
    expect(facets).toHaveLength(1);
    expect(sliceBytes(draft.text, facets[0]!.index.byteStart, facets[0]!.index.byteEnd)).toBe(
      '@alice.test',
    );
  });

  it('names what Bluesky would refuse: long text, missing title', () => {
    const long = buildBlueskyPost({
      text: '🎉'.repeat(301),
      card: { uri: 'https://a.example/', title: '', description: '', imageUrl: null },
      langs: [],
    });
    expect(postProblems(long)).toEqual([
      'the post text is 301 characters long; Bluesky allows 300',
      'the link has no title; add one before publishing',
    ]);
    expect(
      postProblems(buildBlueskyPost({ text: '👨‍👩‍👧‍👦'.repeat(120), card: null, langs: [] })),
    ).toEqual([]);
  });

  it('counts UTF-8 bytes as well as graphemes, as the PDS does', () => {
    // 300 graphemes of e + 9 combining marks: 5,700 bytes, which the PDS refuses mid-job.
    const heavy = `e${'\u0301'.repeat(9)}`.repeat(300);
    const draft = buildBlueskyPost({ text: heavy, card: null, langs: [] });
    expect(draft.graphemes).toBe(300);
    expect(postProblems(draft)).toEqual([
      'the post text is 5,700 bytes long; Bluesky allows 3,000 (accents and emoji take several each)',
    ]);
    // A blurb far over the limit (pasted by mistake, or written by anyone who can edit) is measured
    // and refused, never scanned for links.
    const pasted = buildBlueskyPost({
      text: 'see https://a.example/x '.repeat(40_000),
      card: null,
      langs: [],
    });
    expect(pasted.facets).toEqual([]);
    const card = {
      uri: 'https://a.example/',
      title: 'T',
      description: 'é'.repeat(500_000),
      imageUrl: null,
    };
    const clipped = buildBlueskyPost({ text: 'x', card, langs: [] }).card!.description;
    expect(clipped.endsWith('…')).toBe(true);
    expect(clipped.length).toBeLessThanOrEqual(1_000);
    expect(postProblems(pasted)[0]).toBe(
      'the post text is over 3,001 characters long; Bluesky allows 300',
    );
    const pick = pickOf(itemRow({ url: 'https://a.example/heavy', title: 'Heavy' }), heavy);
    expect(validatePicks([pick], { langs: [], threadIntro: null })[0]?.problems).toHaveLength(1);
  });

  it('property: every link facet slices the text to its URI', () => {
    const word = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 6 })
      .filter((w) => !/[\s()]/u.test(w) && !/[.:/]/.test(w));
    const pathPart = fc.stringMatching(/^[a-z0-9_~-]{1,8}$/);
    const unicodePath = fc.constantFrom('日本', 'ünï', '🎉', 'Ωμέγα', 'x');
    const url = fc
      .tuple(
        fc.stringMatching(/^[a-z]{1,10}$/),
        fc.constantFrom('com', 'org', 'jp'),
        fc.array(fc.oneof(pathPart, unicodePath), { maxLength: 3 }),
        pathPart,
      )
      .map(([host, tld, parts, last]) => `https://${host}.${tld}/${[...parts, last].join('/')}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(word, url), { minLength: 1, maxLength: 12 }), (tokens) => {
        const text = tokens.join(' ');
        const draft = buildBlueskyPost({ text, card: null, langs: [] });
        const links = linkUris(draft.facets, draft.text);
        for (const { slice, uri } of links)
          expect(uri === slice || uri === `https://${slice}`).toBe(true);
        const expected = tokens.filter((t) => t.startsWith('https://'));
        expect(links.map((l) => l.uri).filter((u) => expected.includes(u))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("property: counts and finds facets exactly as @atproto/api's RichText does", () => {
    const token = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.constantFrom(
        'https://example.com/a_(b)',
        'example.org/path?q=1.',
        'https://例え.jp/パス',
        '@alice.bsky.social',
        '@bob.example.com,',
        '#distsys',
        '＃全角',
        '#123',
        '👩‍💻',
        '\n\n',
        'e\u0301',
      ),
    );
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 12 }),
        fc.constantFrom(' ', '', '\n'),
        (tokens, gap) => {
          const text = tokens.join(gap);
          const draft = buildBlueskyPost({ text, card: null, langs: [] });
          const rt = new RichText({ text: text.trim() });
          rt.detectFacetsWithoutResolution();
          expect(draft.text).toBe(rt.text);
          expect(draft.bytes).toBe(rt.length);
          expect(draft.graphemes).toBe(rt.graphemeLength);
          const mentions = (rt.facets ?? []).filter((f) =>
            f.features.some((x) => AppBskyRichtextFacet.isMention(x)),
          );
          expect(draft.facets).toEqual((rt.facets ?? []).filter((f) => !mentions.includes(f)));
          expect(draft.mentions).toEqual(
            mentions.map((f) => ({
              handle: (f.features[0] as AppBskyRichtextFacet.Mention).did,
              byteStart: f.index.byteStart,
              byteEnd: f.index.byteEnd,
            })),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('planBlueskyJob', () => {
  it('fixes keys and writes "publishing" records before anything is sent; settle records the outcome', () => {
    const doc = new Y.Doc();
    const actor = { memberId: 'm1', now: () => 1_000 };
    addItem(doc, { url: 'https://a.example/one', title: 'One', note: 'Why it matters.' }, actor);
    addItem(doc, { url: 'https://a.example/two', title: '' }, actor);
    const rows = materializeAll(doc, 'm1');
    const bad = planBlueskyJob(
      doc,
      rows.map((r) => pickOf(r)),
      { collectionId: 'c1', langs: ['en'], threadIntro: null },
      actor,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.problems).toEqual([
        {
          itemId: rows[1]!.id,
          title: 'https://a.example/two',
          problems: ['the link has no title; add one before publishing'],
        },
      ]);
    expect(getPublication(doc, rows[0]!.id, 'bluesky')).toBeNull();

    const plan = planBlueskyJob(
      doc,
      [pickOf(rows[0]!)],
      { collectionId: 'c1', langs: ['en'], threadIntro: null },
      actor,
    );
    if (!plan.ok) throw new Error('expected a plan');
    expect(plan.job.posts[0]).toMatchObject({
      rkey: blueskyPostKey('c1', rows[0]!.id),
      text: 'Why it matters.',
    });
    expect(getPublication(doc, rows[0]!.id, 'bluesky')).toMatchObject({
      state: 'publishing',
      key: plan.job.posts[0]!.rkey,
    });

    settleBlueskyJob(
      doc,
      plan.job,
      {
        ok: true,
        thread: null,
        problems: [],
        posts: [
          {
            itemId: rows[0]!.id,
            rkey: plan.job.posts[0]!.rkey,
            state: 'published',
            uri: 'at://x/app.bsky.feed.post/k',
            url: 'https://bsky.app/x',
          },
        ],
      },
      actor,
    );
    expect(getPublication(doc, rows[0]!.id, 'bluesky')).toMatchObject({
      state: 'published',
      ref: 'at://x/app.bsky.feed.post/k',
    });
    const again = planBlueskyJob(
      doc,
      [pickOf(materializeAll(doc, 'm1')[0]!)],
      { collectionId: 'c1', langs: [], threadIntro: null },
      actor,
    );
    expect(again).toMatchObject({ ok: false, alreadyPublished: [rows[0]!.id] });
  });

  it('replaces a record key that is not a TID instead of failing every press', () => {
    const doc = new Y.Doc();
    const actor = { memberId: 'm1', now: () => 1_000 };
    const id = addItem(doc, { url: 'https://a.example/k', title: 'K', note: 'Words.' }, actor).id;
    recordPublication(
      doc,
      id,
      { target: 'bluesky', key: '../../x', by: 'mallory', at: 1, state: 'failed' },
      { memberId: 'mallory' },
    );
    const plan = planBlueskyJob(
      doc,
      [pickOf(materializeAll(doc, 'm1')[0]!)],
      { collectionId: 'c1', langs: [], threadIntro: null },
      actor,
    );
    expect(plan.ok && plan.job.posts[0]!.rkey).toBe(blueskyPostKey('c1', id));
  });

  it('validates the thread intro too', () => {
    const pick = pickOf(itemRow({ url: 'https://a.example/x', title: 'X' }));
    expect(validatePicks([pick], { langs: [], threadIntro: 'x'.repeat(301) })[0]?.title).toBe(
      'Thread intro',
    );
    expect(buildPickPost(pick, ['en']).card?.title).toBe('X');
  });
});
