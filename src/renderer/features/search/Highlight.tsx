// Marks the words a search matched. Terms come from the index (whole document words, already
// expanded from prefixes and typos), so they are matched as whole words, case-insensitively.
import { useMemo } from 'react';

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

export function Highlight({
  text,
  terms,
}: {
  text: string;
  terms?: readonly string[] | undefined;
}) {
  const pattern = useMemo(() => (terms ? termPattern(terms) : null), [terms]);
  if (!pattern) return <>{text}</>;
  // split() with one capture group alternates plain text and matches.
  const parts = text.split(pattern);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}</>;
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
