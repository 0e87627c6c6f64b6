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

  it('never adds text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(markdownToPlain(text).length).toBeLessThanOrEqual(text.length);
      }),
    );
  });
});
