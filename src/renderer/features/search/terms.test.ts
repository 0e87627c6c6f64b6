import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findTerms, matchSnippet, matchesAny, splitAtTerms, termPattern } from './terms';

describe('splitAtTerms', () => {
  it('matches whole words case-insensitively, longest term first', () => {
    expect(splitAtTerms('Raft keeps a raft-log; rafts float', ['raft', 'raft-log'])).toEqual([
      '',
      'Raft',
      ' keeps a ',
      'raft-log',
      '; rafts float',
    ]);
  });

  it('treats regular-expression characters in terms literally', () => {
    const parts = splitAtTerms('learn c++ for $5, not (a|b) or \\d', ['c++', '(a|b)', '\\d', '$5']);
    expect(parts.filter((_, i) => i % 2 === 1)).toEqual(['c++', '$5', '(a|b)', '\\d']);
  });

  it('knows letters beyond ASCII, including ones outside the Basic Multilingual Plane', () => {
    expect(findTerms('Crème brûlée, crème', ['crème'])).toEqual([
      [0, 5],
      [14, 19],
    ]);
    expect(findTerms('caféraft éraft 𝐀raft raft𝐀', ['raft'])).toEqual([]);
    expect(findTerms('Ärger: ärger!', ['ärger'])).toEqual([
      [0, 5],
      [7, 12],
    ]);
  });

  it('finds the right places in text whose lower case is longer', () => {
    // "İ" lower-cases to two code units, so positions come from the pattern instead.
    const text = 'İstanbul Raft meetup';
    const [range] = findTerms(text, ['raft']);
    expect(text.slice(...range!)).toBe('Raft');
  });

  it('leaves text alone when there is nothing to match', () => {
    expect(splitAtTerms('some text', [])).toEqual(['some text']);
    expect(splitAtTerms('some text', ['  ', ''])).toEqual(['some text']);
    expect(termPattern([])).toBeNull();
  });

  it('never loses or reorders text, and every match is one of the terms', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }),
        (text, terms) => {
          const parts = splitAtTerms(text, terms);
          expect(parts.join('')).toBe(text);
          const lowered = terms.map((t) => t.trim().toLowerCase());
          parts.forEach((part, i) => {
            if (i % 2 === 1) expect(lowered).toContain(part.toLowerCase());
          });
        },
      ),
    );
  });

  it('agrees with the equivalent regular expression', () => {
    const char = fc.constantFrom('a', 'b', 'A', 'é', 'É', '1', '-', ' ', '.', '+');
    const text = fc.string({ unit: char, maxLength: 40 });
    const term = fc.string({ unit: char, minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(text, fc.array(term, { minLength: 1, maxLength: 4 }), (text, terms) => {
        const pattern = termPattern(terms);
        const expected = pattern
          ? [...text.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length])
          : [];
        expect(findTerms(text, terms)).toEqual(expected);
      }),
    );
  });
});

describe('findTerms with whole-word terms', () => {
  // Terms from the index are single words, matched word by word against a set.
  const letter = fc.constantFrom('a', 'b', 'A', 'é', 'É', '1', '𝐀');
  const other = fc.constantFrom('-', ' ', '.', '\u0301', '\ud835');
  const term = fc.string({ unit: letter, minLength: 1, maxLength: 3 });

  it('agrees with the equivalent regular expression', () => {
    const text = fc.string({ unit: fc.oneof(letter, other), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.array(term, { minLength: 1, maxLength: 30 }), (text, terms) => {
        const pattern = termPattern(terms)!;
        const expected = [...text.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length]);
        expect(findTerms(text, terms)).toEqual(expected);
      }),
    );
  });

  it('prepares a list once and gives the same answer each time it is used', () => {
    const terms = ['raft', 'rafts', 'log'];
    const first = findTerms('Rafts log the raft', terms);
    expect(findTerms('Rafts log the raft', terms)).toEqual(first);
    expect(first).toEqual([
      [0, 5],
      [6, 9],
      [14, 18],
    ]);
  });
});

describe('matchSnippet', () => {
  it('shows the note around the first match, with ellipses where it was cut', () => {
    const note = `${'intro '.repeat(30)}the linearizability argument ${'outro '.repeat(30)}`;
    const snippet = matchSnippet(note, ['linearizability'], 20)!;
    expect(snippet).toMatch(/^….*linearizability.*…$/);
    expect(snippet.length).toBeLessThan(70);
  });

  it('is null when the text does not contain any term', () => {
    expect(matchSnippet('nothing here', ['raft'])).toBeNull();
  });

  it('always contains the matched word when there is one', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.stringMatching(/^[a-z]{2,10}$/),
        fc.string(),
        (before, word, after) => {
          const text = `${before} ${word} ${after}`;
          const snippet = matchSnippet(text, [word]);
          expect(snippet?.toLowerCase()).toContain(word);
        },
      ),
    );
  });
});

describe('matchesAny', () => {
  it('looks in every text given, and can be called repeatedly', () => {
    expect(matchesAny(['paxos'], 'Raft', 'Paxos made simple')).toBe(true);
    expect(matchesAny(['paxos'], 'Raft', 'Paxos made simple')).toBe(true);
    expect(matchesAny(['paxos'], 'Raft', 'Viewstamped replication')).toBe(false);
  });
});
