// How publishing reads to the curator: target names, record states and job outcomes in words.
import type { PublicationRecord, PublishTarget } from '../../../shared/model';
import { jobItemIds, type OutboxRow } from '../../data/outbox';

export const TARGET_LABEL: Record<PublishTarget, string> = { bluesky: 'Bluesky', site: 'Site' };

const links = (n: number) => (n === 1 ? '1 link' : `${n} links`);

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** An error message as the end of a sentence: one full stop, however the service wrote it. */
function asSentence(error: string | null): string {
  const text = (error ?? 'unknown error').replace(/\s+/g, ' ').trim();
  return `${text.replace(/[.\s]+$/, '')}.`;
}

/** Why a queued job is waiting, and until when. */
export function retryNote(row: OutboxRow): string {
  return `${asSentence(row.error)} Trying again at ${clock.format(row.nextAttemptAt)}.`;
}

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
      return `Could not publish ${links(n)} to ${target}: ${asSentence(row.error)}`;
    case 'running':
      return `Publishing ${links(n)} to ${target}…`;
    case 'queued':
      return row.error
        ? `Publishing to ${target} failed: ${retryNote(row)}`
        : `Waiting to publish ${links(n)} to ${target}`;
  }
}
