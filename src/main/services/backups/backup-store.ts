// Backups in the data folder: `backups/<collection>/<stamp>-<reason>/` holding the compacted
// document (collection.yjs), the Curio JSON (collection.json) and what the list shows
// (backup.json). A backup is written into a scratch folder and renamed into place, so a crash
// leaves a whole backup or none; names are made here and checked on the way back in, so no id
// from the window reaches outside the folder.
import { randomUUID } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { DesktopApiError } from '../../../shared/api';
import {
  BACKUP_ID,
  BackupInfoSchema,
  MAX_BACKUP_BYTES,
  backupId,
  type BackupInfo,
  type BackupRequest,
} from '../../../shared/backups';
import { startServiceWorker } from '../worker-thread';
import type { CompactedBackup } from './compact';
import type { CompactReply, CompactRequest } from './compact-protocol';
import { backupsToPrune } from './retention';

const DOCUMENT = 'collection.yjs';
const JSON_FILE = 'collection.json';
const INFO = 'backup.json';
const SCRATCH = '.incoming-';
/** A scratch folder this old was left by a crash. */
const STALE_SCRATCH_MS = 60 * 60 * 1000;

export type Compact = (request: BackupRequest, takenAt: number) => Promise<CompactedBackup>;

/** Compacts on a worker thread of its own, which ends with the job: backups are rare. */
export const compactOnWorker: Compact = (request, takenAt) =>
  new Promise((resolvePromise, reject) => {
    const worker = startServiceWorker(import.meta.url, './backup-worker.ts', './backup-worker.js');
    worker.once('message', (reply: CompactReply) => {
      void worker.terminate();
      if (reply.ok) resolvePromise(reply.backup);
      else
        reject(
          new DesktopApiError('BackupFailed', `The backup could not be made: ${reply.message}`),
        );
    });
    worker.once('error', (error) => {
      void worker.terminate();
      reject(error);
    });
    const message: CompactRequest = { request, takenAt };
    worker.postMessage(message);
  });

export interface BackupStoreOptions {
  /** The app's data folder (Electron's userData, web mode's --data). */
  dataDir: string;
  now?: () => number;
  compact?: Compact;
}

async function writeDurably(path: string, data: Uint8Array | string): Promise<void> {
  const file = await open(path, 'wx', 0o600);
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
}

async function syncFolder(path: string): Promise<void> {
  // Makes a rename durable; not every system lets a folder be opened for that.
  const folder = await open(path, 'r').catch(() => null);
  await folder?.sync().catch(() => undefined);
  await folder?.close();
}

export class BackupStore {
  readonly dir: string;
  private readonly now: () => number;
  private readonly compact: Compact;
  /** Writes one at a time: two at once would race for the same name and the same pruning. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: BackupStoreOptions) {
    this.dir = resolve(options.dataDir, 'backups');
    this.now = options.now ?? Date.now;
    this.compact = options.compact ?? compactOnWorker;
  }

  write(request: BackupRequest): Promise<BackupInfo> {
    const next = this.queue.then(() => this.writeNow(request));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async writeNow(request: BackupRequest): Promise<BackupInfo> {
    const existing = new Set((await this.list()).map((b) => b.id));
    let takenAt = this.now();
    while (existing.has(backupId(request.collectionId, takenAt, request.reason))) takenAt++;
    const id = backupId(request.collectionId, takenAt, request.reason);
    const compacted = await this.compact(request, takenAt);
    if (compacted.document.byteLength > MAX_BACKUP_BYTES) {
      throw new DesktopApiError(
        'BackupTooLarge',
        `The collection is ${Math.round(compacted.document.byteLength / 1048576)} MB; backups hold at most ${MAX_BACKUP_BYTES / 1048576} MB.`,
      );
    }
    const info: BackupInfo = {
      id,
      collectionId: request.collectionId,
      collectionName: request.collectionName,
      takenAt,
      reason: request.reason,
      ...(request.takenBy ? { takenBy: request.takenBy } : {}),
      items: compacted.items,
      bytes: compacted.document.byteLength,
    };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const scratch = join(this.dir, `${SCRATCH}${randomUUID()}`);
    await mkdir(scratch, { mode: 0o700 });
    try {
      await writeDurably(join(scratch, DOCUMENT), compacted.document);
      await writeDurably(join(scratch, JSON_FILE), compacted.json);
      await writeDurably(join(scratch, INFO), JSON.stringify(info, null, 2) + '\n');
      await syncFolder(scratch);
      const folder = join(this.dir, request.collectionId);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await rename(scratch, this.pathOf(id));
      await syncFolder(folder);
    } catch (error) {
      await rm(scratch, { recursive: true, force: true });
      throw error;
    }
    await this.prune();
    return info;
  }

  /** Every readable backup, newest first. */
  async list(): Promise<BackupInfo[]> {
    const out: BackupInfo[] = [];
    for (const collection of await readdir(this.dir).catch(() => [])) {
      if (collection.startsWith(SCRATCH)) continue;
      for (const name of await readdir(join(this.dir, collection)).catch(() => [])) {
        const id = `${collection}/${name}`;
        if (!BACKUP_ID.test(id)) continue;
        const info = await readFile(join(this.pathOf(id), INFO), 'utf8')
          .then((text) => BackupInfoSchema.safeParse(JSON.parse(text)))
          .catch(() => null);
        if (info?.success && info.data.id === id) out.push(info.data);
      }
    }
    return out.sort((a, b) => b.takenAt - a.takenAt || (a.id < b.id ? 1 : -1));
  }

  /** The compacted document of a backup, to restore it from. */
  async readDocument(id: string): Promise<Uint8Array> {
    const path = join(this.pathOf(id), DOCUMENT);
    const stat = await lstat(path).catch(() => null);
    if (!stat?.isFile()) {
      throw new DesktopApiError('NotFound', 'That backup is not in the data folder any more.');
    }
    if (stat.size > MAX_BACKUP_BYTES) {
      throw new DesktopApiError('BackupTooLarge', 'That backup is larger than Curio restores.');
    }
    return new Uint8Array(await readFile(path));
  }

  /** Deletes what the retention rules no longer keep, and scratch folders a crash left. */
  async prune(): Promise<void> {
    for (const backup of backupsToPrune(await this.list(), this.now())) {
      await rm(this.pathOf(backup.id), { recursive: true, force: true });
    }
    for (const name of await readdir(this.dir).catch(() => [])) {
      if (!name.startsWith(SCRATCH)) continue;
      const stat = await lstat(join(this.dir, name)).catch(() => null);
      if (stat && this.now() - stat.mtimeMs > STALE_SCRATCH_MS)
        await rm(join(this.dir, name), { recursive: true, force: true });
    }
  }

  /** The folder of a backup id, which must be well formed and inside the backups folder. */
  private pathOf(id: string): string {
    const match = BACKUP_ID.exec(id);
    const path = match ? resolve(this.dir, match[1]!, `${match[2]}-${match[3]}`) : '';
    if (!match || !path.startsWith(this.dir + sep)) {
      throw new DesktopApiError('InvalidArguments', `"${id.slice(0, 200)}" is not a backup.`);
    }
    return path;
  }
}
