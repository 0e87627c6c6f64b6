// Matching search terms inside displayed text: the <mark> highlights and the note snippets of
// rows that matched in their note. Terms match as whole words, case-insensitively.
//
// A search answer's terms are every word its prefixes and typos expanded to, often hundreds, and
// every row on screen is matched against them at each keystroke. So the list is prepared once
// per answer, and text is scanned rather than matched with a Unicode-aware regular expression,
// which costs about a millisecond to compile.

const WORD_CHAR = /[\p{L}\p{N}]/u;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** How many code units the character starting at `index` takes. */
function charLength(text: string, index: number): number {
  return isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1))
    ? 2
    : 1;
}

/** Whether the character starting at `index` is a letter or a digit. */
function wordCharAt(text: string, index: number): boolean {
  if (index >= text.length) return false;
  const code = text.charCodeAt(index);
  if (code < 0x80)
    return (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x30 && code <= 0x39) ||
      (code >= 0x41 && code <= 0x5a)
    );
  return WORD_CHAR.test(text.slice(index, index + charLength(text, index)));
}

/** Whether the character ending just before `index` is a letter or a digit. */
function wordCharBefore(text: string, index: number): boolean {
  if (index <= 0) return false;
  const code = text.charCodeAt(index - 1);
  const start =
    isLowSurrogate(code) && index >= 2 && isHighSurrogate(text.charCodeAt(index - 2))
      ? index - 2
      : index - 1;
  return wordCharAt(text, start);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Distinct, trimmed, lower-case terms, longest first (so "raft-log" wins over "raft"). */
function normalise(terms: readonly string[]): string[] {
  return [...new Set(terms.map((t) => t.trim().toLowerCase()).filter(Boolean))].sort(
    (a, b) => b.length - a.length,
  );
}

/** A list of terms prepared for matching, once however many rows it is matched against. */
interface Matcher {
  words: string[];
  /** Every term is one word (letters and digits only): a match is a whole word in the set. */
  wholeWords: Set<string> | null;
  /** Otherwise: the terms by their first character, longest first. */
  byFirst: Map<string, string[]>;
  /** For text whose lower case is longer; compiled the first time such text is met. */
  pattern: RegExp | null;
}

// One search answer gives every row the same list, so it is prepared once per answer.
const matchers = new WeakMap<readonly string[], Matcher>();

function matcher(terms: readonly string[]): Matcher {
  let found = matchers.get(terms);
  if (!found) {
    const words = normalise(terms);
    const single = words.every((word) => {
      for (let i = 0; i < word.length; i += charLength(word, i))
        if (!wordCharAt(word, i)) return false;
      return true;
    });
    const byFirst = new Map<string, string[]>();
    if (!single)
      for (const word of words) {
        const list = byFirst.get(word[0]!);
        if (list) list.push(word);
        else byFirst.set(word[0]!, [word]);
      }
    found = { words, wholeWords: single ? new Set(words) : null, byFirst, pattern: null };
    matchers.set(terms, found);
  }
  return found;
}

/**
 * The same matching as one regular expression, for the rare text whose lower-case form has a
 * different length (so positions in it are not positions in the text). Also the reference the
 * tests hold the scanner to.
 */
export function termPattern(terms: readonly string[]): RegExp | null {
  const words = normalise(terms);
  if (words.length === 0) return null;
  return new RegExp(
    `(?<![\\p{L}\\p{N}])(${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  );
}

/** Where the terms occur in `text`: [start, end) ranges in order, at most `limit` of them. */
export function findTerms(
  text: string,
  terms: readonly string[],
  limit = Infinity,
): Array<[number, number]> {
  const prepared = matcher(terms);
  const { words, wholeWords, byFirst } = prepared;
  const found: Array<[number, number]> = [];
  if (words.length === 0 || limit <= 0) return found;
  const lower = text.toLowerCase();
  if (lower.length !== text.length) {
    prepared.pattern ??= termPattern(words)!;
    for (const match of text.matchAll(prepared.pattern)) {
      found.push([match.index, match.index + match[0].length]);
      if (found.length >= limit) break;
    }
    return found;
  }
  let at = 0;
  if (wholeWords) {
    // Word by word: a term matches exactly when it is the whole word.
    while (at < lower.length && found.length < limit) {
      if (!wordCharAt(lower, at)) {
        at += charLength(lower, at);
        continue;
      }
      let end = at;
      while (end < lower.length && wordCharAt(lower, end)) end += charLength(lower, end);
      if (wholeWords.has(lower.slice(at, end))) found.push([at, end]);
      at = end;
    }
    return found;
  }
  while (at < lower.length && found.length < limit) {
    const candidates = byFirst.get(lower[at]!);
    if (candidates && !wordCharBefore(lower, at)) {
      const word = candidates.find(
        (w) => lower.startsWith(w, at) && !wordCharAt(lower, at + w.length),
      );
      if (word) {
        found.push([at, at + word.length]);
        at += word.length;
        continue;
      }
    }
    at++;
  }
  return found;
}

/** The text cut at each match: plain and matched parts alternate, starting with plain. */
export function splitAtTerms(text: string, terms: readonly string[]): string[] {
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of findTerms(text, terms)) {
    parts.push(text.slice(from, start), text.slice(start, end));
    from = end;
  }
  parts.push(text.slice(from));
  return parts;
}

/**
 * The part of a long text around its first match, for rows that matched in a note: the curator
 * sees why the link was found.
 */
export function matchSnippet(text: string, terms: readonly string[], radius = 60): string | null {
  const [first] = findTerms(text, terms, 1);
  if (!first) return null;
  const start = Math.max(0, first[0] - radius);
  const end = Math.min(text.length, first[1] + radius);
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}

/** True when any of the texts contains one of the terms as a whole word. */
export function matchesAny(terms: readonly string[], ...texts: string[]): boolean {
  return texts.some((text) => findTerms(text, terms, 1).length > 0);
}
