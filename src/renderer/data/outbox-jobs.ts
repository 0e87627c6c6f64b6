// The outbox's stored jobs and its schedule: what a job row holds in Dexie, which one runs next,
// and how long a failed one waits before its next try.
import { jobItemIds, type PublishJob } from '../../shared/publish';
import type { Attempt, MadePost } from './outbox-run';

export type OutboxJob = PublishJob;
export type OutboxState = 'queued' | 'running' | 'done' | 'failed';

export interface OutboxRow {
  id: string;
  job: OutboxJob;
  state: OutboxState;
  /** Attempts made so far; the backoff grows with it. */
  attempts: number;
  /** When a queued job may run next (ms). */
  nextAttemptAt: number;
  /** Why the last attempt failed; kept while the job waits for its next try. */
  error: string | null;
  createdAt: number;
  updatedAt: number;
  /** Posts this job made on this device (kept to delete any whose key is removed later). */
  made?: MadePost[];
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Attempts before a job stops and waits for the curator's Retry. */
  maxAttempts: number;
}

/** The services already retry each call within seconds; this layer covers longer outages. */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 30_000,
  maxMs: 15 * 60_000,
  maxAttempts: 5,
};

/** A freshly planned job, due at once. */
export function queuedRow(id: string, job: OutboxJob, at: number): OutboxRow {
  return {
    id,
    job,
    state: 'queued',
    attempts: 0,
    nextAttemptAt: at,
    error: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** Whether a failed attempt was the job's last: the failure cannot pass, or it used every try. */
export function isFinal(row: OutboxRow, permanent: boolean, policy: BackoffPolicy): boolean {
  return permanent || row.attempts >= policy.maxAttempts;
}

/** How long a job waits after its `attempts`-th failed attempt: doubling, up to the maximum. */
export function backoffDelay(attempts: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** (attempts - 1));
}

/** The queued job that is due and oldest (ties by id, which is unique). */
export function nextDue(rows: Iterable<OutboxRow>, now: number): OutboxRow | undefined {
  let best: OutboxRow | undefined;
  for (const row of rows) {
    if (row.state !== 'queued' || row.nextAttemptAt > now) continue;
    if (
      !best ||
      row.createdAt < best.createdAt ||
      (row.createdAt === best.createdAt && row.id < best.id)
    )
      best = row;
  }
  return best;
}

/** When the earliest queued job is due, or null when none waits. */
export function nextWakeUp(rows: Iterable<OutboxRow>): number | null {
  let at: number | null = null;
  for (const row of rows)
    if (row.state === 'queued')
      at = at === null ? row.nextAttemptAt : Math.min(at, row.nextAttemptAt);
  return at;
}

/** Newest first, ties by id: the order the outbox lists its jobs in. */
export function newestFirst(a: OutboxRow, b: OutboxRow): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** A job's row after an attempt: done, failed for good, or queued again after its backoff. */
export function afterAttempt(
  running: OutboxRow,
  outcome: Attempt,
  now: number,
  policy: BackoffPolicy,
): OutboxRow {
  const made = [...(running.made ?? []), ...(outcome.made ?? [])];
  const row = made.length ? { ...running, made } : running;
  if (outcome.ok) return { ...row, state: 'done', error: null };
  if (isFinal(row, outcome.permanent, policy))
    return { ...row, state: 'failed', error: outcome.error };
  const nextAttemptAt = now + backoffDelay(row.attempts, policy);
  return { ...row, state: 'queued', error: outcome.error, nextAttemptAt };
}

/** A newer job for the same target carries one of this job's picks and has not failed. */
export function isSuperseded(row: OutboxRow, rows: readonly OutboxRow[]): boolean {
  const ids = new Set(jobItemIds(row.job));
  return rows.some(
    (other) =>
      other.id !== row.id &&
      other.job.kind === row.job.kind &&
      other.state !== 'failed' &&
      newestFirst(other, row) < 0 &&
      jobItemIds(other.job).some((itemId) => ids.has(itemId)),
  );
}
