// The local member's undo history: one step per action, only their own changes (never another
// member's, never bookkeeping), and a handle per action, so that a toast's Undo reverts exactly
// the change it announced or nothing at all.
import * as Y from 'yjs';
import { Observable } from './observable';

/**
 * One action the curator took. Handed to whoever announces it (a toast), who can ask whether it
 * is still the latest undoable change and undo exactly it.
 */
export class Change {
  /** The undo step the action made; null when it changed nothing (or has not run yet). */
  step: Y.UndoManager['undoStack'][number] | null = null;
  /** Taken before the document loaded and still waiting to run. */
  queued = false;
}

export class UndoHistory extends Observable {
  private readonly manager: Y.UndoManager;

  constructor(scope: ConstructorParameters<typeof Y.UndoManager>[0], origin: object) {
    super();
    this.manager = new Y.UndoManager(scope, { trackedOrigins: new Set([origin]) });
    const changed = () => this.changed();
    this.manager.on('stack-item-added', changed);
    this.manager.on('stack-item-popped', changed);
    this.manager.on('stack-cleared', changed);
  }

  /** Runs one action as an undo step of its own and records that step on `change`. */
  record<T>(change: Change, mutation: () => T): T {
    const stack = this.manager.undoStack;
    const before = stack.at(-1);
    this.manager.stopCapturing();
    try {
      return mutation();
    } finally {
      // Nothing later may merge into this step: its handle must undo this action and no other.
      this.manager.stopCapturing();
      const after = stack.at(-1);
      change.step = after !== before ? (after ?? null) : null;
      change.queued = false;
    }
  }

  /** Whether `change` is what Undo would revert next. */
  isLatest(change: Change): boolean {
    return change.step !== null && this.manager.undoStack.at(-1) === change.step;
  }

  /**
   * Undoes `change` if it is the latest step; otherwise does nothing. Y.UndoManager.undo() passes
   * over steps that no longer change anything (a member overwrote them) and reverts the next one
   * down, so the older steps are held aside while it runs: it can reach this step and no other.
   */
  undoChange(change: Change): boolean {
    if (!this.isLatest(change)) return false;
    const stack = this.manager.undoStack;
    const older = stack.splice(0, stack.length - 1);
    try {
      return this.manager.undo() !== null;
    } finally {
      stack.unshift(...older);
      this.changed();
    }
  }

  undo(): boolean {
    return this.manager.undo() !== null;
  }

  redo(): boolean {
    return this.manager.redo() !== null;
  }

  /** Forgets every step (after Empty Trash, which cannot be taken back). */
  clear(): void {
    this.manager.clear();
  }

  override destroy(): void {
    this.manager.destroy();
    super.destroy();
  }
}
