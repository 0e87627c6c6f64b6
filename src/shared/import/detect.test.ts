import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseImport, parseImportText, summarizeImport } from '.';

const file = (bytes: Uint8Array | string, name = 'export') => ({
  bytes: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes,
  name,
});

describe('telling formats apart', () => {
  it.each([
    [strToU8('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'This looks like a PDF, not a bookmark export.'],
    [
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'This looks like a PNG image, not a bookmark export.',
    ],
    [
      new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]),
      'This looks like a gzip-compressed file (unpack it first), not a bookmark export.',
    ],
    [
      strToU8('SQLite format 3\u0000'),
      'This looks like an SQLite database (export bookmarks as HTML from the browser instead), not a bookmark export.',
    ],
    [
      zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w/>') }),
      'This looks like a Word document, not a bookmark export.',
    ],
    [
      zipSync({ 'photo.jpg': new Uint8Array([1, 2, 3]) }),
      'This looks like a ZIP archive with no export Curio knows inside, not a bookmark export.',
    ],
    [
      strToU8(
        '<!doctype html><html><head><title>Hi</title></head><body><a href="https://x.example">x</a></body></html>',
      ),
      'This looks like a web page, not a bookmark export.',
    ],
    [strToU8('{"bookmarks": [1, 2'), 'not well-formed'],
    [
      strToU8('{"hello": "world"}'),
      'This looks like a JSON file of a kind Curio does not know, not a bookmark export.',
    ],
    [
      strToU8('just some words\nand more words'),
      'This looks like a file with no links in it, not a bookmark export.',
    ],
  ])('names what is not an export (%#)', async (bytes, message) => {
    const result = await parseImport(file(bytes));
    expect(result.items).toEqual([]);
    expect(result.error).toContain(message);
  });

  it('says which CSV columns it needs', async () => {
    const result = await parseImport(file('a,b,c\n1,2,3\n', 'things.csv'));
    expect(result.error).toContain('CSV file whose columns Curio does not recognise');
  });

  it('refuses an empty file and a file over 200 MB without reading it', async () => {
    expect((await parseImport(file(new Uint8Array(0), 'x.html'))).error).toBe('x.html is empty.');
    const huge = { bytes: { byteLength: 201 * 1024 * 1024 } as Uint8Array, name: 'huge.html' };
    expect((await parseImport(huge)).error).toBe(
      'huge.html is 201 MB; Curio imports files up to 200 MB. Split the export, or export fewer links at a time.',
    );
  });

  it('reads UTF-8 with a byte order mark, UTF-16 with and without one, and drops NUL bytes', async () => {
    const csv =
      'title,url,time_added,tags,status\r\nCafé,https://cafe.example/,1700000000,,unread\r\n';
    const utf8Bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(csv)]);
    const utf16 = new Uint8Array(csv.length * 2);
    for (let i = 0; i < csv.length; i++) utf16[i * 2] = csv.charCodeAt(i);
    const utf16Bom = new Uint8Array([0xff, 0xfe, ...utf16]);
    for (const [bytes, encoding] of [
      [utf8Bom, 'utf-8'],
      [utf16, 'utf-16le'],
      [utf16Bom, 'utf-16le'],
    ] as const) {
      const result = await parseImport(file(bytes, 'pocket.csv'));
      expect(result.encoding).toBe(encoding);
      expect(result.items.map((i) => i.title)).toEqual(['Café']);
    }
    const withNul = await parseImport(file(csv.replace('Café', 'Ca\u0000fé'), 'pocket.csv'));
    expect(withNul.items.map((i) => i.title)).toEqual(['Café']);
    expect(withNul.problems[0]!.message).toBe('the file contains 1 NUL byte; they were removed');
  });

  it('detects pasted exports as it detects files', async () => {
    const pasted = await parseImportText(
      'title,url,time_added,tags,status\nA,https://a.example/,1,,unread',
    );
    expect(pasted.format).toBe('pocket-csv');
    expect((await parseImportText('%PDF-1.4 \u0001\u0002\u0003\u0004\u0005\u0006')).error).toBe(
      'This looks like a binary file, not a bookmark export.',
    );
  });

  it('reports an unclosed quote and keeps the rows before it', async () => {
    const result = await parseImport(
      file(
        'title,url,time_added,tags,status\nA,https://a.example/,1,,unread\n"B,https://b.example/,2,,unread\nC,https://c.example/,3,,unread\n',
        'p.csv',
      ),
    );
    expect(result.items.map((i) => i.url)).toEqual(['https://a.example/']);
    expect(result.problems[0]).toEqual({
      where: 'line 3',
      message: 'a quoted field is never closed, so the rest of the file reads as one cell',
      kind: 'skipped',
    });
    expect(summarizeImport(result)).toBe('1 link in a Pocket export (CSV); 1 could not be read');
  });
});
