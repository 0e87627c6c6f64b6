// The publishing outbox. Pressing Publish plans jobs (planPress fixes every record key, marks each
// pick "publishing" and keeps its words in the shared document) and stores them in Dexie before
// any network call; the outbox then hands each job to the main process, one at a time, and backs
// off and tries again when a job fails for a reason that may pass. Jobs outlive the window: a job
// that was running when the app quit runs again on the next start, with the same keys, so the
// retry can never post twice (see docs/decisions.md, Publishing).
import { ObservableV2 } from 'lib0/observable';
import type * as Y from 'yjs';
import { getPublicationHeadline, type Actor } from '../../shared/collection';
import { nextTid, type ItemRow, type PublishTarget } from '../../shared/model';
import {
  BLUESKY_NOT_SET_UP,
  jobItemIds,
  jobTarget,
  keptBlurbs,
  planBlueskyRemoval,
  planPress,
  planRepost,
  planSiteRemoval,
  planSiteUpdate,
  pickFor,
  reopenJob,
  settleJobFailure,
  sitePicks,
  type ItemProblem,
  type PickedLink,
  type PublishJob,
  type PublishRequest,
  type PublishSettings,
  type PublishingApi,
  type SiteJob,
  type SkippedPick,
} from '../../shared/publish';
import type { CollectionDb } from './db';
import {
  DEFAULT_BACKOFF,
  afterAttempt,
  isFinal,
  isSuperseded,
  newestFirst,
  nextDue,
  nextWakeUp,
  queuedRow,
  type BackoffPolicy,
  type OutboxRow,
} from './outbox-jobs';
import { owedDeletions, picksToRelink, watchRemovals } from './outbox-corrections';
import { attemptJob } from './outbox-run';

export { jobItemIds };
export {
  DEFAULT_BACKOFF,
  type BackoffPolicy,
  type OutboxJob,
  type OutboxRow,
  type OutboxState,
} from './outbox-jobs';

export interface OutboxDeps {
  collectionId: string;
  /**
   * Resolves once the document has replayed from disk. Records written before that would race
   * the replayed ones as concurrent edits, so nothing is planned or settled until then.
   */
  ready?: PromiseLike<unknown>;
  db: CollectionDb;
  doc: Y.Doc;
  /** Publication records are written with this actor; its origin keeps them out of undo. */
  actor: Actor;
  api: Pick<PublishingApi, 'publishBluesky' | 'publishSite' | 'removeFromBluesky'>;
  settings: () => Promise<PublishSettings>;
  /** The collection's rows now: the site build covers every site pick, not just this job's. */
  rows: () => readonly ItemRow[];
  backoff?: Partial<BackoffPolicy>;
  now?: () => number;
  /** Schedule the next backed-off attempt with a timer (off in tests, which call runDue). */
  timers?: boolean;
}

export interface PublishPlan {
  queued: OutboxRow[];
  skipped: SkippedPick[];
  /** When not empty nothing was queued or written. */
  problems: ItemProblem[];
}

/** Origin of publication records: bookkeeping that undo must not revert. */
export const PUBLISH_ORIGIN = { publishing: true };

