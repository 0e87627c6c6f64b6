// The posting queue's runner on this device: whenever the collection changes, the hub confirms a
// write, an outbox job ends or a slot comes, it asks the queue what to do (nextQueueAction),
// publishes the pick a slot is owed through the outbox, and settles the queued pick once its jobs
// end. Time comes from an injected clock, so tests drive it by hand. Which app posts when several
// run is decided by slot claims and the hub's confirmations (docs/decisions.md, "The posting
// queue").
import type * as Y from 'yjs';
import {
  isQueued,
  nextQueueAction,
  readQueue,
  settleQueued,
  type Actor,
  type QueueOutcome,
} from '../../shared/collection';
import type { ItemRow, PublishTarget } from '../../shared/model';
import {
  jobItemIds,
  jobTarget,
  planPress,
  unservedPick,
  type Coordination,
  type PublishJob,
  type PublishSettings,
  type QueueDecision,
} from '../../shared/publish';
import type { Outbox } from './outbox';
import { onDocChange } from './doc-changes';
import type { SyncConnection } from './sync';
import { systemClock, type QueueClock } from './fetch-queue';

/** However long a decision says to wait, look again within this: a laptop may sleep through a timer. */
export const LONGEST_WAIT_MS = 60_000;

/** How this device learns whether its slot claims won: the hub's confirmations, or none needed. */
export interface CoordinationSource {
  get(): Coordination;
  /** Calls back when get() may answer differently (a confirmation came, the hub changed). */
  subscribe(listener: () => void): () => void;
}

/** Nothing to coordinate with: the collection has no hub, so this is its only replica. */
export const ALONE: CoordinationSource = {
  get: () => ({ kind: 'alone' }),
  subscribe: () => () => undefined,
};

/** What a library offers the runner: its current hub connection, and word when that changes. */
export interface HubHolder {
  readonly sync: Pick<SyncConnection, 'getConfirmed' | 'onConfirmed'> | null;
  on(event: 'sync', listener: () => void): void;
  off(event: 'sync', listener: () => void): void;
}

/**
 * Coordination through the library's hub connection, whichever it is at the moment. The claim
 * argument needs each confirmation to cover every update the hub stored before ours; the hub's
 * serial room queue gives that (src/hub/room.ts), and sync.ts passes its vector on unchanged.
 */
export function hubCoordination(library: HubHolder): CoordinationSource {
  return {
    get: () =>
      library.sync ? { kind: 'hub', confirmed: library.sync.getConfirmed() } : { kind: 'alone' },
    subscribe(listener) {
      let offConfirmed = library.sync?.onConfirmed(listener);
      const reconnected = () => {
        offConfirmed?.();
        offConfirmed = library.sync?.onConfirmed(listener);
        listener();
      };
      library.on('sync', reconnected);
      return () => {
        offConfirmed?.();
        library.off('sync', reconnected);
      };
    },
  };
}

export interface QueueRunnerDeps {
  collectionId: string;
  doc: Y.Doc;
  /** Resolves once the document has replayed from disk. */
  ready: Promise<unknown>;
  /** Writes are made as this member, with this origin (kept out of undo); its clock is replaced. */
  actor: Actor;
  outbox: Pick<Outbox, 'start' | 'planAndQueue' | 'jobFor' | 'list' | 'subscribe'>;
  row: (itemId: string) => ItemRow | undefined;
  coordination: CoordinationSource;
  /** False while this device may not change the collection (a reader's invite). */
  canWrite?: () => boolean;
  clock?: QueueClock;
}

/** What the runner last did: a queue decision, or standing aside for picks it cannot publish. */
export type RunnerStep =
  QueueDecision | { kind: 'cannot-publish'; itemId: string; targets: PublishTarget[] };

type Outcome = { result: RunnerStep; jobs: readonly PublishJob[] };

export class QueueRunner {
  private readonly clock: QueueClock;
  private readonly actor: Actor;
  /** Picks this device is posting from the queue, with the targets its jobs carry. */
  private readonly posting = new Map<string, PublishTarget[]>();
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private cancelTimer: (() => void) | null = null;
  private unsubscribe: Array<() => void> = [];
  /** What the latest decision was (tests read it). */
  lastDecision: RunnerStep | null = null;

  constructor(private readonly deps: QueueRunnerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.actor = { ...deps.actor, now: this.clock.now };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const { doc, outbox, coordination } = this.deps;
    this.unsubscribe = [
      onDocChange(doc, this.poke),
      outbox.subscribe(this.poke),
      coordination.subscribe(this.poke),
    ];
    this.running = this.resume().finally(() => {
      this.running = null;
      this.poke();
    });
  }

