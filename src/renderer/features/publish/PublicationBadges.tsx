// Where a link has gone: "On Bluesky" and "On site" link to the post and the page; a pick on its
// way or one that failed says so, with the reason on hover (and in the detail pane, with Retry).
import { PUBLISH_TARGETS, type PublicationRecord } from '../../../shared/model';
import type { ItemRow } from '../../data/types';
import { recordLabel } from './labels';

export function PublicationBadges({ row }: { row: ItemRow }) {
  const records = PUBLISH_TARGETS.map((t) => row.publications[t]).filter(
    (r): r is PublicationRecord => r !== undefined,
  );
  if (!records.length) return null;
  return (
    <span className="publication-badges">
      {records.map((record) => (
        <PublicationBadge key={record.target} record={record} />
      ))}
    </span>
  );
}

export function PublicationBadge({ record }: { record: PublicationRecord }) {
  const label = recordLabel(record);
  if (record.state === 'published' && record.url) {
    return (
      <a
        className="badge badge--published"
        href={record.url}
        target="_blank"
        rel="noreferrer noopener"
        title={record.url}
        // A click on a badge in a list row opens the post, not the row.
        onClick={(event) => event.stopPropagation()}
      >
        {label}
      </a>
    );
  }
  return (
    <span
      className={`badge badge--${record.state}`}
      title={record.state === 'failed' ? record.error : undefined}
    >
      {label}
    </span>
  );
}
