import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { looksLikeLinks, parseLinkLines } from './linkLines';

describe('parseLinkLines', () => {
  it('reads one link per line, skipping blank lines and keeping line numbers', () => {
    expect(parseLinkLines('https://a.example/1\n\n  b.example/2  \n')).toEqual({
      links: [
        { line: 1, url: 'https://a.example/1' },
        { line: 3, url: 'b.example/2' },
      ],
      errors: [],
    });
  });

  it('names the line and the problem of every bad line', () => {
    const { links, errors } = parseLinkLines(
      'https://ok.example/\nftp://files.example/x\nnot a link\nlocalhost:3000',
    );
    expect(links.map((l) => l.line)).toEqual([1, 4]);
    expect(errors).toEqual([
      expect.stringMatching(
        /^Line 2: "ftp:\/\/files\.example\/x" is not a link .*only http and https/,
      ),
      expect.stringMatching(/^Line 3: "not a link" is not a link .*contains spaces/),
    ]);
  });

  it('keeps the first of two lines that are the same article', () => {
    const { links } = parseLinkLines(
      'https://example.com/a\nhttps://www.example.com/a/?utm_source=x\nhttps://example.com/b',
    );
    expect(links.map((l) => l.line)).toEqual([1, 3]);
  });

  it('accounts for every non-blank line: a link, an error, or a repeat of an earlier link', () => {
    const line = fc.oneof(
      fc.webUrl(),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('', '   ', 'example.com', 'javascript:alert(1)', 'https://'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const input = lines.map((l) => l.replace(/\n/g, ' ')).join('\n');
        const { links, errors } = parseLinkLines(input);
        const nonBlank = input.split('\n').filter((l) => l.trim()).length;
        expect(links.length + errors.length).toBeLessThanOrEqual(nonBlank);
        const numbers = [
          ...links.map((l) => l.line),
          ...errors.map((e) => Number(/^Line (\d+):/.exec(e)?.[1])),
        ];
        expect(new Set(numbers).size).toBe(numbers.length);
        for (const n of numbers) expect(input.split('\n')[n - 1]?.trim()).toBeTruthy();
      }),
    );
  });
});

describe('looksLikeLinks', () => {
  it('accepts pasted http(s) links, one or several', () => {
    expect(looksLikeLinks('https://example.com/a')).toBe(true);
    expect(looksLikeLinks('https://example.com/a\r\n\r\nhttp://example.org/b\n')).toBe(true);
  });

  it('leaves prose and other schemes alone', () => {
    expect(looksLikeLinks('read https://example.com/a later')).toBe(false);
    expect(looksLikeLinks('ftp://example.com/a')).toBe(false);
    expect(looksLikeLinks('   ')).toBe(false);
  });
});
