// Anchoring a highlight's quote again: in the text it was made in, after edits elsewhere in the
// text, among repeated phrases, and when the words are gone.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { anchorQuote, describeRange, CONTEXT_LENGTH, MAX_QUOTE_LENGTH } from '.';

const letters = fc.string({ unit: fc.constantFrom(...'abcde .'.split('')), minLength: 1 });
/** Text and a non-empty range in it. */
const textAndRange = fc.tuple(letters, letters, letters).map(([before, quote, after]) => ({
  text: before + quote + after,
  range: { start: before.length, end: before.length + quote.length },
}));
/** As textAndRange, with room for edits beyond the quote's context on both sides. */
const roomyTextAndRange = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'abcde .'.split('')), minLength: 40, maxLength: 120 }),
    letters,
    fc.string({ unit: fc.constantFrom(...'abcde .'.split('')), minLength: 40, maxLength: 120 }),
  )
  .map(([before, quote, after]) => ({
    text: before + quote + after,
    range: { start: before.length, end: before.length + quote.length },
  }));
/** Edits in characters the text never has, so an edit cannot make another copy of the quote. */
const foreign = fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 1 });

describe('anchorQuote', () => {
  it('finds a quote where it was made, however often its words repeat', () => {
    fc.assert(
      fc.property(textAndRange, ({ text, range }) => {
        const { quote, position } = describeRange(text, range)!;
        expect(anchorQuote(text, quote, position)).toEqual(range);
      }),
    );
  });

  it('follows the quote when text is inserted or deleted away from it', () => {
    fc.assert(
      fc.property(
        roomyTextAndRange,
        foreign,
        fc.nat(),
        fc.boolean(),
        ({ text, range }, inserted, at, deleteInstead) => {
          const { quote, position } = describeRange(text, range)!;
          // Edits before the prefix or after the suffix: the quote's context stays whole.
          const beforeRoom = Math.max(0, range.start - CONTEXT_LENGTH);
          const afterFrom = Math.min(text.length, range.end + CONTEXT_LENGTH);
          const afterRoom = text.length - afterFrom;
          fc.pre(beforeRoom + afterRoom > 0);
          const spot = at % (beforeRoom + afterRoom);
          const offset = spot < beforeRoom ? spot : afterFrom + (spot - beforeRoom);
          const edited = deleteInstead
            ? text.slice(0, offset) + text.slice(offset + 1)
            : text.slice(0, offset) + inserted + text.slice(offset);
          const shift = offset < range.start ? (deleteInstead ? -1 : inserted.length) : 0;
          const found = anchorQuote(edited, quote, position);
          // A deletion may make the context match a second copy equally well; the found words are
          // still the quote, and the hint keeps the original when it is as good.
          expect(found).not.toBeNull();
          expect(edited.slice(found!.start, found!.end)).toBe(quote.exact);
          if (!deleteInstead)
            expect(found).toEqual({ start: range.start + shift, end: range.end + shift });
        },
      ),
    );
  });

  it('tells repeated quotes apart by prefix and suffix before the position hint', () => {
    const text = 'Alpha says the leader decides. Beta says the leader decides. Gamma ends.';
    const second = text.lastIndexOf('the leader decides');
    const { quote } = describeRange(text, { start: second, end: second + 18 })!;
    // A stale hint pointing at the first copy loses to the context of the second.
    expect(anchorQuote(text, quote, { start: 0 })).toEqual({ start: second, end: second + 18 });
    // Moved further by an insertion at the start, still found by its context.
    const moved = 'Preface. ' + text;
    expect(anchorQuote(moved, quote, { start: second })?.start).toBe(second + 9);
  });

  it('uses the position hint when the context cannot decide', () => {
    const text = 'na '.repeat(40);
    const quote = { exact: 'na', prefix: '', suffix: '' };
    expect(anchorQuote(text, quote, { start: 31 })).toEqual({ start: 30, end: 32 });
    expect(anchorQuote(text, quote, { start: 0 })).toEqual({ start: 0, end: 2 });
  });

  it('reports a quote that is no longer in the text as orphaned', () => {
    fc.assert(
      fc.property(textAndRange, ({ text, range }) => {
        const { quote, position } = describeRange(text, range)!;
        // Replaced by characters the quote has none of, so no copy of it can remain.
        const without = text.replaceAll(quote.exact, '#');
        expect(anchorQuote(without, quote, position)).toBeNull();
      }),
    );
    expect(anchorQuote('anything', { exact: '', prefix: '', suffix: '' })).toBeNull();
  });
});

describe('describeRange', () => {
  it('refuses empty, reversed, out-of-range and overlong ranges', () => {
    expect(describeRange('abc', { start: 1, end: 1 })).toBeNull();
    expect(describeRange('abc', { start: 2, end: 1 })).toBeNull();
    expect(describeRange('abc', { start: 0, end: 4 })).toBeNull();
    const long = 'x'.repeat(MAX_QUOTE_LENGTH + 1);
    expect(describeRange(long, { start: 0, end: long.length })).toBeNull();
  });

  it('keeps at most CONTEXT_LENGTH characters of context on each side', () => {
    const text = 'p'.repeat(100) + 'QUOTE' + 's'.repeat(100);
    const { quote, position } = describeRange(text, { start: 100, end: 105 })!;
    expect(quote).toEqual({
      type: 'TextQuoteSelector',
      exact: 'QUOTE',
      prefix: 'p'.repeat(CONTEXT_LENGTH),
      suffix: 's'.repeat(CONTEXT_LENGTH),
    });
    expect(position).toEqual({ type: 'TextPositionSelector', start: 100, end: 105 });
  });
});
