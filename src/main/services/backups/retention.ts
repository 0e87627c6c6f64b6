// Which backups of a collection to keep: the newest of each of the last 7 days that have one, the
// newest of each of the last 4 weeks that have one, and those taken before a destructive action
// in the last day (at most 10), so that two such actions on one day each leave a way back. Days
// and weeks are UTC (weeks start on Monday), so the choice does not depend on the machine's zone.
// Pure: the clock is the caller's.
import type { BackupReason } from '../../../shared/backups';

export interface Kept {
  id: string;
  collectionId: string;
  takenAt: number;
  reason: BackupReason;
}

export const RETENTION = { days: 7, weeks: 4, safetyHours: 24, safetyCount: 10 } as const;

const DAY = 24 * 60 * 60 * 1000;
/** 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Monday. */
const weekOf = (at: number) => Math.floor((at + 3 * DAY) / (7 * DAY));
const dayOf = (at: number) => Math.floor(at / DAY);

/** The newest backup in each of the `count` most recent periods that have one. */
function newestPerPeriod(
  backups: readonly Kept[],
  period: (at: number) => number,
  count: number,
): Kept[] {
  const newest = new Map<number, Kept>();
  for (const backup of backups) {
    const key = period(backup.takenAt);
    const seen = newest.get(key);
    const newer =
      !seen ||
      backup.takenAt > seen.takenAt ||
      (backup.takenAt === seen.takenAt && backup.id > seen.id);
    if (newer) newest.set(key, backup);
  }
  return [...newest]
    .sort(([a], [b]) => b - a)
    .slice(0, count)
    .map(([, backup]) => backup);
}

/** The backups to delete, of every collection in `backups`. */
export function backupsToPrune<B extends Kept>(backups: readonly B[], now: number): B[] {
  const byCollection = new Map<string, B[]>();
  for (const backup of backups) {
    const list = byCollection.get(backup.collectionId) ?? [];
    list.push(backup);
    byCollection.set(backup.collectionId, list);
  }
  const prune: B[] = [];
  for (const list of byCollection.values()) {
    const keep = new Set<Kept>([
      ...newestPerPeriod(list, dayOf, RETENTION.days),
      ...newestPerPeriod(list, weekOf, RETENTION.weeks),
      ...list
        .filter((b) => b.reason !== 'daily' && b.reason !== 'by-hand')
        .filter((b) => now - b.takenAt < RETENTION.safetyHours * 60 * 60 * 1000)
        .sort((a, b) => b.takenAt - a.takenAt)
        .slice(0, RETENTION.safetyCount),
    ]);
    prune.push(...list.filter((b) => !keep.has(b)));
  }
  return prune;
}