  stop(): void {
    this.stopped = true;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** Whether it is deciding or posting at this moment. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves once nothing is left to do now (tests wait on it after moving the clock). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Picks up the picks this device was posting when it last quit: their jobs are still stored. */
  private async resume(): Promise<void> {
    await this.deps.ready;
    await this.deps.outbox.start();
    for (const row of this.deps.outbox.list()) {
      if (row.state === 'done' || row.state === 'failed') continue;
      if (row.job.kind !== 'bluesky' && row.job.kind !== 'site') continue;
      const target = jobTarget(row.job);
      for (const itemId of jobItemIds(row.job)) {
        if (!isQueued(this.deps.doc, itemId)) continue;
        const targets = this.posting.get(itemId) ?? [];
        if (!targets.includes(target)) this.posting.set(itemId, [...targets, target]);
      }
    }
  }

  private readonly poke = (): void => {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) this.poke();
    });
  };

  private async run(): Promise<void> {
    await this.deps.ready;
    do {
      this.again = false;
      if (this.deps.canWrite && !this.deps.canWrite()) return this.wake(null);
      this.settleFinished();
      const decision = await this.postDue();
      this.wake(decision);
    } while (this.again && !this.stopped);
  }

  /** Posts every pick that is due now, one decision at a time; returns the first that is not a post. */
  private async postDue(): Promise<RunnerStep | null> {
    const decided = new Set<string>();
    while (!this.stopped) {
      const { result } = await this.deps.outbox.planAndQueue((settings, at) =>
        this.decideAndPlan(settings, at),
      );
      this.lastDecision = result;
      if (result.kind !== 'post') return result;
      // A post that planned nothing would be decided again at once: wait for a change instead.
      if (decided.has(result.itemId)) return null;
      decided.add(result.itemId);
    }
    return null;
  }

  /** Runs between reading the settings and writing the jobs, with nothing awaited in between. */
  private decideAndPlan(settings: PublishSettings, at: number): Outcome {
    const { doc, collectionId } = this.deps;
    // A device not set up for the next pick's target stays out of the slot (queue-state.ts).
    const missing = unservedPick(readQueue(doc), (target) => settings[target] !== null);
    if (missing) return { result: { kind: 'cannot-publish', ...missing }, jobs: [] };
    const decision = nextQueueAction(doc, this.deps.coordination.get(), this.actor);
    if (decision.kind !== 'post') return { result: decision, jobs: [] };
    const { itemId, targets } = decision;
    // A failed attempt makes the pick pending again before the outbox has stored that the job
    // ended; until this device settles it, it is still ours and must not be planned twice.
    if (this.posting.has(itemId)) return { result: decision, jobs: [] };
    const item = this.deps.row(itemId);
    if (!item) {
      this.settle(itemId, { state: 'failed', error: 'The link is not in the collection.' });
      return { result: decision, jobs: [] };
    }
    const request = {
      items: [item],
      bluesky: targets.includes('bluesky'),
      site: targets.includes('site'),
      threadIntro: null,
    };
    const plan = planPress(doc, request, settings, { collectionId, actor: this.actor, now: at });
    if (plan.problems.length) {
      const error = plan.problems.map((p) => p.problems.join('; ')).join(' · ');
      this.settle(itemId, { state: 'failed', error });
      return { result: decision, jobs: [] };
    }
    if (plan.jobs.length) this.posting.set(itemId, targets);
    return { result: decision, jobs: plan.jobs };
  }

  /** Settles each pick this device posted once every one of its jobs has ended. */
  private settleFinished(): void {
    for (const [itemId, targets] of this.posting) {
      const rows = targets.map((target) => this.deps.outbox.jobFor(itemId, target));
      if (rows.some((row) => !row || (row.state !== 'done' && row.state !== 'failed'))) continue;
      this.posting.delete(itemId);
      const failed = rows.find((row) => row?.state === 'failed');
      this.settle(
        itemId,
        failed
          ? { state: 'failed', error: failed.error ?? 'Publishing failed.' }
          : { state: 'published' },
      );
    }
  }

  private settle(itemId: string, outcome: QueueOutcome): void {
    settleQueued(this.deps.doc, itemId, outcome, this.actor);
  }

  /** Sets the timer for the decision's next moment, and never longer than LONGEST_WAIT_MS. */
  private wake(decision: RunnerStep | null): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.stopped) return;
    const until = decision && 'until' in decision ? decision.until : null;
    const wait = until === null ? LONGEST_WAIT_MS : until - this.clock.now();
    this.cancelTimer = this.clock.after(Math.min(LONGEST_WAIT_MS, Math.max(0, wait)), this.poke);
  }
}
