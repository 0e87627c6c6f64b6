// The detail pane's line about publishing: where the link is, and why it did not get somewhere
// (or off somewhere), with Retry (the same job, so the same record keys) when this device's outbox
// holds the job; then the corrections a published pick allows.
import { PUBLISH_TARGETS, type PublicationRecord } from '../../../shared/model';
import type { ItemRow } from '../../data/types';
import { ConversationPanel } from '../conversation/ConversationPanel';
import { CorrectionActions } from './CorrectionActions';
import { retryNote } from './labels';
import { PublicationBadge } from './PublicationBadges';
import { useOutbox, useOutboxJobs } from './PublishProvider';
import './publish.css';

export function DetailPublications({
  row,
  onPublish,
}: {
  row: ItemRow;
  onPublish: (ids: string[]) => void;
}) {
  const outbox = useOutbox();
  useOutboxJobs(); // re-render when a job changes state
  const records = PUBLISH_TARGETS.map((t) => row.publications[t]).filter(
    (r): r is PublicationRecord => r !== undefined,
  );
  if (!records.length) return null;
  const retry = (record: PublicationRecord) => {
    const job = outbox?.jobFor(row.id, record.target);
    if (outbox && job && (job.state === 'failed' || job.state === 'queued'))
      void outbox.retry(job.id);
    else onPublish([row.id]);
  };
  // Failed records, and picks whose job on this device is waiting to try again after an error.
  const problems = records.flatMap((record) => {
    // A failed attempt, or an update or removal that has not gone out yet.
    if (record.state === 'failed' || record.error)
      return [{ record, text: record.error ?? 'failed', action: 'Retry', retrying: false }];
    const job =
      record.state === 'publishing' || record.state === 'removed' || record.state === 'published'
        ? outbox?.jobFor(row.id, record.target)
        : undefined;
    if (job?.state === 'queued' && job.error)
      return [
        {
          record,
          text: retryNote(job),
          action: 'Retry now',
          retrying: true,
        },
      ];
    return [];
  });
  return (
    <div className="publications" aria-label="Publishing">
      <span className="publication-badges">
        {records.map((record) => (
          <PublicationBadge
            key={record.target}
            record={record}
            retrying={problems.find((p) => p.record === record && p.retrying)?.text ?? null}
          />
        ))}
      </span>
      {problems.map(({ record, text, action }) => (
        <p key={record.target} className="publications__failure" role="status">
          <span>
            {record.target === 'bluesky' ? 'Bluesky' : 'Site'}: {text}
          </span>
          <button type="button" className="button button--quiet" onClick={() => retry(record)}>
            {action}
          </button>
        </p>
      ))}
      <CorrectionActions row={row} />
      <ConversationPanel row={row} />
    </div>
  );
}
