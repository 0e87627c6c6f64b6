// Marks the words a search matched. Terms come from the index (whole document words, already
// expanded from prefixes and typos), so they are matched as whole words, case-insensitively.
import { splitAtTerms } from './terms';

export function Highlight({
  text,
  terms,
}: {
  text: string;
  terms?: readonly string[] | undefined;
}) {
  if (!terms?.length) return <>{text}</>;
  const parts = splitAtTerms(text, terms);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}</>;
}
