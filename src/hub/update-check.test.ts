import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateChecker } from './update-check';

const checkers: UpdateChecker[] = [];
afterEach(async () => {
  await Promise.all(checkers.splice(0).map((c) => c.close()));
});

function checker(...args: ConstructorParameters<typeof UpdateChecker>): UpdateChecker {
  const made = new UpdateChecker(...args);
  checkers.push(made);
  return made;
}

function bigUpdate(): Uint8Array {
  const doc = new Y.Doc();
  const text = doc.getText('note');
  for (let i = 0; i < 2000; i++) text.insert(text.length, `line ${i} of a long note\n`);
  doc.getMap('items').set('blob', 'x'.repeat(100_000));
  return Y.encodeStateAsUpdate(doc);
}

it('passes a large valid update checked on the worker thread', async () => {
  const update = bigUpdate();
  expect(update.length).toBeGreaterThan(64 * 1024);
  expect(await checker().check(update)).toBeNull();
});

it('names the problem with a large update cut short, inline or on the worker', async () => {
  const cut = bigUpdate().subarray(0, 90_000);
  expect(await checker().check(cut)).toMatch(/^the Yjs update does not decode: /);
  expect(await checker(Infinity).check(cut)).toMatch(/^the Yjs update does not decode: /);
});

it('gives up on a decode that takes too long, and keeps working afterwards', async () => {
  const slow = checker(1024, 1);
  const update = bigUpdate();
  expect(await slow.check(update)).toMatch(/longer than 1 ms/);
  // A fresh worker answers the next one (here: too slow again), and small updates stay inline.
  expect(await slow.check(update)).toMatch(/longer than 1 ms/);
  expect(await slow.check(Uint8Array.from([0, 0]))).toBeNull();
  expect(await checker(1024, 10_000).check(update)).toBeNull();
});
