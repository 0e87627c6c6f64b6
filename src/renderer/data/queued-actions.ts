// Actions taken before the document has loaded from disk. They wait here, in order, and run as
// soon as it has, each still an undo step of its own; meanwhile their answers come from the rows
// on screen. One that is undone before it ran is simply dropped.
import { Observable } from './observable';
import type { Change } from './undo';

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
