// The publishing outbox. Pressing Publish plans jobs (fixing every record key and marking each pick
// "publishing" in the shared document) and stores them in Dexie before any network call; the
// runner then hands each job to the main process, settles the outcome into the document, and backs
// off and tries again when a job fails for a reason that may pass. Jobs outlive the window: a job
// that was running when the app quit runs again on the next start, with the same keys, so the
// retry can never post twice (see docs/decisions.md, Publishing).
import type * as Y from 'yjs';
import { recordPublication, type Actor } from '../../shared/collection';
import { nextTid, type ItemRow, type PublishTarget } from '../../shared/model';
import {
  pickOf,
  planBlueskyJob,
  planSitePublish,
  realTitle,
  settleBlueskyJob,
  settleSitePublish,
  siteBlurb,
  type BlueskyJob,
  type BlueskyJobResult,
  type ItemProblem,
  type PickedLink,
  type PublishingApi,
  type SiteJob,
  validatePicks,
} from '../../shared/publish';
import type { CollectionDb } from './db';
import type { PublishSettings } from './publish-settings';

export type OutboxJob = BlueskyJob | SiteJob;
export type OutboxState = 'queued' | 'running' | 'done' | 'failed';

export interface OutboxRow {
  id: string;
  job: OutboxJob;
  state: OutboxState;
  /** Attempts made so far; the backoff grows with it. */
  attempts: number;
  /** When a queued job may run next (ms). */
  nextAttemptAt: number;
  /** Why the last attempt failed; kept while the job waits for its next try. */
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Attempts before a job stops and waits for the curator's Retry. */
  maxAttempts: number;
}

/** The services already retry each call within seconds; this layer covers longer outages. */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 30_000,
  maxMs: 15 * 60_000,
  maxAttempts: 5,
};

export interface OutboxDeps {
  collectionId: string;
  /**
   * Resolves once the document has replayed from disk. Records written before that would race
   * the replayed ones as concurrent edits, so nothing is planned or settled until then.
   */
  ready?: Promise<unknown>;
  db: CollectionDb;
  doc: Y.Doc;
  /** Publication records are written with this actor; its origin keeps them out of undo. */
  actor: Actor;
  api: Pick<PublishingApi, 'publishBluesky' | 'publishSite'>;
  settings: () => Promise<PublishSettings>;
  /** The collection's rows now: the site build covers every site pick, not just this job's. */
  rows: () => readonly ItemRow[];
  backoff?: Partial<BackoffPolicy>;
  now?: () => number;
  /** Schedule the next backed-off attempt with a timer (off in tests, which call runDue). */
  timers?: boolean;
}

export interface PublishRequest {
  items: readonly ItemRow[];
  bluesky: boolean;
  site: boolean;
  /** The curator's words per item id (the post's text, the site entry's blurb); default otherwise. */
  blurbs?: Readonly<Record<string, string>>;
  /** Intro post when the picks go out as one thread. */
  threadIntro?: string | null;
}

export interface SkippedPick {
  itemId: string;
  target: PublishTarget;
  /** Published already, or on its way (from this device or another). */
  state: 'published' | 'publishing';
}

export interface PublishPlan {
  queued: OutboxRow[];
  skipped: SkippedPick[];
  /** When not empty nothing was queued or written. */
  problems: ItemProblem[];
}

/** Origin of publication records: bookkeeping that undo must not revert. */
export const PUBLISH_ORIGIN = { publishing: true };

/** Errors a second attempt cannot fix: the job waits for the curator instead of backing off. */
const PERMANENT_ERRORS = new Set([
  'InvalidArguments',
  'NotSupported',
  'UnknownMethod',
  'VaultError',
]);

export function jobItemIds(job: OutboxJob): string[] {
  return job.kind === 'bluesky' ? job.posts.map((p) => p.itemId) : job.entries.map((e) => e.itemId);
}

