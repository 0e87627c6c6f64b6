// The site's side of the outbox: fix each pick's entry key and mark it "publishing" before the
// push, keeping its blurb and headline beside the record; the site is then rebuilt from every pick
// that is on it, old and new, each with the words kept for it. "Update site" keeps new words for
// picks already there and rebuilds; "Remove from site" marks picks removed and rebuilds.
import type * as Y from 'yjs';
import { z } from 'zod';
import {
  getPublication,
  markRemoved,
  recordPublication,
  setPublicationBlurb,
  setPublicationHeadline,
  type Actor,
} from '../collection';
import type { ItemRow, PublicationRecord, PublishTarget } from '../model';
import { keptSiteKey } from './record-key';
import { defaultBlurb, type PickedLink } from './pick';
import type { SiteChanges } from './site/changes';

export const SITE_ACTIONS = ['publish', 'update', 'remove'] as const;
export type SiteAction = (typeof SITE_ACTIONS)[number];

export const SiteJobSchema = z.object({
  kind: z.literal('site'),
  /** What the press was: new picks, new words for picks on the site, or picks taken off it. */
  action: z.enum(SITE_ACTIONS).default('publish'),
  collectionId: z.string().min(1).max(200),
  memberId: z.string().min(1).max(64),
  createdAt: z.number().int().nonnegative(),
  /** The picks this press adds, updates or removes; the build itself covers every site pick. */
  entries: z
    .array(z.object({ itemId: z.string().min(1).max(64), key: z.string().min(1).max(200) }))
    .min(1)
    .max(10_000),
});
export type SiteJob = z.infer<typeof SiteJobSchema>;

function keepWords(doc: Y.Doc, { item, blurb, headline }: PickedLink, actor: Actor): void {
  setPublicationBlurb(doc, item.id, 'site', blurb, actor);
  if (headline !== undefined) setPublicationHeadline(doc, item.id, headline, actor);
}

function siteJob(
  collectionId: string,
  action: SiteAction,
  entries: SiteJob['entries'],
  actor: Actor,
  at: number,
): SiteJob {
  return SiteJobSchema.parse({
    kind: 'site',
    action,
    collectionId,
    memberId: actor.memberId,
    createdAt: at,
    entries,
  });
}

/** Marks each pick "publishing" with its entry key and keeps its words, in one transaction. */
export function planSitePublish(
  doc: Y.Doc,
  collectionId: string,
  picks: readonly PickedLink[],
  actor: Actor,
): SiteJob {
  const at = (actor.now ?? Date.now)();
  const entries: SiteJob['entries'] = [];
  doc.transact(() => {
    for (const pick of picks) {
      const { item } = pick;
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
      keepWords(doc, pick, actor);
    }
  }, actor.origin ?? null);
  return siteJob(collectionId, 'publish', entries, actor, at);
}

/** Whether a pick is on the site, or on its way there: what "Update site" and "Remove from site" act on. */
export function onSite(row: ItemRow): boolean {
  const state = row.publications.site?.state;
  return state === 'published' || state === 'publishing';
}

/**
 * "Update site": keeps the words given now for picks that are on the site and returns the job that
 * rebuilds it, or null when none of them is there. Their records stay as they are.
 */
export function planSiteUpdate(
  doc: Y.Doc,
  collectionId: string,
  picks: readonly PickedLink[],
  actor: Actor,
): SiteJob | null {
  const at = (actor.now ?? Date.now)();
  const entries: SiteJob['entries'] = [];
  doc.transact(() => {
    for (const pick of picks) {
      if (!onSite(pick.item)) continue;
      entries.push({
        itemId: pick.item.id,
        key: keptSiteKey(pick.item, pick.item.publications.site?.key),
      });
      keepWords(doc, pick, actor);
    }
  }, actor.origin ?? null);
  return entries.length ? siteJob(collectionId, 'update', entries, actor, at) : null;
}

