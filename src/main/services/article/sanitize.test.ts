import fc from 'fast-check';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { loadXssCorpus, xssArticleBody } from '../../../../e2e/fixtures/pages/articles/xss/corpus';
import { finishArticle } from './read-page';
import { createArticleSanitizer } from './sanitize';

const corpus = loadXssCorpus();
const window = new JSDOM('<!doctype html><body>').window as unknown as Window;
const sanitize = createArticleSanitizer(window);

/** What a snapshot may contain: this list is the contract, written apart from the sanitiser. */
const INERT_TAGS = new Set(
  (
    'a abbr article aside b bdi bdo blockquote br caption cite code col colgroup dd del details ' +
    'dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li mark ' +
    'ol p pre q rp rt ruby s samp section small span strong sub summary sup table tbody td tfoot ' +
    'th thead time tr u ul var wbr'
  ).split(' '),
);
const INERT_ATTRIBUTES = new Set(
  (
    'alt title width height id lang dir colspan rowspan headers scope datetime start reversed ' +
    'value open'
  ).split(' '),
);

/** Every way `html` could run script or reach the network, as a list of findings. */
function dangers(html: string): string[] {
  const found: string[] = [];
  const body = window.document.createElement('body');
  body.innerHTML = html;
  for (const element of Array.from(body.querySelectorAll('*'))) {
    const tag = element.localName;
    if (element.namespaceURI !== 'http://www.w3.org/1999/xhtml') found.push(`foreign <${tag}>`);
    if (!INERT_TAGS.has(tag)) found.push(`<${tag}>`);
    for (const { name, value } of Array.from(element.attributes)) {
      if (name === 'href' && tag === 'a') {
        if (!/^(https?:\/\/|mailto:|#)/.test(value)) found.push(`href=${value}`);
        else if (
          !value.startsWith('#') &&
          !['http:', 'https:', 'mailto:'].includes(new URL(value).protocol)
        ) {
          found.push(`href=${value}`);
        }
      } else if (name === 'src' && tag === 'img') {
        if (!/^curio-image:\d+$/.test(value)) found.push(`src=${value}`);
      } else if (name === 'target' && tag === 'a') {
        if (value !== '_blank') found.push(`target=${value}`);
      } else if (name === 'rel' && tag === 'a') {
        if (value !== 'noopener noreferrer') found.push(`rel=${value}`);
      } else if (!INERT_ATTRIBUTES.has(name)) {
        found.push(`${tag}[${name}]`);
      }
    }
  }
  return found;
}

describe('the XSS corpus', () => {
  it('has at least 200 payloads in every class it names', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((p) => p.group)).size).toBeGreaterThanOrEqual(10);
  });

  it('finds what it looks for: the unsanitised payloads are mostly dangerous', () => {
    const caught = corpus.filter((p) => dangers(p.html).length > 0);
    expect(caught.length / corpus.length).toBeGreaterThan(0.9);
  });
});

describe.each(corpus.map((p) => [`${p.index} ${p.group}: ${p.html.slice(0, 60)}`, p] as const))(
  'payload %s',
  (_name, payload) => {
    it('leaves nothing that runs script or loads anything, and is stable', () => {
      const once = sanitize(payload.html).innerHTML;
      expect(dangers(once)).toEqual([]);
      // Parsing the output again must not change it: mutation XSS lives in that difference.
      expect(sanitize(once).innerHTML).toBe(once);
      const article = finishArticle({
        content: xssArticleBody(payload),
        url: 'https://blog.example.org/post',
        lang: 'en',
        images: [],
      });
      expect(dangers(article.html)).toEqual([]);
    });
  },
);

/** Pieces that nested the wrong way have broken sanitisers before; shuffled, they find new ways. */
const PIECES = [
  '<svg>',
  '</svg>',
  '<math>',
  '</math>',
  '<mtext>',
  '<mglyph>',
  '<mi>',
  '<table>',
  '</table>',
  '<style>',
  '</style>',
  '<noscript>',
  '</noscript>',
  '<template>',
  '</template>',
  '<select>',
  '<form>',
  '</form>',
  '<textarea>',
  '</textarea>',
  '<title>',
  '<xmp>',
  '<iframe>',
  '</iframe>',
  '<p title="',
  '<a href="',
  '<img src=',
  'javascript:alert(1)',
  'https://evil.example/',
  'curio-image:0',
  '" onerror=alert(1) ',
  '">',
  "'",
  '"',
  '<!--',
  '-->',
  '--!>',
  '<![CDATA[',
  ']]>',
  '<',
  '>',
  '/',
  ' ',
  'text',
  '&lt;',
  '&#x6A;',
  '<foreignObject>',
  '<annotation-xml encoding="text/html">',
  '<desc>',
  '<p>',
  '</p>',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'style="background:url(https://evil.example/)"',
  '<base href="https://evil.example/">',
];

describe('the sanitiser on shuffled markup', () => {
  it('never lets anything dangerous through, and its output is stable', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }), (pieces) => {
        const once = sanitize(pieces.join('')).innerHTML;
        expect(dangers(once)).toEqual([]);
        expect(sanitize(once).innerHTML).toBe(once);
      }),
      { numRuns: 200 },
    );
  });

  // Counterexamples the property found once; they stay as they were found.
  it('regression: text that only looks like markup empties the article instead of failing', () => {
    expect(sanitize('<![CDATA[<svg>&lt;/').innerHTML).toBe('');
  });

  it('regression: an href that lands on a <p> through a broken attribute is removed', () => {
    const html = sanitize(
      '<p title="style="background:url(https://evil.example/)"<base href="https://evil.example/">',
    ).innerHTML;
    expect(dangers(html)).toEqual([]);
    expect(html).not.toContain('href');
  });
});

describe('the sanitiser keeps what a reader needs', () => {
  it('keeps text markup, safe links (made absolute and opened apart) and fragment links', () => {
    const html = sanitize(
      '<h2 id="fn">Notes</h2><p><a href="https://example.org/a?b=1">a</a> <a href="mailto:a@example.org">m</a> <a href="#fn">1</a></p>' +
        '<pre><code>if (a &lt; b) {}</code></pre><table><tr><td colspan="2">x</td></tr></table>',
    ).innerHTML;
    expect(html).toBe(
      '<h2 id="fn">Notes</h2><p><a href="https://example.org/a?b=1" target="_blank" rel="noopener noreferrer">a</a> ' +
        '<a href="mailto:a@example.org" target="_blank" rel="noopener noreferrer">m</a> <a href="#fn">1</a></p>' +
        '<pre><code>if (a &lt; b) {}</code></pre><table><tbody><tr><td colspan="2">x</td></tr></tbody></table>',
    );
  });

  it('turns captured images into placeholders with their stored size, and drops the rest', () => {
    const { html } = finishArticle({
      content:
        '<p>x</p><img src="/a.png" alt="A" width="9000" onerror="x()"><img src="https://cdn.example.org/b.png" alt="B">' +
        '<img srcset="/small.png 400w, /large.png 2000w" src="/small.png" alt="C">',
      url: 'https://blog.example.org/post',
      lang: 'en',
      images: [
        { url: 'https://blog.example.org/a.png', width: 1600, height: 900 },
        { url: 'https://blog.example.org/large.png', width: 1600, height: 800 },
      ],
    });
    expect(html).toBe(
      '<p>x</p><img alt="A" src="curio-image:0" width="1600" height="900"><img alt="C" src="curio-image:1" width="1600" height="800">',
    );
  });
});
