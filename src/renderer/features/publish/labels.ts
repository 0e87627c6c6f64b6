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
  if (record.state === 'removed') return `Removed from ${where}`;
  return `${record.target === 'bluesky' ? 'Bluesky' : 'Site'} failed`;
}

/** What a job does, as a verb for "Could not …" and "…ing" messages. */
function jobVerb(row: OutboxRow): { done: string; doing: string; inf: string; failed: string } {
  const n = links(jobItemIds(row.job).length);
  const { job } = row;
  if (job.kind === 'bluesky-removal')
    return {
      done: `Removed ${n} from Bluesky`,
      doing: `Removing ${n} from Bluesky`,
      inf: `remove ${n} from Bluesky`,
      failed: 'Removing from Bluesky failed',
    };
  if (job.kind === 'bluesky')
    return {
      done: `Posted ${n} to Bluesky`,
      doing: `Publishing ${n} to Bluesky`,
      inf: `publish ${n} to Bluesky`,
      failed: 'Publishing to Bluesky failed',
    };
  if (job.action === 'remove')
    return {
      done: `Removed ${n} from the site`,
      doing: `Removing ${n} from the site`,
      inf: `remove ${n} from the site`,
      failed: 'Removing from the site failed',
    };
  if (job.action === 'update')
    return {
      done: `Updated the site`,
      doing: `Updating the site`,
      inf: `update the site`,
      failed: 'Updating the site failed',
    };
  return {
    done: `Published ${n} to the site`,
    doing: `Publishing ${n} to the site`,
    inf: `publish ${n} to the site`,
    failed: 'Publishing to the site failed',
  };
}

export function jobSummary(row: OutboxRow): string {
  const verb = jobVerb(row);
  switch (row.state) {
    case 'done':
      return verb.done;
    case 'failed':
      return `Could not ${verb.inf}: ${asSentence(row.error)}`;
    case 'running':
      return `${verb.doing}…`;
    case 'queued':
      return row.error ? `${verb.failed}: ${retryNote(row)}` : `Waiting to ${verb.inf}`;
  }
}

/** Each pick's problems as one line the curator reads: "Title: first problem; second problem". */
export function problemLines(
  problems: ReadonlyArray<{ title: string; problems: readonly string[] }>,
): string[] {
  return problems.map((p) => `${p.title}: ${p.problems.join('; ')}`);
}
