import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKUP_REASONS, backupId, type BackupReason } from '../../../shared/backups';
import { RETENTION, backupsToPrune, type Kept } from './retention';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 4, 20, 12); // a Wednesday

function backup(collectionId: string, takenAt: number, reason: BackupReason = 'daily'): Kept {
  return { id: backupId(collectionId, takenAt, reason), collectionId, takenAt, reason };
}

const kept = (all: Kept[]) => {
  const pruned = new Set(backupsToPrune(all, NOW));
  return all.filter((b) => !pruned.has(b));
};

describe('backupsToPrune', () => {
  it('keeps the last 7 daily and 4 weekly backups of a collection', () => {
    const daily = Array.from({ length: 60 }, (_, i) => backup('c1', NOW - i * DAY));
    const left = kept(daily).map((b) => Math.round((NOW - b.takenAt) / DAY));
    // Seven days, and the newest of each of four weeks (starting Monday): this one, then Sundays.
    expect(left).toEqual([0, 1, 2, 3, 4, 5, 6, 10, 17]);
  });

  it('keeps one backup a day, the newest', () => {
    const day = [1, 5, 3].map((h) => backup('c1', NOW - 2 * DAY + h * 3600_000));
    expect(kept(day).map((b) => b.takenAt)).toEqual([NOW - 2 * DAY + 5 * 3600_000]);
  });

  it('keeps every backup taken before a destructive action in the last day, up to ten', () => {
    const safety = Array.from({ length: 12 }, (_, i) =>
      backup('c1', NOW - i * 60_000, 'before-undo-import'),
    );
    const old = backup('c1', NOW - 2 * DAY, 'before-empty-trash');
    const left = kept([...safety, old]);
    expect(left).toHaveLength(RETENTION.safetyCount + 1);
    expect(left).toContain(old);
    expect(left).toContain(safety[0]);
  });

  it('judges each collection on its own', () => {
    const a = Array.from({ length: 10 }, (_, i) => backup('a', NOW - i * DAY));
    const b = [backup('b', NOW - 300 * DAY)];
    expect(kept([...a, ...b])).toContain(b[0]);
  });

  it('never loses the newest backup, keeps a bounded number, and ignores input order', () => {
    const arb = fc.array(
      fc.record({
        collection: fc.constantFrom('a', 'b'),
        ago: fc.integer({ min: 0, max: 90 * DAY }),
        reason: fc.constantFrom(...BACKUP_REASONS),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const all = specs.map((s) => backup(s.collection, NOW - s.ago, s.reason));
        const pruned = new Set(backupsToPrune(all, NOW).map((b) => b.id));
        const reversed = new Set(backupsToPrune([...all].reverse(), NOW).map((b) => b.id));
        expect(reversed).toEqual(pruned);
        for (const collection of ['a', 'b']) {
          const mine = all.filter((b) => b.collectionId === collection);
          if (!mine.length) continue;
          const newest = mine.reduce((x, y) =>
            y.takenAt > x.takenAt || (y.takenAt === x.takenAt && y.id > x.id) ? y : x,
          );
          expect(pruned.has(newest.id)).toBe(false);
          const left = new Set(mine.filter((b) => !pruned.has(b.id)).map((b) => b.id));
          expect(left.size).toBeLessThanOrEqual(
            RETENTION.days + RETENTION.weeks + RETENTION.safetyCount,
          );
        }
      }),
    );
  });
});
