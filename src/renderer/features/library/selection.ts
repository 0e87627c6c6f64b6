// Which rows the curator is working on. `current` is the cursor (j/k, a plain click) and is what the
// detail pane shows; `selected` is the explicit multi-selection (x, ctrl/cmd-click, shift-click)
// that bulk actions and publishing act on. Kept in a small store so any feature can read it
// through useSelection() without prop threading.
import {
  createContext,
  createElement,
  useContext,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { Observable } from '../../data/observable';

export interface SelectionState {
  current: string | null;
  selected: ReadonlySet<string>;
  /** Where a shift-click range starts. */
  anchor: string | null;
}

const EMPTY: SelectionState = { current: null, selected: new Set(), anchor: null };

export class SelectionStore extends Observable {
  private state: SelectionState = EMPTY;

  readonly getSnapshot = (): SelectionState => this.state;

  private set(next: SelectionState): void {
    this.state = next;
    this.changed();
  }

  /** A plain click or a jump: this row becomes current and the multi-selection is dropped. */
  focus(id: string | null): void {
    this.set({ current: id, selected: new Set(), anchor: id });
  }

  /** Ctrl/Cmd-click and `x`: add or remove one row, keeping the rest. */
  toggle(id: string): void {
    const selected = new Set(this.state.selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    this.set({ current: id, selected, anchor: id });
  }

  /** Ctrl/Cmd-click: as toggle, but the row that was current joins the selection first. */
  toggleWithCurrent(id: string): void {
    const { current, selected } = this.state;
    if (selected.size === 0 && current && current !== id) {
      this.set({ current: id, selected: new Set([current, id]), anchor: id });
    } else {
      this.toggle(id);
    }
  }

  /** Shift-click: select every row between the anchor and this one, in list order. */
  extendTo(id: string, order: readonly string[]): void {
    const from = order.indexOf(this.state.anchor ?? this.state.current ?? id);
    const to = order.indexOf(id);
    if (to < 0) return;
    const start = from < 0 ? to : Math.min(from, to);
    const end = from < 0 ? to : Math.max(from, to);
    this.set({
      current: id,
      selected: new Set(order.slice(start, end + 1)),
      anchor: this.state.anchor ?? id,
    });
  }

  /**
   * j/k: move the cursor, keep the multi-selection. `lastIndex` is where the current row last
   * stood, for when it has just left the list (read in Unread): j then lands on the row that took
   * its place rather than jumping to the top.
   */
  move(delta: number, order: readonly string[], lastIndex = -1): void {
    if (order.length === 0) return;
    // With no link open (closed with Esc), the cursor goes on from the one that was.
    const at = this.state.current ?? this.state.anchor;
    const index = at ? order.indexOf(at) : -1;
    let next: number;
    if (index >= 0) next = index + delta;
    else if (lastIndex >= 0) next = delta > 0 ? lastIndex + delta - 1 : lastIndex + delta;
    else next = delta > 0 ? 0 : order.length - 1;
    next = Math.min(order.length - 1, Math.max(0, next));
    this.set({ ...this.state, current: order[next] ?? null, anchor: order[next] ?? null });
  }

  /** Esc: the open link closes; the next j or k goes on from where it was. */
  close(): void {
    this.set({
      current: null,
      selected: new Set(),
      anchor: this.state.current ?? this.state.anchor,
    });
  }

  clearSelected(): void {
    if (this.state.selected.size > 0) this.set({ ...this.state, selected: new Set() });
  }

  reset(): void {
    this.set(EMPTY);
  }

  /**
   * Drops selected rows that left the list (trashed, filtered out) so bulk actions never hit
   * hidden items. The current row stays: marking it read in Unread keeps it on screen.
   */
  retain(rows: readonly { id: string }[]): void {
    if (this.state.selected.size === 0) return;
    const visible = new Set(rows.map((row) => row.id));
    const keep = [...this.state.selected].filter((id) => visible.has(id));
    if (keep.length !== this.state.selected.size)
      this.set({ ...this.state, selected: new Set(keep) });
  }
}

const SelectionContext = createContext<SelectionStore | null>(null);

export function SelectionProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => new SelectionStore());
  return createElement(SelectionContext.Provider, { value: store }, children);
}

export function useSelectionStore(): SelectionStore {
  const store = useContext(SelectionContext);
  if (!store) throw new Error('useSelection must be used inside <SelectionProvider>.');
  return store;
}

export interface Selection extends SelectionState {
  /** What a bulk action applies to: the multi-selection, or else the current row. */
  targetIds: string[];
  store: SelectionStore;
}

export function useSelection(): Selection {
  const store = useSelectionStore();
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { current, selected } = state;
  const targetIds = selected.size > 0 ? [...selected] : current ? [current] : [];
  return { ...state, targetIds, store };
}
