import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { markdownToPlain } from './plainText';

describe('markdownToPlain', () => {
  it('drops heading, list, quote, emphasis and code marks, keeping link text', () => {
    expect(
      markdownToPlain(
        '## Why it matters\n\nThe **move operation** is *hard*.\n- read [the talk](https://x.example)\n> `quoted` ~~old~~',
      ),
    ).toBe('Why it matters\n\nThe move operation is hard.\nread the talk\nquoted old');
  });

  it('leaves plain prose and snake_case words alone', () => {
    expect(markdownToPlain('Plain words about user_id and 3 * 4')).toBe(
      'Plain words about user_id and 3 * 4',
    );
  });

  it('keeps the text of a link whose address has parentheses', () => {
    expect(
      markdownToPlain('[Paxos](https://en.wikipedia.org/wiki/Paxos_(computer_science)).'),
    ).toBe('Paxos.');
  });

  it('reads a note of unmatched brackets in one pass', () => {
    // A scan from every `[` to the end of the note took minutes on this before.
    const hostile = '['.repeat(200_000) + '![a]('.repeat(40_000);
    expect(markdownToPlain(hostile)).toBe(hostile);
  });

  it('never adds text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(markdownToPlain(text).length).toBeLessThanOrEqual(text.length);
      }),
    );
  });
});