export function pickFor(item: ItemRow, blurbs?: Readonly<Record<string, string>>): PickedLink {
  const edited = blurbs?.[item.id];
  return edited === undefined ? pickOf(item) : pickOf(item, edited.trim());
}

/** Picks whose record says they are on a target or on their way there. */
export function splitPublished(
  items: readonly ItemRow[],
  target: PublishTarget,
): { todo: ItemRow[]; skipped: SkippedPick[] } {
  const todo: ItemRow[] = [];
  const skipped: SkippedPick[] = [];
  for (const item of items) {
    const state = item.publications[target]?.state;
    if (state === 'published' || state === 'publishing')
      skipped.push({ itemId: item.id, target, state });
    else todo.push(item);
  }
  return { todo, skipped };
}

/** Everything that would stop a press of Publish, one entry per item, before anything is written. */
export function publishProblems(request: PublishRequest, settings: PublishSettings): ItemProblem[] {
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
  if (request.bluesky && !settings.bluesky)
    general.push({
      itemId: '',
      title: 'Bluesky',
      problems: ['Bluesky is not set up: add a handle and app password in Settings › Bluesky'],
    });
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
      todo.map((item) => pickFor(item, request.blurbs)),
      {
        langs: settings.bluesky?.langs ?? [],
        threadIntro: request.threadIntro?.trim() ? request.threadIntro : null,
      },
    );
    for (const problem of found) {
      const item = byId.get(problem.itemId);
      if (item) for (const p of problem.problems) add(item, p);
      else general.push(problem);
    }
  }
  if (request.site) {
    for (const item of splitPublished(request.items, 'site').todo)
      if (!realTitle(item)) add(item, 'the link has no title; add one before publishing');
  }
  return [...general, ...perItem.values()];
}

/** Every live site pick plus this job's entries, with blurbs fixed and notes left behind. */
function sitePicksFor(rows: readonly ItemRow[], job: SiteJob): PickedLink[] {
  const mine = new Set(job.entries.map((e) => e.itemId));
  return rows
    .filter((row) => {
      if (row.status === 'trash') return false;
      const record = row.publications.site;
      return mine.has(row.id) || (record !== undefined && record.state !== 'failed');
    })
    .map((row) => ({ item: { ...row, note: '' }, blurb: siteBlurb(row) }));
}

