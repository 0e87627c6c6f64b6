// Marks the words a search matched. Terms come from the index (whole document words, already
// expanded from prefixes and typos), so they are matched as whole words, case-insensitively.
import { useMemo } from 'react';
import { termPattern } from './terms';

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
