import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METADATA_LIMITS, PageMetadataReader, cleanText, type PageMetadata } from './page-metadata';

const PAGE = 'https://example.org/articles/one';

async function read(chunks: string[]): Promise<PageMetadata> {
  const reader = new PageMetadataReader();
  for (const chunk of chunks) await reader.write(chunk);
  await reader.end();
  return reader.result(PAGE);
}

/** Splits `text` at the given cut points, so a property can feed it in arbitrary chunks. */
function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(text.slice(from, point));
    from = point;
  }
  chunks.push(text.slice(from));
  return chunks;
}

const escapeAttribute = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Text a page could carry: any Unicode but NUL, which HTML turns into U+FFFD by design. */
const pageText = fc.string({ unit: 'grapheme', maxLength: 400 }).map((s) => s.replace(/\0/g, ''));

const markup = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '<head>',
        '</head>',
        '<body>',
        '<div>',
        '<title>',
        '</title>',
        '<!--',
        '-->',
        '<script>',
        '</script>',
        '<meta property="og:title" content="',
        '<meta name=description content=',
        '<meta property="og:image" content="',
        '<link rel="image_src" href="',
        '<base href="',
        '">',
        '"',
        "'",
        '&amp;',
        '&',
        '&#0;',
        'javascript:alert(1)',
        '//cdn.example.org/a.png',
        '../x.png',
        ' ',
        '\n',
        '<svg><title>',
        '<![CDATA[',
        '<?xml ?>',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

describe('PageMetadataReader', () => {
  it('reads back any title and description a page declares', async () => {
    await fc.assert(
      fc.asyncProperty(pageText, pageText, async (title, description) => {
        const html =
          `<head><meta property="og:title" content="${escapeAttribute(title)}">` +
          `<meta name="description" content="${escapeAttribute(description)}"></head>`;
        const result = await read([html]);
        expect(result.title).toBe(cleanText(title, METADATA_LIMITS.title));
        expect(result.description).toBe(cleanText(description, METADATA_LIMITS.description));
      }),
    );
  });

  it('gives the same answer however the text is chunked, and only safe values', async () => {
    await fc.assert(
      fc.asyncProperty(markup, fc.array(fc.nat(), { maxLength: 8 }), async (html, cuts) => {
        const whole = await read([html]);
        expect(await read(split(html, cuts))).toEqual(whole);
        expect(whole.title.length).toBeLessThanOrEqual(METADATA_LIMITS.title);
        expect(whole.description.length).toBeLessThanOrEqual(METADATA_LIMITS.description);
        if (whole.image !== null) expect(whole.image).toMatch(/^https?:\/\//);
      }),
      { numRuns: 300 },
    );
  });

  it('takes the first <title> of the head, not an SVG title in the body', async () => {
    const result = await read(['<title>First</title><title>Second</title><body><svg><title>Icon']);
    expect(result.title).toBe('First');
  });

  it('does not read a title out of a script or comment', async () => {
    const result = await read([
      '<script>document.write("<title>Injected</title>")</script><!-- <title>Old</title> -->',
      '<title>Real</title>',
    ]);
    expect(result.title).toBe('Real');
  });
});

describe('cleanText', () => {
  it('never exceeds the limit and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.integer({ min: 2, max: 40 }),
        (s, max) => {
          const out = cleanText(s, max);
          expect(out.length).toBeLessThanOrEqual(max);
          expect(out).not.toMatch(/[\ud800-\udbff]…$/);
          expect(out).not.toMatch(/^\s|\s$/);
        },
      ),
    );
  });
});
