// One press of Publish, decided before anything is sent: which picks go to which target, with
// which words, and everything that would stop it. The Publish dialog shows these decisions and
// the outbox acts on them, so both always agree.
import type * as Y from 'yjs';
import { getPublicationBlurb, getPublicationHeadline, type Actor } from '../collection';
import { PUBLISH_TARGETS, type ItemRow, type PublishTarget } from '../model';
import { planBlueskyJob, validatePicks, type ItemProblem } from './bluesky-job';
import { defaultBlurb, pickOf, realTitle, unpublishableLink, type PickedLink } from './pick';
import type { PublishJob } from './publish-job';
import type { BlueskySettings, SiteSettings } from './settings';
import { planSitePublish, type KeptBlurb } from './site-job';

/** What a press needs to know about this device's setup; null where a target is not set up. */
export interface PublishSettings {
  bluesky: BlueskySettings | null;
  site: SiteSettings | null;
}

export interface PublishRequest {
  items: readonly ItemRow[];
  bluesky: boolean;
  site: boolean;
  /**
   * The words typed for each item id, used for every target of this press. An item without one
   * keeps the blurb kept for it on that target, else its default.
   */
  blurbs?: Readonly<Record<string, string>>;
  /** The site headline typed for each item id; an item without one keeps its kept one. */
  headlines?: Readonly<Record<string, string>>;
  /** Intro post when the picks go out as one thread. */
  threadIntro?: string | null;
}

export interface SkippedPick {
  itemId: string;
  target: PublishTarget;
  /** Published already, on its way (from this device or another), or taken down by a curator. */
  state: 'published' | 'publishing' | 'removed';
}

/** Kept blurbs read from a collection document. */
export function keptBlurbs(doc: Y.Doc): KeptBlurb {
  return (itemId, target) => getPublicationBlurb(doc, itemId, target);
}

export const NO_KEPT_BLURBS: KeptBlurb = () => null;

/** The words that go out with an item to a target: typed now, else kept from before, else the default. */
export function blurbFor(
  item: ItemRow,
  target: PublishTarget,
  typed: PublishRequest['blurbs'],
  kept: KeptBlurb,
): string {
  return (
    typed?.[item.id]?.trim() ??
    kept(item.id, target) ??
    item.publications[target]?.blurb ??
    defaultBlurb(item)
  );
}

/**
 * The words the Publish dialog starts with for an item: those kept for a target it has not
 * reached yet, else those kept for the other, else the default. A failed attempt, a restart or
 * another device therefore shows the curator what they typed.
 */
export function startingBlurb(item: ItemRow, kept: KeptBlurb): string {
  const waiting = PUBLISH_TARGETS.filter((t) => item.publications[t]?.state !== 'published');
  for (const target of [...waiting, ...PUBLISH_TARGETS]) {
    const words = kept(item.id, target) ?? item.publications[target]?.blurb;
    if (words !== null && words !== undefined) return words;
  }
  return defaultBlurb(item);
}

export function pickFor(
  item: ItemRow,
  target: PublishTarget,
  typed: PublishRequest['blurbs'],
  kept: KeptBlurb,
): PickedLink {
  return pickOf(item, blurbFor(item, target, typed, kept));
}

/** Picks whose record says they are on a target or on their way there, and the rest. */
export function splitPublished(
  items: readonly ItemRow[],
  target: PublishTarget,
): { todo: ItemRow[]; skipped: SkippedPick[] } {
  const todo: ItemRow[] = [];
  const skipped: SkippedPick[] = [];
  for (const item of items) {
    const state = item.publications[target]?.state;
    // A removed pick goes out again only when a curator asks for it by name ("Delete and post again").
    if (state === 'published' || state === 'publishing' || state === 'removed')
      skipped.push({ itemId: item.id, target, state });
    else todo.push(item);
  }
  return { todo, skipped };
}

const threadIntroOf = (request: PublishRequest) =>
  request.threadIntro?.trim() ? request.threadIntro : null;

