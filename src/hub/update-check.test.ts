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

/** The state vector of an empty room. */
const NOTHING = Y.encodeStateVector(new Y.Doc());

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
  expect(await checker().check(update, NOTHING)).toBeNull();
});

it('names the problem with a large update cut short, inline or on the worker', async () => {
  const cut = bigUpdate().subarray(0, 90_000);
  expect(await checker().check(cut, NOTHING)).toMatch(/^the Yjs update does not decode: /);
  expect(await checker({ inlineBelowBytes: Infinity }).check(cut, NOTHING)).toMatch(
    /^the Yjs update does not decode: /,
  );
});

it('gives up on a decode that takes too long, and keeps working afterwards', async () => {
  const slow = checker({ inlineBelowBytes: 1024, timeoutMs: 1, msPerMegabyte: 0 });
  const update = bigUpdate();
  expect(await slow.check(update, NOTHING)).toMatch(/longer than 1 ms/);
  // A fresh worker answers the next one (here: too slow again), and small updates stay inline.
  expect(await slow.check(update, NOTHING)).toMatch(/longer than 1 ms/);
  expect(await slow.check(Uint8Array.from([0, 0]), NOTHING)).toBeNull();
  expect(await checker({ inlineBelowBytes: 1024 }).check(update, NOTHING)).toBeNull();
});

it('gives a large update time in proportion to its size', async () => {
  // 1 ms would not do for this update (as the test above shows); a minute per MiB does.
  const update = bigUpdate();
  expect(
    await checker({ inlineBelowBytes: 1024, timeoutMs: 1, msPerMegabyte: 60_000 }).check(
      update,
      NOTHING,
    ),
  ).toBeNull();
});

it('refuses a large update that builds on changes the room does not have', async () => {
  const doc = new Y.Doc();
  doc.getMap('items').set('first', 'a change the room never gets');
  const before = Y.encodeStateVector(doc);
  doc.getMap('items').set('blob', 'x'.repeat(100_000));
  const gapped = Y.encodeStateAsUpdate(doc, before);
  expect(await checker().check(gapped, NOTHING)).toMatch(
    /^an update of \d+ bytes is refused: it builds on changes 0-0 of client \d+/,
  );
  // The same update is fine for a room that has the first change.
  expect(await checker().check(gapped, before)).toBeNull();
});

it('refuses a large update that skips over changes in its middle', async () => {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getMap('items').set('first', 1);
  doc.getMap('items').set('second', 2);
  doc.getMap('items').set('blob', 'x'.repeat(100_000));
  const skipping = Y.mergeUpdates([updates[0]!, updates[2]!]);
  expect(await checker().check(skipping, NOTHING)).toMatch(/skips over changes/);
});

/**
 * A checker whose worker threads are counted as it reports them: `threads()` is the last count,
 * and `exited()` resolves when none is alive.
 */
function counted(releaseFromBytes: number) {
  const waiting: (() => void)[] = [];
  let alive = 0;
  const made = checker({
    inlineBelowBytes: 1024,
    releaseFromBytes,
    onThreads: (count) => {
      alive = count;
      if (count === 0) waiting.splice(0).forEach((done) => done());
    },
  });
  const exited = () => new Promise<void>((done) => waiting.push(done));
  return { made, exited, threads: () => alive };
}

it('lets the worker go once it has checked a very large update, and starts another when needed', async () => {
  const update = bigUpdate();
  const { made, exited, threads } = counted(update.length);
  // Two at once: one worker checks both, and is let go once it has answered both.
  const gone = exited();
  const both = Promise.all([made.check(update, NOTHING), made.check(update, NOTHING)]);
  expect(threads()).toBe(1);
  expect(await both).toEqual([null, null]);
  await gone;
  expect(threads()).toBe(0);
  // A smaller update starts a worker that stays; the next very large one lets it go again.
  expect(await made.check(update.subarray(0, 90_000), NOTHING)).toMatch(/does not decode/);
  expect(threads()).toBe(1);
  const goneAgain = exited();
  expect(await made.check(update, NOTHING)).toBeNull();
  await goneAgain;
  expect(threads()).toBe(0);
});

it('keeps the worker for updates below the size it lets the worker go at', async () => {
  const update = bigUpdate();
  const { made, threads } = counted(update.length + 1);
  expect(await made.check(update, NOTHING)).toBeNull();
  expect(await made.check(update, NOTHING)).toBeNull();
  expect(threads()).toBe(1);
  await made.close();
  expect(threads()).toBe(0);
});
