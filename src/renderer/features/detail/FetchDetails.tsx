// "Fetch details again": for a link with no title of its own (saved offline, or its page was
// down), asks the page again now, and says what is happening with that request. A link that only
// lacks a description is common and not worth a button; `f` asks for it all the same.
import { useLibrary, useUnfurlStatus } from '../../data/hooks';
import { lacksTitle } from '../../data/details';
import type { ItemRow } from '../../data/types';

export function FetchDetails({ row }: { row: ItemRow }) {
  const library = useLibrary();
  const status = useUnfurlStatus(row.id);
  if (!lacksTitle(row) && status === null) return null;
  const fetching = status?.state === 'fetching';
  const error = status?.state === 'failed' || status?.state === 'waiting' ? status.error : null;
  return (
    <p className="fetch-details" role="status">
      <button
        type="button"
        className="button button--quiet"
        disabled={fetching}
        title="Ask the page for its title and description (f)"
        onClick={() => library.fetchDetails([row])}
      >
        Fetch details again
      </button>
      {fetching ? (
        <span>Fetching details…</span>
      ) : error ? (
        <span className="fetch-details__error">
          Couldn’t fetch details: {error}.{' '}
          {status?.state === 'waiting' ? 'Curio tries again by itself.' : ''}
        </span>
      ) : status?.state === 'waiting' ? (
        <span>Waiting to fetch details until you are online.</span>
      ) : null}
    </p>
  );
}
