// npx tsx bench/notes-encode.ts [count]: what the notes cost a full-state encode. Builds a
// collection of `count` links (100,000 by default) through the same mutation a save uses, once
// with a note on every third link and once with a note on every link, then encodes the whole
// document (as compaction, a backup or a hub serving a new device does) and applies it to an
// empty one. Prints the times and the size of the update.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { addItem, upsertMember } from '../src/shared/collection';

const count = Number(process.argv[2] ?? 100_000);
const me = { id: 'bench', name: 'Bench', color: '#336699' };
const actor = { memberId: me.id, now: () => 1_700_000_000_000 };

function collection(noteEvery: number): Y.Doc {
  const doc = new Y.Doc();
  upsertMember(doc, me, actor);
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const note = i % noteEvery === 0 ? `A note about article ${i}.\n` : '';
      addItem(doc, { url: `https://blog.example.org/${i}`, title: `Article ${i}`, note }, actor);
    }
  });
  return doc;
}

function timed<T>(run: () => T): [T, number] {
  const start = performance.now();
  const value = run();
  return [value, Math.round(performance.now() - start)];
}

for (const [label, noteEvery] of [
  ['a note on every third link', 3],
  ['a note on every link', 1],
] as const) {
  const [doc, built] = timed(() => collection(noteEvery));
  const [update, encoded] = timed(() => Y.encodeStateAsUpdateV2(doc));
  const copy = new Y.Doc();
  const [, applied] = timed(() => Y.applyUpdateV2(copy, update));
  const kib = Math.round(update.byteLength / 1024);
  console.log(
    `${count} links, ${label}: built ${built} ms, encode ${encoded} ms, apply ${applied} ms, ${kib} KiB`,
  );
  doc.destroy();
  copy.destroy();
}
