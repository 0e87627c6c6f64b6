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
