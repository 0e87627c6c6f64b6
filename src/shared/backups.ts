// Backups of a collection in the data folder: what the window sends (the collection's update log,
// as stored), what it gets back, and the limits both ends hold to. The main process writes them
// (src/main/services/backups); docs/decisions.md ("Backups") says when and how many are kept.
import { z } from 'zod';
import { MAX_MEMBER_ID } from './model';

export const BACKUP_REASONS = [
  'daily',
  'before-empty-trash',
  'before-undo-import',
  'before-restore',
  'by-hand',
] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

/** What each reason reads as in a list of backups. */
export const BACKUP_REASON_LABELS: Record<BackupReason, string> = {
  daily: 'Daily',
  'before-empty-trash': 'Before emptying Trash',
  'before-undo-import': 'Before undoing an import',
  'before-restore': 'Before a restore',
  'by-hand': 'Backed up by hand',
};

/** The same ids collections and invites use. */
export const CollectionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'a collection id is 1 to 128 letters, digits, - or _');

/** A backup is named by its collection and the moment it was taken: `<collection>/<stamp>-<reason>`. */
export const BACKUP_ID =
  /^([A-Za-z0-9_-]{1,128})\/(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-([a-z-]{1,40})$/;

/** The largest collection document a backup takes, as the window sends it and as stored. */
export const MAX_BACKUP_BYTES = 256 * 1024 * 1024;

/** Log rows in one backup: a compacted log has one, a busy one a few hundred. */
export const MAX_BACKUP_PARTS = 10_000;

/**
 * The member of the device that took it. Restoring it where the browser's storage was lost
 * continues as that member, so "unread" still means unread by the curator.
 */
const TakenBySchema = z.string().min(1).max(MAX_MEMBER_ID).optional();

const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');

export const BackupRequestSchema = z
  .object({
    collectionId: CollectionIdSchema,
    collectionName: z.string().max(500),
    reason: z.enum(BACKUP_REASONS),
    takenBy: TakenBySchema,
    /** The collection's update log as this device stores it; the backup holds it compacted. */
    updates: z.array(bytes).min(1).max(MAX_BACKUP_PARTS),
    /**
     * Yjs's update encoding of each update (1 or 2), as the log stores it, so the window sends
     * the bytes as they are; absent: all in the first.
     */
    encodings: z
      .array(z.union([z.literal(1), z.literal(2)]))
      .max(MAX_BACKUP_PARTS)
      .optional(),
  })
  .refine((b) => b.updates.reduce((n, u) => n + u.byteLength, 0) <= MAX_BACKUP_BYTES, {
    message: `a backup holds at most ${MAX_BACKUP_BYTES / (1024 * 1024)} MB`,
    path: ['updates'],
  })
  .refine((b) => !b.encodings || b.encodings.length === b.updates.length, {
    message: 'a backup names the encoding of every update',
    path: ['encodings'],
  });
export type BackupRequest = z.infer<typeof BackupRequestSchema>;

export const BackupInfoSchema = z.object({
  id: z.string().regex(BACKUP_ID),
  collectionId: CollectionIdSchema,
  collectionName: z.string().max(500),
  /** ms since the epoch. */
  takenAt: z.number().int().nonnegative(),
  reason: z.enum(BACKUP_REASONS),
  takenBy: TakenBySchema,
  /** Links in the collection, Trash included. */
  items: z.number().int().nonnegative(),
  /** Size of the stored document. */
  bytes: z.number().int().nonnegative(),
});
export type BackupInfo = z.infer<typeof BackupInfoSchema>;

/** `2026-05-01T10-00-00-000Z`: an ISO time that is also a file name on every system. */
export function backupStamp(at: number): string {
  return new Date(at).toISOString().replace(/[:.]/g, '-');
}

export function backupId(collectionId: string, at: number, reason: BackupReason): string {
  return `${collectionId}/${backupStamp(at)}-${reason}`;
}
