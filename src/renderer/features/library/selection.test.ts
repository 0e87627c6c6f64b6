import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SelectionStore } from './selection';

const ORDER = ['a', 'b', 'c', 'd', 'e'];
const rowsOf = (...ids: string[]) => ids.map((id) => ({ id }));

function selected(store: SelectionStore): string[] {
  return [...store.getSnapshot().selected].sort();
}

describe('SelectionStore', () => {
  it('a plain click makes a row current and drops the multi-selection', () => {
    const store = new SelectionStore();
    store.toggle('a');
    store.toggle('b');
    store.focus('c');
    expect(store.getSnapshot().current).toBe('c');
    expect(selected(store)).toEqual([]);
  });

  it('ctrl/cmd-click takes the current row along into the selection', () => {
    const store = new SelectionStore();
    store.focus('a');
    store.toggleWithCurrent('c');
    expect(selected(store)).toEqual(['a', 'c']);
    store.toggleWithCurrent('a');
    expect(selected(store)).toEqual(['c']);
  });

  it('shift-click selects the range from the anchor, in either direction', () => {
    const store = new SelectionStore();
    store.focus('b');
    store.extendTo('d', ORDER);
    expect(selected(store)).toEqual(['b', 'c', 'd']);
    store.extendTo('a', ORDER);
    expect(selected(store)).toEqual(['a', 'b']);
  });

  it('j/k move the cursor within the list and keep the selection', () => {
    const store = new SelectionStore();
    store.move(1, ORDER);
    expect(store.getSnapshot().current).toBe('a');
    store.toggle('a');
    store.move(-1, ORDER);
    expect(store.getSnapshot().current).toBe('a');
    store.move(10, ORDER);
    expect(store.getSnapshot().current).toBe('e');
    expect(selected(store)).toEqual(['a']);
  });

  it('j after the current row left the list lands on the row that took its place', () => {
    const store = new SelectionStore();
    store.focus('c');
    const after = ['a', 'b', 'd', 'e'];
    store.move(1, after, 2);
    expect(store.getSnapshot().current).toBe('d');
    store.focus('z');
    store.move(-1, after, 2);
    expect(store.getSnapshot().current).toBe('b');
  });

  it('retain drops selected rows that left the list but keeps the current row', () => {
    const store = new SelectionStore();
    store.focus('a');
    store.extendTo('c', ORDER);
    store.retain(rowsOf('a', 'c', 'd'));
    expect(selected(store)).toEqual(['a', 'c']);
    store.retain(rowsOf('d'));
    expect(store.getSnapshot().current).toBe('c');
  });

  it('notifies subscribers only when something changed', () => {
    const store = new SelectionStore();
    let calls = 0;
    store.subscribe(() => calls++);
    store.clearSelected();
    store.retain(rowsOf(...ORDER));
    expect(calls).toBe(0);
    store.toggle('a');
    expect(calls).toBe(1);
  });

  it('a shift-click range is always the contiguous run between anchor and target', () => {
    fc.assert(
      fc.property(fc.nat(ORDER.length - 1), fc.nat(ORDER.length - 1), (from, to) => {
        const store = new SelectionStore();
        store.focus(ORDER[from]!);
        store.extendTo(ORDER[to]!, ORDER);
        const expected = ORDER.slice(Math.min(from, to), Math.max(from, to) + 1);
        expect(selected(store)).toEqual([...expected].sort());
        expect(store.getSnapshot().current).toBe(ORDER[to]);
      }),
    );
  });
});
