import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchSnippet, matchesAny, termPattern } from './terms';

describe('termPattern', () => {
  it('matches whole words case-insensitively, longest term first', () => {
    const pattern = termPattern(['raft', 'raft-log'])!;
    expect('Raft keeps a raft-log; rafts float'.split(pattern)).toEqual([
      '',
      'Raft',
      ' keeps a ',
      'raft-log',
      '; rafts float',
    ]);
  });

  it('treats regular-expression characters in terms literally', () => {
    const pattern = termPattern(['c++', '(a|b)', '\\d', '$5'])!;
    expect('learn c++ for $5, not (a|b) or \\d'.match(pattern)).toEqual([
      'c++',
      '$5',
      '(a|b)',
      '\\d',
    ]);
  });

  it('is null when there is nothing to match', () => {
    expect(termPattern([])).toBeNull();
    expect(termPattern(['  ', ''])).toBeNull();
  });

  it('never loses or reorders text when splitting for highlights', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }),
        (text, terms) => {
          const pattern = termPattern(terms);
          if (!pattern) return;
          const parts = text.split(pattern);
          expect(parts.join('')).toBe(text);
          const lowered = terms.map((t) => t.trim().toLowerCase());
          parts.forEach((part, i) => {
            if (i % 2 === 1) expect(lowered).toContain(part.toLowerCase());
          });
        },
      ),
    );
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