type Attempt = { ok: true } | { ok: false; error: string; permanent: boolean; settled?: boolean };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Outbox {
  private readonly jobs = new Map<string, OutboxRow>();
  private readonly listeners = new Set<() => void>();
  private readonly backoff: BackoffPolicy;
  private readonly now: () => number;
  private snapshot: OutboxRow[] = [];
  private draining: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private started: Promise<void> | null = null;

  constructor(private readonly deps: OutboxDeps) {
    this.backoff = { ...DEFAULT_BACKOFF, ...deps.backoff };
    this.now = deps.now ?? Date.now;
  }

  /** Loads stored jobs, puts interrupted ones back in the queue and starts working. */
  start(): Promise<void> {
    this.stopped = false;
    if (this.started) {
      void this.runDue();
      return this.started;
    }
    this.started = this.load();
    return this.started;
  }

  private async load(): Promise<void> {
    await this.deps.ready;
    const rows = await this.deps.db.outbox.toArray();
    for (const row of rows) {
      if (row.state === 'running') {
        // The app quit mid-attempt. The job's keys are fixed, so running it again is safe.
        const resumed: OutboxRow = { ...row, state: 'queued', nextAttemptAt: this.now() };
        await this.deps.db.outbox.put(resumed);
        this.jobs.set(row.id, resumed);
      } else {
        this.jobs.set(row.id, row);
      }
    }
    this.changed();
    void this.runDue();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Newest first; the same array until something changes (for useSyncExternalStore). */
  list = (): OutboxRow[] => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The newest job on this device that carries this item to this target. */
  jobFor(itemId: string, target: PublishTarget): OutboxRow | undefined {
    return this.snapshot.find(
      (row) => row.job.kind === target && jobItemIds(row.job).includes(itemId),
    );
  }

  /**
   * Plans and queues one press of Publish. Validates everything first; then writes each pick's
   * record into the document and each job into Dexie, and only then starts the network work.
   */
  async publish(request: PublishRequest): Promise<PublishPlan> {
    await this.deps.ready;
    const settings = await this.deps.settings();
    const problems = publishProblems(request, settings);
    const bluesky = request.bluesky
      ? splitPublished(request.items, 'bluesky')
      : { todo: [], skipped: [] };
    const site = request.site ? splitPublished(request.items, 'site') : { todo: [], skipped: [] };
    const skipped = [...bluesky.skipped, ...site.skipped];
    if (problems.length) return { queued: [], skipped, problems };

    const jobs: OutboxJob[] = [];
    if (bluesky.todo.length && settings.bluesky) {
      const plan = planBlueskyJob(
        this.deps.doc,
        bluesky.todo.map((item) => pickFor(item, request.blurbs)),
        {
          collectionId: this.deps.collectionId,
          langs: settings.bluesky.langs,
          threadIntro: request.threadIntro?.trim() ? request.threadIntro : null,
          now: this.now(),
        },
        this.deps.actor,
      );
      if (!plan.ok) return { queued: [], skipped, problems: plan.problems };
      jobs.push(plan.job);
    }
    if (site.todo.length) {
      jobs.push(
        planSitePublish(
          this.deps.doc,
          this.deps.collectionId,
          site.todo,
          this.deps.actor,
          request.blurbs,
        ),
      );
    }

    const at = this.now();
    const queued = jobs.map<OutboxRow>((job) => ({
      id: nextTid(),
      job,
      state: 'queued',
      attempts: 0,
      nextAttemptAt: at,
      error: null,
      createdAt: at,
      updatedAt: at,
    }));
    await this.deps.db.outbox.bulkPut(queued);
    for (const row of queued) this.jobs.set(row.id, row);
    this.changed();
    void this.runDue();
    return { queued, skipped, problems: [] };
  }

  /** Runs a failed job again, with the same job and so the same record keys. */
  async retry(id: string): Promise<void> {
    await this.deps.ready;
    const row = this.jobs.get(id);
    if (!row || row.state === 'running' || row.state === 'done') return;
    const { job } = row;
    const keys =
      job.kind === 'bluesky'
        ? job.posts.map((p) => ({ itemId: p.itemId, key: p.rkey }))
        : job.entries;
    for (const { itemId, key } of keys) {
      recordPublication(
        this.deps.doc,
        itemId,
        { target: job.kind, key, by: job.memberId, at: job.createdAt, state: 'publishing' },
        this.deps.actor,
      );
    }
    await this.save({ ...row, state: 'queued', attempts: 0, nextAttemptAt: this.now() });
    void this.runDue();
  }

  /** Runs every job that is due, one at a time; resolves when the queue has nothing due. */
  runDue(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        let next = this.nextDue();
        while (next && !this.stopped) {
          await this.attempt(next);
          next = this.nextDue();
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.draining = null;
      this.schedule();
    });
    return this.draining;
  }

  private nextDue(): OutboxRow | undefined {
    const now = this.now();
    return [...this.jobs.values()]
      .filter((row) => row.state === 'queued' && row.nextAttemptAt <= now)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))[0];
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped || this.deps.timers === false) return;
    const waiting = [...this.jobs.values()].filter((row) => row.state === 'queued');
    if (!waiting.length) return;
    const at = Math.min(...waiting.map((row) => row.nextAttemptAt));
    this.timer = setTimeout(() => void this.runDue(), Math.max(0, at - this.now()));
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const running: OutboxRow = { ...row, state: 'running', attempts: row.attempts + 1 };
    await this.save(running);
    try {
      const settings = await this.deps.settings();
      const outcome =
        running.job.kind === 'bluesky'
          ? await this.runBluesky(running, running.job, settings)
          : await this.runSite(running, running.job, settings);
      if (outcome.ok) await this.save({ ...running, state: 'done', error: null });
      else await this.failed(running, outcome.error, outcome.permanent, outcome.settled);
    } catch (error) {
      const permanent = error instanceof Error && PERMANENT_ERRORS.has(error.name);
      await this.failed(running, messageOf(error), permanent);
    }
  }

  private isFinal(row: OutboxRow, permanent: boolean): boolean {
    return permanent || row.attempts >= this.backoff.maxAttempts;
  }

  private async failed(
    row: OutboxRow,
    error: string,
    permanent: boolean,
    settled = false,
  ): Promise<void> {
    if (this.isFinal(row, permanent)) {
      if (!settled) this.settleFailure(row.job, error);
      await this.save({ ...row, state: 'failed', error });
      return;
    }
    const delay = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (row.attempts - 1));
    await this.save({ ...row, state: 'queued', error, nextAttemptAt: this.now() + delay });
  }

  /** Marks the job's picks failed in the document (their keys stay for the retry). */
  private settleFailure(job: OutboxJob, error: string): void {
    if (job.kind === 'site') {
      settleSitePublish(this.deps.doc, job, { ok: false, error }, this.deps.actor);
      return;
    }
    const posts = job.posts.map((p) => ({
      itemId: p.itemId,
      rkey: p.rkey,
      state: 'failed' as const,
      error,
    }));
    settleBlueskyJob(
      this.deps.doc,
      job,
      { ok: false, thread: null, posts, problems: [], error },
      this.deps.actor,
    );
  }

  private async runBluesky(
    row: OutboxRow,
    job: BlueskyJob,
    settings: PublishSettings,
  ): Promise<Attempt> {
    if (!settings.bluesky) {
      return {
        ok: false,
        permanent: true,
        error: 'Bluesky is not set up on this device: add a handle in Settings › Bluesky.',
      };
    }
    const result: BlueskyJobResult = await this.deps.api.publishBluesky(job, settings.bluesky);
    if (result.problems.length) {
      const error = result.problems.map((p) => `${p.title}: ${p.problems.join('; ')}`).join(' · ');
      return { ok: false, permanent: true, error };
    }
    // Posts that made it are settled now; failed ones stay "publishing" while a retry is due.
    const error =
      result.error ?? result.posts.find((p) => p.state === 'failed')?.error ?? 'publishing failed';
    const final = result.ok || this.isFinal(row, false);
    const posts = final ? result.posts : result.posts.filter((p) => p.state === 'published');
    settleBlueskyJob(this.deps.doc, job, { ...result, posts }, this.deps.actor);
    return result.ok ? { ok: true } : { ok: false, error, permanent: false, settled: final };
  }

  private async runSite(
    _row: OutboxRow,
    job: SiteJob,
    settings: PublishSettings,
  ): Promise<Attempt> {
    if (!settings.site) {
      return {
        ok: false,
        permanent: true,
        error: 'The site is not set up on this device: add a git remote in Settings › Site.',
      };
    }
    const result = await this.deps.api.publishSite(
      sitePicksFor(this.deps.rows(), job),
      settings.site,
    );
    settleSitePublish(
      this.deps.doc,
      job,
      { ok: true, result, siteUrl: settings.site.baseUrl },
      this.deps.actor,
    );
    return { ok: true };
  }

  private async save(row: OutboxRow): Promise<void> {
    const saved = { ...row, updatedAt: this.now() };
    this.jobs.set(row.id, saved);
    await this.deps.db.outbox.put(saved);
    this.changed();
  }

  private changed(): void {
    this.snapshot = [...this.jobs.values()].sort(
      (a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1),
    );
    for (const listener of this.listeners) listener();
  }
}
