// Actions taken before the document has loaded from disk. They wait here, in order, and run as
// soon as it has, each still an undo step of its own; meanwhile their answers come from the rows
// on screen. One that is undone before it ran is simply dropped.
import { Observable, type Unsubscribe } from './observable';
import { Change, type UndoHistory } from './undo';

interface QueuedAction {
  change: Change;
  run: () => void;
}

export class QueuedActions extends Observable {
  private actions: QueuedAction[] = [];

  get size(): number {
    return this.actions.length;
  }

  add(change: Change, run: () => void): void {
    change.queued = true;
    this.actions.push({ change, run });
    this.changed();
  }

  /** Takes an action back before it ran; false when it is no longer waiting. */
  cancel(change: Change): boolean {
    const at = this.actions.findIndex((action) => action.change === change);
    if (at < 0) return false;
    this.actions.splice(at, 1);
    change.queued = false;
    this.changed();
    return true;
  }

  /** Runs every waiting action in the order it was taken. */
  runAll(): void {
    const actions = this.actions;
    this.actions = [];
    for (const action of actions) action.run();
    if (actions.length) this.changed();
  }

  /** Drops every waiting action (the collection became read-only before they could run). */
  drop(): void {
    for (const action of this.actions) action.change.queued = false;
    const dropped = this.actions.length;
    this.actions = [];
    if (dropped) this.changed();
  }
}

/**
 * Runs the curator's actions: each one an undo step of its own with a handle to it, and waiting
 * in the queue while the log is still loading.
 */
export class ActionRunner {
  readonly queued = new QueuedActions();

  constructor(
    readonly history: UndoHistory,
    private readonly ready: () => boolean,
  ) {}

  /** Runs (or queues) one action; `early` answers from the rows on screen meanwhile. */
  run<T>(mutation: () => T, early: () => T): { result: T; change: Change } {
    const change = new Change();
    if (!this.ready()) {
      this.queued.add(change, () => this.history.record(change, mutation));
      return { result: early(), change };
    }
    return { result: this.history.record(change, mutation), change };
  }

  /** Undoes exactly this change: takes it back if still queued, else only if it is the latest. */
  undoChange(change: Change): boolean {
    if (change.queued) return this.queued.cancel(change);
    return this.history.undoChange(change);
  }

  canUndoChange(change: Change): boolean {
    return change.queued || this.history.isLatest(change);
  }

  /** Called whenever what undoChange could revert may have changed. */
  subscribe(listener: () => void): Unsubscribe {
    const offHistory = this.history.subscribe(listener);
    const offQueue = this.queued.subscribe(listener);
    return () => {
      offHistory();
      offQueue();
    };
  }
}