/** Everything that would stop a press of Publish, one entry per item, before anything is written. */
/** The press names Bluesky, and this device has no account for it. */
export const BLUESKY_NOT_SET_UP: ItemProblem = {
  itemId: '',
  title: 'Bluesky',
  problems: ['Bluesky is not set up: add a handle and app password in Settings › Bluesky'],
};

export function publishProblems(
  request: PublishRequest,
  settings: PublishSettings,
  kept: KeptBlurb = NO_KEPT_BLURBS,
): ItemProblem[] {
  const general: ItemProblem[] = [];
  const perItem = new Map<string, ItemProblem>();
  const add = (item: ItemRow, problem: string) => {
    const entry = perItem.get(item.id) ?? {
      itemId: item.id,
      title: item.title || item.url,
      problems: [],
    };
    if (!entry.problems.includes(problem)) entry.problems.push(problem);
    perItem.set(item.id, entry);
  };
  if (!request.bluesky && !request.site)
    general.push({ itemId: '', title: 'Targets', problems: ['choose Bluesky, the site or both'] });
  if (request.bluesky && !settings.bluesky) general.push(BLUESKY_NOT_SET_UP);
  if (request.site && !settings.site)
    general.push({
      itemId: '',
      title: 'Site',
      problems: ['the site is not set up: add a git remote, title and base URL in Settings › Site'],
    });
  if (request.bluesky) {
    const todo = splitPublished(request.items, 'bluesky').todo;
    const byId = new Map(todo.map((item) => [item.id, item]));
    const found = validatePicks(
      todo.map((item) => pickFor(item, 'bluesky', request.blurbs, kept)),
      { langs: settings.bluesky?.langs ?? [], threadIntro: threadIntroOf(request) },
    );
    for (const problem of found) {
      const item = byId.get(problem.itemId);
      if (item) for (const p of problem.problems) add(item, p);
      else general.push(problem);
    }
  }
  if (request.site) {
    for (const item of splitPublished(request.items, 'site').todo) {
      const notWeb = unpublishableLink(item.url);
      if (notWeb) add(item, notWeb);
      if (!realTitle(item)) add(item, 'the link has no title; add one before publishing');
    }
  }
  return [...general, ...perItem.values()];
}

export interface PressOptions {
  collectionId: string;
  actor: Actor;
  now: number;
}

export interface PressPlan {
  /** The jobs to store and run; their records are already "publishing" in the document. */
  jobs: PublishJob[];
  skipped: SkippedPick[];
  /** When not empty, nothing was written. */
  problems: ItemProblem[];
}

/**
 * Plans a press of Publish: checks everything first, then fixes every record key, marks each pick
 * "publishing" and keeps its words in the document, and returns the jobs for the outbox to store.
 */
export function planPress(
  doc: Y.Doc,
  request: PublishRequest,
  settings: PublishSettings,
  options: PressOptions,
): PressPlan {
  const kept = keptBlurbs(doc);
  const problems = publishProblems(request, settings, kept);
  const bluesky = request.bluesky
    ? splitPublished(request.items, 'bluesky')
    : { todo: [], skipped: [] };
  const site = request.site ? splitPublished(request.items, 'site') : { todo: [], skipped: [] };
  const skipped = [...bluesky.skipped, ...site.skipped];
  if (problems.length) return { jobs: [], skipped, problems };

  const jobs: PublishJob[] = [];
  if (bluesky.todo.length && settings.bluesky) {
    const plan = planBlueskyJob(
      doc,
      bluesky.todo.map((item) => pickFor(item, 'bluesky', request.blurbs, kept)),
      {
        collectionId: options.collectionId,
        langs: settings.bluesky.langs,
        threadIntro: threadIntroOf(request),
        now: options.now,
      },
      options.actor,
    );
    if (!plan.ok) return { jobs: [], skipped, problems: plan.problems };
    jobs.push(plan.job);
  }
  if (site.todo.length) {
    const picks = site.todo.map((item) => ({
      ...pickFor(item, 'site', request.blurbs, kept),
      headline: request.headlines?.[item.id] ?? getPublicationHeadline(doc, item.id) ?? '',
    }));
    jobs.push(planSitePublish(doc, options.collectionId, picks, options.actor));
  }
  return { jobs, skipped, problems: [] };
}