/** "Remove from site": marks the picks removed and returns the job that rebuilds the site without them. */
export function planSiteRemoval(
  doc: Y.Doc,
  collectionId: string,
  items: readonly ItemRow[],
  actor: Actor,
): SiteJob | null {
  const at = (actor.now ?? Date.now)();
  const entries: SiteJob['entries'] = [];
  doc.transact(() => {
    for (const item of items) {
      const record = item.publications.site;
      if (!record || record.state === 'removed') continue;
      const key = keptSiteKey(item, record.key);
      markRemoved(doc, item.id, 'site', key, actor);
      entries.push({ itemId: item.id, key });
    }
  }, actor.origin ?? null);
  return entries.length ? siteJob(collectionId, 'remove', entries, actor, at) : null;
}

/** The blurb kept in the shared document for a pick on a target (see getPublicationBlurb). */
export type KeptBlurb = (itemId: string, target: PublishTarget) => string | null;

/** The headline kept in the shared document for a pick on the site (see getPublicationHeadline). */
export type KeptHeadline = (itemId: string) => string | null;

/** What the site says about a pick: the blurb kept when it was published, else the default. */
export function siteBlurb(row: ItemRow, kept: KeptBlurb): string {
  return kept(row.id, 'site') ?? row.publications.site?.blurb ?? defaultBlurb(row);
}

export interface SitePicksOptions {
  /** Items this press or job puts on the site, unless their records say they were removed since. */
  adding?: Iterable<string>;
  /** Words typed in this press, by item id, over the kept ones. */
  typed?: Readonly<Record<string, string>>;
  /** Headlines typed in this press, by item id, over the kept ones. */
  typedHeadlines?: Readonly<Record<string, string>>;
  kept: KeptBlurb;
  keptHeadline?: KeptHeadline;
  /** Whether a press of Publish on this device ever chose the item. */
  pickedHere: (itemId: string) => boolean;
}

/**
 * Everything the site build is made of: every live item whose site record has neither failed nor
 * been removed, plus the items being added, each with its kept words and without its note (the
 * build needs none).
 */
export function sitePicks(rows: readonly ItemRow[], options: SitePicksOptions): PickedLink[] {
  const adding = new Set(options.adding ?? []);
  return rows
    .filter((row) => {
      if (row.status === 'trash') return false;
      const state = row.publications.site?.state;
      if (state === 'removed') return false;
      return adding.has(row.id) || (state !== undefined && state !== 'failed');
    })
    .map((row) => ({
      item: { ...row, note: '' },
      blurb: options.typed?.[row.id]?.trim() ?? siteBlurb(row, options.kept),
      headline: options.typedHeadlines?.[row.id]?.trim() ?? options.keptHeadline?.(row.id) ?? '',
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
      if (job.action !== 'publish') {
        settleCorrection(doc, job, entry.itemId, existing, outcome, actor);
        continue;
      }
      // Removed while the job ran: the removal stands.
      if (existing?.state === 'removed') continue;
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

/**
 * An update or removal changes no pick's state: an updated pick stays on the site (with the new
 * commit once it went out), a removed one stays removed, with the error while the site still
 * shows it.
 */
function settleCorrection(
  doc: Y.Doc,
  job: SiteJob,
  itemId: string,
  existing: PublicationRecord | null,
  outcome: { ok: true; result: SitePublishResult } | { ok: false; error: string },
  actor: Actor,
): void {
  const expected = job.action === 'remove' ? 'removed' : 'published';
  if (existing?.state !== expected) return;
  const next: PublicationRecord = { ...existing };
  delete next.error;
  if (outcome.ok && outcome.result.commit && job.action === 'update')
    next.ref = outcome.result.commit;
  if (!outcome.ok && job.action === 'remove')
    next.error = `the site still shows it: ${outcome.error}`.slice(0, 2000);
  if (!outcome.ok && job.action === 'update')
    next.error = `the site still shows the old words: ${outcome.error}`.slice(0, 2000);
  recordPublication(doc, itemId, next, actor);
}
