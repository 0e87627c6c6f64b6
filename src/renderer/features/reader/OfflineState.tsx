// What the item says about its offline copy: "Saving for offline…", "Saved for offline · 12 min
// read", or why it could not be kept, with "Fetch again" where trying again can help.
import { useLocalLibraryHandle } from '../../data/hooks';
import { useArticleStatus } from '../../data/snapshots-hooks';
import type { ArticleStatus } from '../../data/snapshots-queue';

export function offlineText(status: ArticleStatus): string {
  switch (status.state) {
    case 'saved':
      return `Saved for offline · ${status.readingMinutes} min read`;
    case 'fetching':
      return 'Saving for offline…';
    case 'waiting':
      if (status.offline) return 'Will be saved for offline when the network is back';
      return status.error
        ? `Saving for offline… (the last try failed: ${status.error})`
        : 'Saving for offline…';
    case 'failed':
      return `Not saved for offline: ${status.error}`;
  }
}

/** Fetches the link's article again now, replacing the copy kept (if any). */
export function FetchAgain({ link }: { link: { id: string; url: string } }) {
  const { articles } = useLocalLibraryHandle();
  if (!articles) return null;
  return (
    <button
      type="button"
      className="button button--quiet"
      onClick={() => void articles.fetchAgain(link)}
    >
      Fetch again
    </button>
  );
}

export function OfflineState({ id }: { id: string }) {
  const library = useLocalLibraryHandle();
  const status = useArticleStatus(id);
  if (!status) return null;
  const row = library.store.get(id);
  return (
    <p className={`offline-state offline-state--${status.state}`} aria-live="polite">
      <span>{offlineText(status)}</span>
      {status.state === 'failed' && row && <FetchAgain link={row} />}
    </p>
  );
}
