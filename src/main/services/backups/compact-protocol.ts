// The messages between the backup store and its worker.
import type { BackupRequest } from '../../../shared/backups';
import type { CompactedBackup } from './compact';

export interface CompactRequest {
  request: BackupRequest;
  takenAt: number;
}

export type CompactReply = { ok: true; backup: CompactedBackup } | { ok: false; message: string };
