import fc from 'fast-check';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { describe, expect, it, vi } from 'vitest';
import { defaultBlurb } from './pick';
import { MAX_POST_BYTES, MAX_POST_GRAPHEMES, textLength } from './text';
import { itemRow } from './testing';

vi.mock('mdast-util-from-markdown', async (load) => {
  const real = await load<{ fromMarkdown: typeof fromMarkdown }>();
  return { fromMarkdown: vi.fn(real.fromMarkdown) };
});

const blurbOf = (note: string, description = 'The page says.') =>
  defaultBlurb(itemRow({ url: 'https://a.example/x', note, description }));

describe('defaultBlurb', () => {
  it('skips headings: the first paragraph is the blurb', () => {
    expect(blurbOf('## Why it matters\n\nBecause consensus is hard.')).toBe(
      'Because consensus is hard.',
    );
    expect(blurbOf('# One\n## Two\n### Three')).toBe('The page says.');
    expect(blurbOf('Setext heading\n===\n\nThe words.')).toBe('The words.');
  });

  it('keeps the words of links and drops emphasis, code marks, HTML and images', () => {
    expect(
      blurbOf(
        'Read [the *Raft* paper](https://raft.github.io) for **the** _proof_, `code` and <https://x.org>.',
      ),
    ).toBe('Read the Raft paper for the proof, code and https://x.org.');
    expect(blurbOf('The <b>clearest</b> paper ![diagram](d.png) yet.')).toBe(
      'The clearest paper yet.',
    );
    expect(blurbOf('One line  \nand a hard break\\\nand a soft\none.')).toBe(
      'One line and a hard break and a soft one.',
    );
    expect(blurbOf('Tom &amp; Jerry &#x1F389; \\*not emphasis\\*')).toBe(
      'Tom & Jerry 🎉 *not emphasis*',
    );
  });

  it('does not take lists, quotes or code as the blurb', () => {
    expect(blurbOf('- a list item\n\n> a quote\n\n```\ncode\n```\n\nMy take.')).toBe('My take.');
    expect(blurbOf('- only\n- a list')).toBe('The page says.');
  });

  it('finds links whose definition comes at the end of a long note', () => {
    const note = `[Raft][r] is simple.\n\n${'More notes.\n\n'.repeat(800)}[r]: https://raft.github.io`;
    expect(blurbOf(note)).toBe('Raft is simple.');
  });

  it('parses only the start of a long note, whatever a co-maintainer wrote in it', () => {
    // micromark is quadratic on these; parsed whole, 100 KB of `*a` takes minutes.
    const parsed = vi.mocked(fromMarkdown);
    for (const unit of ['*a', '- ', '> ', 'a\n\n', '[']) {
      parsed.mockClear();
      blurbOf(unit.repeat(100_000));
      const lengths = parsed.mock.calls.map(([text]) => String(text).length);
      expect(Math.max(...lengths)).toBeLessThanOrEqual(2000);
    }
  });

  it('folds the description to one line when the note has no paragraph', () => {
    expect(blurbOf('', '  The\n page.  ')).toBe('The page.');
  });

  it('stays within what one Bluesky post may carry', () => {
    const long = blurbOf('word '.repeat(1000));
    expect(textLength(long).graphemes).toBe(MAX_POST_GRAPHEMES);
    expect(long.endsWith('…')).toBe(true);
    const heavy = blurbOf(`e${'\u0301'.repeat(9)}`.repeat(300));
    expect(textLength(heavy).bytes).toBeLessThanOrEqual(MAX_POST_BYTES);
  });
});

// Words with no character Markdown gives a meaning to, so the expected text is known exactly.
const word = fc.stringMatching(/^[A-Za-z0-9\u00e0-\u00ff\u4e00-\u4e10]{1,8}$/);
const words = fc.array(word, { minLength: 1, maxLength: 6 });
const inline = fc.oneof(
  word.map((w) => ({ md: w, text: w })),
  word.map((w) => ({ md: `*${w}*`, text: w })),
  word.map((w) => ({ md: `**${w}**`, text: w })),
  word.map((w) => ({ md: `_${w}_`, text: w })),
  word.map((w) => ({ md: `\`${w}\``, text: w })),
  fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), word).map(([ws, path]) => ({
    md: `[${ws.join(' ')}](https://x.example/${path})`,
    text: ws.join(' '),
  })),
  word.map((w) => ({ md: `<span>${w}</span>`, text: w })),
);
const paragraph = fc.array(inline, { minLength: 1, maxLength: 5 }).map((parts) => ({
  md: parts.map((p) => p.md).join(' '),
  text: parts.map((p) => p.text).join(' '),
}));
const otherBlock = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), words)
    .map(([n, ws]) => `${'#'.repeat(n)} ${ws.join(' ')}`),
  words.map((ws) => `- ${ws.join(' ')}`),
  words.map((ws) => `> ${ws.join(' ')}`),
  words.map((ws) => `\`\`\`\n${ws.join(' ')}\n\`\`\``),
  fc.constant('---'),
);
const block = fc.oneof(
  paragraph.map((p) => ({ md: p.md, text: p.text as string | null })),
  otherBlock.map((md) => ({ md, text: null as string | null })),
);

describe('defaultBlurb properties', () => {
  it('is the first paragraph with every mark of Markdown gone', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 6 }), (blocks) => {
        const note = blocks.map((b) => b.md).join('\n\n');
        const expected = blocks.find((b) => b.text !== null)?.text ?? 'The page says.';
        const blurb = blurbOf(note);
        expect(blurb).toBe(expected);
        expect(blurb).not.toMatch(/[#*_`[\]<>]/);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and always fits one post, on one line, for any note', () => {
    const soup = fc
      .array(
        fc.oneof(
          fc.constantFrom('#', '## ', '*', '**', '_', '[', ']', '(', ')', '](', '`', '```', '>'),
          fc.constantFrom(
            '- ',
            '1. ',
            '\n',
            '\n\n',
            ' ',
            '  \n',
            '<b>',
            '</b>',
            '![',
            '\\',
            '&amp;',
          ),
          fc.constantFrom('[r]: https://r.example', 'https://x.example/a', '---', '==='),
          fc.string({ unit: 'grapheme', maxLength: 12 }),
        ),
        { maxLength: 80 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(soup, fc.string({ unit: 'binary', maxLength: 400 })), (note) => {
        const blurb = blurbOf(note, '');
        const { graphemes, bytes } = textLength(blurb);
        expect(graphemes).toBeLessThanOrEqual(MAX_POST_GRAPHEMES);
        expect(bytes).toBeLessThanOrEqual(MAX_POST_BYTES);
        expect(blurb).not.toMatch(/[\n\r]/);
        expect(blurb).toBe(blurb.trim());
      }),
      { numRuns: 500 },
    );
  });
});
