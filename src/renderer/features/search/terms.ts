// Matching search terms inside displayed text: the pattern behind <mark> highlights and the
// note snippets of rows that matched in their note.

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function termPattern(terms: readonly string[]): RegExp | null {
  const words = [...new Set(terms.map((t) => t.trim()).filter(Boolean))].sort(
    (a, b) => b.length - a.length,
  );
  if (words.length === 0) return null;
  return new RegExp(
    `(?<![\\p{L}\\p{N}])(${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  );
}

/**
 * The part of a long text around its first match, for rows that matched in a note: the curator
 * sees why the link was found.
 */
export function matchSnippet(text: string, terms: readonly string[], radius = 60): string | null {
  const pattern = termPattern(terms);
  if (!pattern) return null;
  const match = pattern.exec(text);
  if (!match) return null;
  const start = Math.max(0, match.index - radius);
  const end = Math.min(text.length, match.index + match[0].length + radius);
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}

/** True when any of the texts contains one of the terms as a whole word. */
export function matchesAny(terms: readonly string[], ...texts: string[]): boolean {
  const pattern = termPattern(terms);
  return pattern !== null && texts.some((text) => new RegExp(pattern).test(text));
}
