import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { onDocChange } from './doc-changes';

describe('onDocChange', () => {
  it('tells of the transactions that add or delete something, and of no others', () => {
    const doc = new Y.Doc();
    const map = doc.getMap('items');
    let told = 0;
    const stop = onDocChange(doc, () => told++);
    doc.transact(() => {});
    expect(told).toBe(0);
    map.set('a', 1);
    expect(told).toBe(1);
    map.delete('a');
    expect(told).toBe(2);
    // An update from elsewhere counts too.
    const other = new Y.Doc();
    other.getMap('items').set('b', 2);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(told).toBe(3);
    stop();
    map.set('c', 3);
    expect(told).toBe(3);
  });
});
