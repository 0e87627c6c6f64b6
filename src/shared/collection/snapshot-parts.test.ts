import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeStateInParts } from './snapshot-parts';

/** What one of the editing devices does next: edit its copy, or exchange updates with another. */
type Step =
  | { kind: 'set'; device: number; key: number; value: number }
  | { kind: 'unset'; device: number; key: number }
  | { kind: 'type'; device: number; key: number; at: number; text: string }
  | { kind: 'erase'; device: number; key: number; at: number; length: number }
  | { kind: 'push'; device: number; value: number }
  | { kind: 'remove'; device: number; at: number }
  | { kind: 'sync'; from: number; to: number };

const DEVICES = 3;
const device = fc.integer({ min: 0, max: DEVICES - 1 });
const key = fc.integer({ min: 0, max: 4 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), device, key, value: fc.integer() }),
  fc.record({ kind: fc.constant('unset' as const), device, key }),
  fc.record({
    kind: fc.constant('type' as const),
    device,
    key,
    at: fc.nat(40),
    text: fc.string({ minLength: 1, maxLength: 6 }),
  }),
  fc.record({
    kind: fc.constant('erase' as const),
    device,
    key,
    at: fc.nat(40),
    length: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({ kind: fc.constant('push' as const), device, value: fc.integer() }),
  fc.record({ kind: fc.constant('remove' as const), device, at: fc.nat(20) }),
  fc.record({ kind: fc.constant('sync' as const), from: device, to: device }),
);

/** The text kept under `key`, made by whichever device first needs it. */
function textAt(doc: Y.Doc, key: number): Y.Text {
  const notes = doc.getMap<Y.Text>('notes');
  let text = notes.get(`n${key}`);
  if (!text) {
    text = new Y.Text();
    notes.set(`n${key}`, text);
  }
  return text;
}

function run(steps: Step[], gc = true): Y.Doc[] {
  const docs = Array.from({ length: DEVICES }, (_, i) => {
    const doc = new Y.Doc({ gc });
    doc.clientID = i + 1;
    return doc;
  });
  for (const s of steps) {
    if (s.kind === 'sync') {
      const to = docs[s.to]!;
      Y.applyUpdate(to, Y.encodeStateAsUpdate(docs[s.from]!, Y.encodeStateVector(to)));
      continue;
    }
    const doc = docs[s.device]!;
    const list = doc.getArray<number>('list');
    if (s.kind === 'set') doc.getMap('items').set(`k${s.key}`, s.value);
    else if (s.kind === 'unset') doc.getMap('items').delete(`k${s.key}`);
    else if (s.kind === 'type') {
      const text = textAt(doc, s.key);
      text.insert(Math.min(s.at, text.length), s.text);
    } else if (s.kind === 'erase') {
      const text = textAt(doc, s.key);
      const at = Math.min(s.at, text.length);
      text.delete(at, Math.min(s.length, text.length - at));
    } else if (s.kind === 'push') list.push([s.value]);
    else if (list.length) list.delete(Math.min(s.at, list.length - 1), 1);
  }
  // Every device ends up with everything, the way a collection's devices do once they have met.
  for (const to of docs)
    for (const from of docs)
      Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
  return docs;
}

function contents(doc: Y.Doc) {
  return {
    items: doc.getMap('items').toJSON(),
    notes: doc.getMap('notes').toJSON(),
    list: doc.getArray('list').toJSON(),
  };
}

describe('a document written in parts', () => {
  it('applies part by part, each at once, into the same document', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 80 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (steps, size, gc) => {
          // Without garbage collection, deleted content stays: only the delete set says it is gone.
          const [doc] = run(steps, gc);
          const parts = encodeStateInParts(doc!, size);
          const copy = new Y.Doc();
          for (const part of parts) {
            Y.applyUpdateV2(copy, part);
            // Nothing waits for a later part: each part's structs integrate as it is applied.
            expect(copy.store.pendingStructs).toBeNull();
          }
          expect(copy.store.pendingDs).toBeNull();
          expect(contents(copy)).toEqual(contents(doc!));
          expect(Y.equalSnapshots(Y.snapshot(copy), Y.snapshot(doc!))).toBe(true);
          // The copy goes on merging with the devices as the original would.
          const edit = new Y.Doc();
          Y.applyUpdateV2(edit, Y.encodeStateAsUpdateV2(doc!));
          edit.getMap('items').set('later', 1);
          Y.applyUpdate(copy, Y.encodeStateAsUpdate(edit, Y.encodeStateVector(copy)));
          expect(contents(copy)).toEqual(contents(edit));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a document of one part exactly as Yjs encodes it', () => {
    const doc = new Y.Doc();
    doc.getMap('items').set('a', 1);
    expect(encodeStateInParts(doc)).toEqual([Y.encodeStateAsUpdateV2(doc)]);
  });

  it('cuts a large document into parts of the given size, the delete set last', () => {
    const doc = new Y.Doc();
    const items = doc.getMap<number>('items');
    for (let i = 0; i < 25; i++) items.set(`k${i}`, i);
    for (let i = 0; i < 5; i++) items.delete(`k${i}`);
    const parts = encodeStateInParts(doc, 10);
    expect(parts.map((part) => Y.decodeUpdateV2(part).structs.length)).toEqual([10, 10, 5, 0]);
    expect(Y.decodeUpdateV2(parts.at(-1)!).ds.clients.size).toBe(1);
    expect(parts.slice(0, -1).every((part) => Y.decodeUpdateV2(part).ds.clients.size === 0)).toBe(
      true,
    );
  });

  it('holds back a part whose structs wait on another client until that client has come', () => {
    // Device 2 edits text device 1 typed later than device 2's own first edits, so device 1's
    // structs cannot all come first, nor device 2's: the order has to interleave them.
    const [one, two] = run([
      { kind: 'type', device: 0, key: 0, at: 0, text: 'aaaa' },
      { kind: 'sync', from: 0, to: 1 },
      { kind: 'type', device: 1, key: 0, at: 2, text: 'bb' },
      { kind: 'sync', from: 1, to: 0 },
      { kind: 'type', device: 0, key: 0, at: 3, text: 'cc' },
      { kind: 'sync', from: 0, to: 1 },
      { kind: 'type', device: 1, key: 0, at: 1, text: 'dd' },
    ]);
    const copy = new Y.Doc();
    for (const part of encodeStateInParts(one!, 1)) {
      Y.applyUpdateV2(copy, part);
      expect(copy.store.pendingStructs).toBeNull();
    }
    expect(copy.getMap('notes').toJSON()).toEqual(two!.getMap('notes').toJSON());
  });
});
