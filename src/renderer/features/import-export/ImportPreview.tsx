// What an import would do, before it does it: how many links are new, how many are already in
// the library (they only gain what they lack), how many rows were skipped and why, line by line.
import { ALREADY_SAVED } from '../../../shared/import';
import type { ImportState } from '../../data/import-session';
import { linkCount } from './labels';

type Preview = Extract<ImportState, { step: 'preview' }>;

/** The links a confirm writes: new ones, and saved ones that gain something. */
export const importCount = (state: Preview) => state.entries.length;

/**
 * Entries left out: unreadable, not links, or left out on purpose (a reply, a repost, a post
 * without a link card). Entries already in the library are counted as such, not as skipped.
 */
function skippedRows(state: Preview): number {
  const unreadable = state.summary.problems.filter((p) => p.kind === 'skipped').length;
  const onPurpose = Object.values(state.summary.skipped).reduce((sum, n) => sum + n, 0);
  const alreadySaved = state.preview.skippedReasons[ALREADY_SAVED] ?? 0;
  return (
    unreadable + onPurpose + state.summary.omittedProblems + state.preview.skipped - alreadySaved
  );
}

const number = (n: number) => n.toLocaleString('en');

/** Problems shown at most; the rest are counted. */
const SHOWN_PROBLEMS = 200;

export function ImportPreviewView({ state }: { state: Preview }) {
  const { preview, summary } = state;
  const already = preview.merged + (preview.skippedReasons[ALREADY_SAVED] ?? 0);
  const skipped = skippedRows(state);
  const leftOut = Object.entries(summary.skipped);
  const gaining = preview.merged;
  return (
    <div className="import__preview">
      <p className="import__source">
        {state.source}
        {summary.formatName ? ` — ${summary.formatName}` : ''}
      </p>
      <ul className="import__counts" aria-label="What the import would do">
        <li className="import__count import__count--new">{number(preview.new)} new</li>
        <li className="import__count">{number(already)} already in your library</li>
        <li className="import__count">{number(skipped)} skipped</li>
      </ul>
      {gaining > 0 && (
        <p className="dialog__note">
          {linkCount(gaining)} already in your library will get the tags, notes, read marks or
          Bluesky posts the file adds; nothing they have is overwritten.
        </p>
      )}
      {summary.duplicates > 0 && (
        <p className="dialog__note">
          {number(summary.duplicates)} listed more than once in the file, merged into one each.
        </p>
      )}
      {leftOut.length > 0 && (
        <p className="dialog__note">
          Left out on purpose: {leftOut.map(([why, n]) => `${number(n)} ${why}`).join(', ')}.
        </p>
      )}
      {summary.encoding === 'windows-1252' && (
        <p className="dialog__note">The file is not UTF-8; it was read as Windows-1252.</p>
      )}
      {state.problems.length > 0 && (
        <details className="import__problems" open={state.problems.length <= 10}>
          <summary>What was skipped or changed, and where</summary>
          <ul>
            {state.problems.slice(0, SHOWN_PROBLEMS).map((line, i) => (
              <li key={i}>{line}</li>
            ))}
            {state.problems.length > SHOWN_PROBLEMS && (
              <li>…and {number(state.problems.length - SHOWN_PROBLEMS)} more</li>
            )}
          </ul>
        </details>
      )}
      {importCount(state) === 0 && (
        <p>Nothing to import: the library already has everything this file holds.</p>
      )}
    </div>
  );
}
