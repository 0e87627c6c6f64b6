// How publishing reads to the curator: target names, record states and job outcomes in words.
import type { PublicationRecord, PublishTarget } from '../../../shared/model';
import { jobItemIds, type OutboxRow } from '../../data/outbox';

export const TARGET_LABEL: Record<PublishTarget, string> = { bluesky: 'Bluesky', site: 'Site' };

const links = (n: number) => (n === 1 ? '1 link' : `${n} links`);

/** The badge text for a publication record. */
export function recordLabel(record: PublicationRecord): string {
  const where = record.target === 'bluesky' ? 'Bluesky' : 'site';
  if (record.state === 'published') return `On ${where}`;
  if (record.state === 'publishing') return `Publishing to ${where}…`;
  return `${record.target === 'bluesky' ? 'Bluesky' : 'Site'} failed`;
}

export function jobSummary(row: OutboxRow): string {
  const n = jobItemIds(row.job).length;
  const target = row.job.kind === 'bluesky' ? 'Bluesky' : 'the site';
  switch (row.state) {
    case 'done':
      return row.job.kind === 'bluesky'
        ? `Posted ${links(n)} to Bluesky`
        : `Published ${links(n)} to the site`;
    case 'failed':
      return `Could not publish ${links(n)} to ${target}: ${row.error ?? 'unknown error'}`;
    case 'running':
      return `Publishing ${links(n)} to ${target}…`;
    case 'queued':
      return row.error
        ? `Publishing to ${target} failed (${row.error}); trying again at ${new Date(row.nextAttemptAt).toLocaleTimeString()}`
        : `Waiting to publish ${links(n)} to ${target}`;
  }
}
