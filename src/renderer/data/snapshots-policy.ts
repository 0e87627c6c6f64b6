// The decisions behind offline reading, kept pure: which links this device keeps articles of
// ("Keep snapshots of"), and how a link's page may be fetched (a link someone else added never
// reaches this device's local network unless the curator allows it).
import { z } from 'zod';
import type { SnapshotOptions } from '../../shared/article';
import type { ItemRow } from '../../shared/model';

export const KeepSnapshotsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('unread') }),
  z.object({ kind: z.literal('last'), count: z.number().int().min(1).max(1_000_000) }),
]);
export type KeepSnapshots = z.infer<typeof KeepSnapshotsSchema>;

export const OfflineSettingsSchema = z.object({
  /** Articles are fetched and kept at all. */
  enabled: z.boolean(),
  keep: KeepSnapshotsSchema,
  /** "Allow local network addresses for links from others". */
  allowLocalNetwork: z.boolean(),
});
export type OfflineSettings = z.infer<typeof OfflineSettingsSchema>;

export const DEFAULT_OFFLINE_SETTINGS: OfflineSettings = {
  enabled: true,
  keep: { kind: 'all' },
  allowLocalNetwork: false,
};

/** Stored settings, or the defaults where what is stored is missing or not understood. */
export function readOfflineSettings(stored: unknown): OfflineSettings {
  const parsed = OfflineSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_OFFLINE_SETTINGS;
}

/**
 * The links whose articles this device keeps, newest first, from rows already newest first.
 * Links in Trash are never kept.
 */
export function wantedSnapshots(
  rowsNewestFirst: readonly ItemRow[],
  keep: KeepSnapshots,
): string[] {
  const wanted: string[] = [];
  for (const row of rowsNewestFirst) {
    if (row.status === 'trash') continue;
    if (keep.kind === 'unread' && row.status !== 'unread') continue;
    wanted.push(row.id);
    if (keep.kind === 'last' && wanted.length >= keep.count) break;
  }
  return wanted;
}

/**
 * How this device may fetch the link's page. A link counts as someone else's unless this member
 * added it: a missing or unreadable `addedBy` (a hostile or damaged value) is treated as another's.
 */
export function snapshotOptions(
  row: Pick<ItemRow, 'addedBy'>,
  myId: string,
  settings: Pick<OfflineSettings, 'allowLocalNetwork'>,
): SnapshotOptions {
  return {
    fromOthers: !(typeof row.addedBy === 'string' && row.addedBy !== '' && row.addedBy === myId),
    allowLocalNetwork: settings.allowLocalNetwork,
  };
}
