// The Publish dialog's list of everything this press changes on the site, entry by entry, with a
// flag on each entry that nobody on this device picked: it goes out under the curator's name too.
import { changeLabel, type SiteChange } from '../../../shared/publish';
import type { SitePreviewState } from './useSitePreview';

export function SiteChanges({ preview }: { preview: SitePreviewState }) {
  if (preview.state === 'off') return null;
  return (
    <section className="site-changes" aria-label="Site changes">
      <h3 className="publish__legend">Site changes</h3>
      {preview.state === 'checking' && (
        <p className="site-changes__note" role="status">
          Checking what the site has now…
        </p>
      )}
      {preview.state === 'failed' && (
        <p className="site-changes__note" role="status">
          Could not read the site ({preview.error.replace(/[.\s]+$/, '')}). The commit will still
          list every entry that changes.
        </p>
      )}
      {preview.state === 'ready' && (
        <ul className="site-changes__list">
          {preview.preview.changes.map((change) => (
            <ChangeRow key={`${change.kind}:${change.key}`} change={change} />
          ))}
          {preview.preview.leftOut.map((pick) => (
            <li key={`left-out:${pick.itemId}`} className="site-change">
              <span className="site-change__kind site-change__kind--left-out">Left out</span>
              <span className="site-change__title">{pick.title}</span>
              <span className="site-change__why">{pick.reason}</span>
            </li>
          ))}
          {preview.preview.changes.length + preview.preview.leftOut.length === 0 && (
            <li className="site-changes__note">No entry changes.</li>
          )}
        </ul>
      )}
    </section>
  );
}

function ChangeRow({ change }: { change: SiteChange }) {
  const unasked = change.kind !== 'removed' && !change.pickedHere;
  return (
    <li className="site-change" aria-label={`${changeLabel(change)}: ${change.title}`}>
      <span className={`site-change__kind site-change__kind--${change.kind}`}>
        {change.kind === 'added' ? 'Added' : change.kind === 'changed' ? 'Changed' : 'Removed'}
      </span>
      <span className="site-change__title">{change.title}</span>
      {unasked && <span className="site-change__flag">not picked on this device</span>}
    </li>
  );
}
