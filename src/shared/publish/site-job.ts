// The site's side of the outbox: fix each pick's entry key and mark it "publishing" before the
// push; the site is then rebuilt from every pick that has a site record, old and new.
import type * as Y from 'yjs';
import { z } from 'zod';
import { getPublication, recordPublication, type Actor } from '../collection';
import type { ItemRow, PublicationRecord } from '../model';
import { siteEntryKey } from './record-key';
import { defaultBlurb, pickOf, type PickedLink } from './pick';

export const SiteJobSchema = z.object({
  kind: z.literal('site'),
  collectionId: z.string().min(1).max(200),
  memberId: z.string().min(1).max(64),
  createdAt: z.number().int().nonnegative(),
  /** The picks this press of "Publish" adds; the build itself covers every site pick. */
  entries: z
    .array(z.object({ itemId: z.string().min(1).max(64), key: z.string().min(1).max(200) }))
    .min(1)
    .max(10_000),
});
export type SiteJob = z.infer<typeof SiteJobSchema>;

export function planSitePublish(
  doc: Y.Doc,
  collectionId: string,
  items: readonly ItemRow[],
  actor: Actor,
  /** Blurbs the curator edited, by item id; kept in the record so every device builds the same site. */
  blurbs: Readonly<Record<string, string>> = {},
): SiteJob {
  const at = (actor.now ?? Date.now)();
  const entries = items.map((item) => {
    const existing = getPublication(doc, item.id, 'site');
    const key = existing?.key ?? siteEntryKey(item);
    if (existing?.state !== 'published') {
      const record: PublicationRecord = {
        target: 'site',
        key,
        by: actor.memberId,
        at: existing?.at ?? at,
        state: 'publishing',
      };
      const blurb = blurbs[item.id]?.trim() ?? existing?.blurb;
      if (blurb) record.blurb = blurb;
      recordPublication(doc, item.id, record, actor);
    }
    return { itemId: item.id, key };
  });
  return SiteJobSchema.parse({
    kind: 'site',
    collectionId,
    memberId: actor.memberId,
    createdAt: at,
    entries,
  });
}

/** Every live item that is on the site or on its way there, as picks for buildSite/publishSite. */
export function sitePicks(
  rows: readonly ItemRow[],
  blurbs: Readonly<Record<string, string>> = {},
): PickedLink[] {
  return rows
    .filter(
      (row) =>
        row.status !== 'trash' && row.publications.site && row.publications.site.state !== 'failed',
    )
    .map((row) => pickOf(row, blurbs[row.id] ?? siteBlurb(row)));
}

/** What the site says about a pick: the blurb recorded when it was published, else the default. */
export function siteBlurb(row: ItemRow): string {
  return row.publications.site?.blurb ?? defaultBlurb(row);
}

export interface SitePublishResult {
  /** False when the build matched what the remote already had. */
  committed: boolean;
  /** The commit the branch points at after publishing. */
  commit: string | null;
  /** Picks whose entries this commit added. */
  added: string[];
  message: string | null;
}

export function settleSitePublish(
  doc: Y.Doc,
  job: SiteJob,
  outcome: { ok: true; result: SitePublishResult; siteUrl: string } | { ok: false; error: string },
  actor: Actor,
): void {
  for (const entry of job.entries) {
    const existing = getPublication(doc, entry.itemId, 'site');
    const record: PublicationRecord = {
      target: 'site',
      key: entry.key,
      by: job.memberId,
      at: existing?.at ?? job.createdAt,
      state: outcome.ok ? 'published' : 'failed',
    };
    if (existing?.blurb) record.blurb = existing.blurb;
    if (outcome.ok) {
      record.url = outcome.siteUrl;
      if (outcome.result.commit) record.ref = outcome.result.commit;
    } else {
      record.error = outcome.error.slice(0, 2000);
    }
    recordPublication(doc, entry.itemId, record, actor);
  }
}