export class Outbox extends ObservableV2<{ change: () => void }> {
  private readonly jobs = new Map<string, OutboxRow>();
  private readonly backoff: BackoffPolicy;
  private readonly now: () => number;
  private snapshot: OutboxRow[] = [];
  private draining: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private started: Promise<void> | null = null;
  private unwatch: (() => void) | null = null;
  /** Deletions owed for removals that arrived from other devices, being queued. */
  private healing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: OutboxDeps) {
    super();
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
    await this.settleOwedRemovals();
    this.watchRemovals();
    void this.runDue();
  }

  stop(): void {
    this.stopped = true;
    this.unwatch?.();
    this.unwatch = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Newest first; the same array until something changes (for useSyncExternalStore). */
  list = (): OutboxRow[] => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.on('change', listener);
    return () => this.off('change', listener);
  };

  /** The newest job on this device that carries this item to (or off) this target. */
  jobFor(itemId: string, target: PublishTarget): OutboxRow | undefined {
    return this.snapshot.find(
      (row) => jobTarget(row.job) === target && jobItemIds(row.job).includes(itemId),
    );
  }

  /** Whether a press of Publish on this device ever sent the item to the site. */
  pickedHere = (itemId: string): boolean =>
    this.snapshot.some((row) => row.job.kind === 'site' && jobItemIds(row.job).includes(itemId));

  /**
   * Everything the site build is made of when `adding` goes onto it (with the words typed for
   * them): every site pick with its kept words, flagged by whether this device ever picked it.
   */
  sitePicks(
    adding: Iterable<string> = [],
    typed?: Readonly<Record<string, string>>,
    typedHeadlines?: Readonly<Record<string, string>>,
  ): PickedLink[] {
    return sitePicks(this.deps.rows(), {
      adding,
      typed,
      typedHeadlines,
      kept: keptBlurbs(this.deps.doc),
      keptHeadline: (itemId) => getPublicationHeadline(this.deps.doc, itemId),
      pickedHere: this.pickedHere,
    });
  }

  /**
   * Plans and queues one press of Publish. Validates everything first; then writes each pick's
   * record into the document and each job into Dexie, and only then starts the network work.
   */
  async publish(request: PublishRequest): Promise<PublishPlan> {
    await this.deps.ready;
    const settings = await this.deps.settings();
    const at = this.now();
    const plan = planPress(this.deps.doc, request, settings, {
      collectionId: this.deps.collectionId,
      actor: this.deps.actor,
      now: at,
    });
    if (plan.problems.length) return { queued: [], skipped: plan.skipped, problems: plan.problems };
    const queued = await this.enqueue(plan.jobs, at);
    return { queued, skipped: plan.skipped, problems: [] };
  }

  /**
   * "Update site": keeps the words given now (blurbs and headlines by item id; others keep theirs)
   * for picks on the site, and rebuilds it. Nothing is posted to Bluesky.
   */
  async updateSite(
    items: readonly ItemRow[],
    typed: {
      blurbs?: Readonly<Record<string, string>>;
      headlines?: Readonly<Record<string, string>>;
    },
  ): Promise<OutboxRow[]> {
    await this.deps.ready;
    const kept = keptBlurbs(this.deps.doc);
    const picks = items.map((item) => ({
      ...pickFor(item, 'site', typed.blurbs, kept),
      headline: typed.headlines?.[item.id] ?? getPublicationHeadline(this.deps.doc, item.id) ?? '',
    }));
    const job = planSiteUpdate(this.deps.doc, this.deps.collectionId, picks, this.deps.actor);
    return this.enqueue(job ? [job] : [], this.now());
  }

  /** "Remove from site": marks the picks removed, then rebuilds the site without them. */
  async removeFromSite(items: readonly ItemRow[]): Promise<OutboxRow[]> {
    await this.deps.ready;
    const job = planSiteRemoval(this.deps.doc, this.deps.collectionId, items, this.deps.actor);
    return this.enqueue(job ? [job] : [], this.now());
  }

  /** "Remove from Bluesky": marks the picks removed (no device posts them again), then deletes the posts. */
  async removeFromBluesky(items: readonly ItemRow[]): Promise<OutboxRow[]> {
    await this.deps.ready;
    const at = this.now();
    const job = planBlueskyRemoval(
      this.deps.doc,
      items.map((item) => item.id),
      { collectionId: this.deps.collectionId, now: at },
      this.deps.actor,
    );
    return this.enqueue(job ? [job] : [], at);
  }

  /**
   * "Delete and post again": removes each pick's post and posts it anew, with these words, under
   * its next record key; every device that does it at once reaches the same key.
   */
  async postAgain(
    items: readonly ItemRow[],
    blurbs?: Readonly<Record<string, string>>,
  ): Promise<PublishPlan> {
    await this.deps.ready;
    const settings = await this.deps.settings();
    if (!settings.bluesky) return { queued: [], skipped: [], problems: [BLUESKY_NOT_SET_UP] };
    const at = this.now();
    const kept = keptBlurbs(this.deps.doc);
    const plan = planRepost(
      this.deps.doc,
      items.map((item) => pickFor(item, 'bluesky', blurbs, kept)),
      { collectionId: this.deps.collectionId, langs: settings.bluesky.langs, now: at },
      this.deps.actor,
    );
    if (plan.problems.length) return { queued: [], skipped: [], problems: plan.problems };
    const jobs: PublishJob[] = [];
    if (plan.removal) jobs.push(plan.removal);
    if (plan.job) jobs.push(plan.job);
    return { queued: await this.enqueue(jobs, at), skipped: [], problems: [] };
  }

  /**
   * Plans with this moment's settings and stores what was planned. `plan` runs synchronously
   * after the settings are read, so whatever it decided from the document still holds when it
   * writes the records: the posting queue decides and plans in one go this way.
   */
  async planAndQueue<T>(
    plan: (settings: PublishSettings, at: number) => { jobs: readonly PublishJob[]; result: T },
  ): Promise<{ result: T; queued: OutboxRow[] }> {
    await this.deps.ready;
    const settings = await this.deps.settings();
    const at = this.now();
    const { jobs, result } = plan(settings, at);
    return { result, queued: await this.enqueue(jobs, at) };
  }

  /** Stores planned jobs, then starts them: nothing goes out before its job is on disk. */
  private async enqueue(jobs: readonly PublishJob[], at: number): Promise<OutboxRow[]> {
    if (!jobs.length) return [];
    const queued = jobs.map((job) => queuedRow(nextTid(), job, at));
    await this.deps.db.outbox.bulkPut(queued);
    for (const row of queued) this.jobs.set(row.id, row);
    this.changed();
    void this.runDue();
    return queued;
  }

  /** Queues the deletions owed for posts this device made under keys removed since. */
  private async settleOwedRemovals(): Promise<void> {
    const posts = owedDeletions([...this.jobs.values()], this.deps.doc);
    if (!posts.length) return;
    const at = this.now();
    const { collectionId, actor } = this.deps;
    await this.enqueue(
      [{ kind: 'bluesky-removal', collectionId, memberId: actor.memberId, createdAt: at, posts }],
      at,
    );
  }

  private watchRemovals(): void {
    this.unwatch ??= watchRemovals(this.deps.doc, this.deps.actor, () => {
      this.healing = this.healing.then(() => this.settleOwedRemovals()).catch(() => undefined);
      void this.runDue();
    });
  }

  /**
   * Runs a failed job again, with the same job and so the same record keys and words. A job that
   * a later press already carries further (queued, running or done) is not run a second time.
   */
  async retry(id: string): Promise<void> {
    await this.deps.ready;
    const row = this.jobs.get(id);
    if (!row || row.state === 'running' || row.state === 'done') return;
    if (isSuperseded(row, this.snapshot)) return;
    reopenJob(this.deps.doc, row.job, this.deps.actor);
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
      await this.healing;
      do {
        this.again = false;
        let next = nextDue(this.jobs.values(), this.now());
        while (next && !this.stopped) {
          await this.attempt(next);
          next = nextDue(this.jobs.values(), this.now());
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.draining = null;
      this.schedule();
    });
    return this.draining;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped || this.deps.timers === false) return;
    const at = nextWakeUp(this.jobs.values());
    if (at === null) return;
    this.timer = setTimeout(() => void this.runDue(), Math.max(0, at - this.now()));
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const running: OutboxRow = { ...row, state: 'running', attempts: row.attempts + 1 };
    await this.save(running);
    const outcome = await attemptJob(running.job, {
      doc: this.deps.doc,
      actor: this.deps.actor,
      api: this.deps.api,
      settings: this.deps.settings,
      last: isFinal(running, false, this.backoff),
      sitePicks: (job: SiteJob) =>
        this.sitePicks(job.action === 'publish' ? job.entries.map((e) => e.itemId) : []),
    });
    const after = afterAttempt(running, outcome, this.now(), this.backoff);
    if (after.state === 'failed' && !outcome.ok && !outcome.settled)
      settleJobFailure(this.deps.doc, running.job, outcome.error, this.deps.actor);
    await this.save(after);
    if (outcome.made?.length) {
      await this.settleOwedRemovals();
      const relink = picksToRelink(outcome.made, this.deps.rows(), this.snapshot);
      if (relink.length) await this.updateSite(relink, {});
    }
  }

  private async save(row: OutboxRow): Promise<void> {
    const saved = { ...row, updatedAt: this.now() };
    this.jobs.set(row.id, saved);
    await this.deps.db.outbox.put(saved);
    this.changed();
  }

  private changed(): void {
    this.snapshot = [...this.jobs.values()].sort(newestFirst);
    this.emit('change', []);
  }
}
