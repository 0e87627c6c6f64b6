// Backups of the open collection into the data folder (DesktopApi.writeBackup): once a day, by
// hand, and before anything that cannot be taken back (emptying Trash, undoing an import,
// opening a restored collection). What is sent is the update log as it is on disk, after every
// pending change is on disk too, each row with its encoding: the main process compacts it on a
// worker thread.
import type { BackupInfo, BackupReason, BackupRequest } from '../../shared/backups';
import { getDesktopApi } from '../platform/desktop';
import type { UpdateRow } from './db';
import type { LocalLibrary } from './library';
import { LOG_ROWS_PER_READ, readLog } from './persistence';

/** The part of DesktopApi backups use; tests pass their own. */
export type BackupApi = Pick<ReturnType<typeof getDesktopApi>, 'writeBackup' | 'listBackups'>;

export async function backUp(
  library: LocalLibrary,
  collectionName: string,
  reason: BackupReason,
  api: BackupApi = getDesktopApi(),
): Promise<BackupInfo> {
  await library.whenReady;
  await library.log?.flushed();
  const log: UpdateRow[] = [];
  await readLog(library.db, LOG_ROWS_PER_READ, (rows) => void log.push(...rows));
  if (!log.length) throw new Error('There is nothing to back up yet.');
  return api.writeBackup({
    collectionId: library.collectionId,
    collectionName,
    reason,
    takenBy: library.me.id,
    ...backupParts(log),
  });
}

/**
 * The log as stored, each row with its encoding: the main process reads each in its own, so the
 * window converts nothing (at 100,000 links, converting the snapshot held it for seconds).
 */
export function backupParts(
  log: readonly UpdateRow[],
): Pick<BackupRequest, 'updates' | 'encodings'> {
  return {
    updates: log.map((row) => row.data),
    encodings: log.map((row) => (row.format === 2 ? 2 : 1)),
  };
}

/** Whether the collection holds a link, in Trash or not: an empty one needs no backup. */
const hasLinks = (library: LocalLibrary) => library.store.size > 0;

const DAY = 24 * 60 * 60 * 1000;

/**
 * Writes the day's backup once the collection has opened, and again when a new (UTC) day begins
 * while it stays open. `now` and the hour between checks are injected for tests.
 */
export class DailyBackups {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<BackupInfo | null> | null = null;

  constructor(
    private readonly library: LocalLibrary,
    private readonly collectionName: () => string,
    private readonly options: {
      api?: BackupApi;
      now?: () => number;
      everyMs?: number;
      onError?: (error: unknown) => void;
    } = {},
  ) {}

  start(): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), this.options.everyMs ?? 60 * 60 * 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Writes today's backup unless there is one; resolves with it, or null when none was due. */
  check(): Promise<BackupInfo | null> {
    this.running ??= this.due()
      .then((due) => (due ? this.write() : null))
      .catch((error: unknown) => {
        this.options.onError?.(error);
        return null;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  private async due(): Promise<boolean> {
    await this.library.whenReady;
    if (!hasLinks(this.library)) return false;
    const api = this.options.api ?? getDesktopApi();
    const today = Math.floor((this.options.now ?? Date.now)() / DAY);
    const mine = (await api.listBackups()).filter(
      (b) => b.collectionId === this.library.collectionId,
    );
    return !mine.some((b) => Math.floor(b.takenAt / DAY) === today);
  }

  private write(): Promise<BackupInfo> {
    return backUp(this.library, this.collectionName(), 'daily', this.options.api);
  }
}
