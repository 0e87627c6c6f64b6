// The site's side of the outbox: fix each pick's entry key and mark it "publishing" before the
// push, keeping its blurb beside the record; the site is then rebuilt from every pick that has a
// site record, old and new, each with the words it was published with.
import type * as Y from 'yjs';
import { z } from 'zod';
import { getPublication, recordPublication, setPublicationBlurb, type Actor } from '../collection';
import type { ItemRow, PublicationRecord, PublishTarget } from '../model';
import { keptSiteKey } from './record-key';
import { defaultBlurb, type PickedLink } from './pick';
import type { SiteChanges } from './site/changes';

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

/** Marks each pick "publishing" with its entry key and keeps its blurb, in one transaction. */
export function planSitePublish(
  doc: Y.Doc,
  collectionId: string,
  picks: readonly PickedLink[],
  actor: Actor,
): SiteJob {
  const at = (actor.now ?? Date.now)();
  const entries: SiteJob['entries'] = [];
  doc.transact(() => {
    for (const { item, blurb } of picks) {
      const existing = getPublication(doc, item.id, 'site');
      const key = keptSiteKey(item, existing?.key);
      entries.push({ itemId: item.id, key });
      if (existing?.state === 'published') continue;
      const record: PublicationRecord = {
        target: 'site',
        key,
        by: actor.memberId,
        at: existing?.at ?? at,
        state: 'publishing',
      };
      recordPublication(doc, item.id, record, actor);
      setPublicationBlurb(doc, item.id, 'site', blurb, actor);
    }
  }, actor.origin ?? null);
  return SiteJobSchema.parse({
    kind: 'site',
    collectionId,
    memberId: actor.memberId,
    createdAt: at,
    entries,
  });
}

/** The blurb kept in the shared document for a pick on a target (see getPublicationBlurb). */
export type KeptBlurb = (itemId: string, target: PublishTarget) => string | null;

/** What the site says about a pick: the blurb kept when it was published, else the default. */
export function siteBlurb(row: ItemRow, kept: KeptBlurb): string {
  return kept(row.id, 'site') ?? row.publications.site?.blurb ?? defaultBlurb(row);
}

export interface SitePicksOptions {
  /** Items this press or job puts on the site, whatever their records say by now. */
  adding?: Iterable<string>;
  /** Words typed in this press, by item id, over the kept ones. */
  typed?: Readonly<Record<string, string>>;
  kept: KeptBlurb;
  /** Whether a press of Publish on this device ever chose the item. */
  pickedHere: (itemId: string) => boolean;
}

/**
 * Everything the site build is made of: every live item whose site record has not failed, plus
 * the items being added, each with its kept words and without its note (the build needs none).
 */
export function sitePicks(rows: readonly ItemRow[], options: SitePicksOptions): PickedLink[] {
  const adding = new Set(options.adding ?? []);
  return rows
    .filter((row) => {
      if (row.status === 'trash') return false;
      const record = row.publications.site;
      return adding.has(row.id) || (record !== undefined && record.state !== 'failed');
    })
    .map((row) => ({
      item: { ...row, note: '' },
      blurb: options.typed?.[row.id]?.trim() ?? siteBlurb(row, options.kept),
      pickedHere: adding.has(row.id) || options.pickedHere(row.id),
    }));
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

/** What publishing these picks would change on the site now, and the commit message it would write. */
export interface SitePreview extends SiteChanges {
  message: string;
}

export function settleSitePublish(
  doc: Y.Doc,
  job: SiteJob,
  outcome: { ok: true; result: SitePublishResult; siteUrl: string } | { ok: false; error: string },
  actor: Actor,
): void {
  doc.transact(() => {
    for (const entry of job.entries) {
      const existing = getPublication(doc, entry.itemId, 'site');
      const record: PublicationRecord = {
        target: 'site',
        key: entry.key,
        by: job.memberId,
        at: existing?.at ?? job.createdAt,
        state: outcome.ok ? 'published' : 'failed',
      };
      if (outcome.ok) {
        record.url = outcome.siteUrl;
        if (outcome.result.commit) record.ref = outcome.result.commit;
      } else {
        record.error = outcome.error.slice(0, 2000);
      }
      recordPublication(doc, entry.itemId, record, actor);
    }
  }, actor.origin ?? null);
}
