// Where a link has gone: "On Bluesky" and "On site" link to the post and the page; a pick on its
// way, waiting to try again, or failed says so, with the reason on hover (and in the detail pane,
// with Retry).
import { PUBLISH_TARGETS, isHttpUrl, type PublicationRecord } from '../../../shared/model';
import type { ItemRow } from '../../data/types';
import { recordLabel, TARGET_LABEL } from './labels';
import { useOutbox, useOutboxJobs } from './PublishProvider';

export function PublicationBadges({ row }: { row: ItemRow }) {
  const outbox = useOutbox();
  useOutboxJobs(); // a job waiting to retry changes how its picks read
  const records = PUBLISH_TARGETS.map((t) => row.publications[t]).filter(
    (r): r is PublicationRecord => r !== undefined,
  );
  if (!records.length) return null;
  return (
    <span className="publication-badges">
      {records.map((record) => {
        const job =
          record.state === 'publishing' ? outbox?.jobFor(row.id, record.target) : undefined;
        return (
          <PublicationBadge
            key={record.target}
            record={record}
            retrying={job?.state === 'queued' ? job.error : null}
          />
        );
      })}
    </span>
  );
}

export function PublicationBadge({
  record,
  retrying = null,
}: {
  record: PublicationRecord;
  /** Why the last attempt failed, while this device's outbox waits to try again. */
  retrying?: string | null;
}) {
  // Only an http(s) address is a link, whoever wrote the record.
  if (record.state === 'published' && isHttpUrl(record.url)) {
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
        {recordLabel(record)}
      </a>
    );
  }
  if (retrying) {
    return (
      <span className="badge badge--failed" title={retrying}>
        {TARGET_LABEL[record.target]}: retrying
      </span>
    );
  }
  return (
    <span
      className={`badge badge--${record.state}`}
      title={record.state === 'failed' ? record.error : undefined}
    >
      {recordLabel(record)}
    </span>
  );
}
