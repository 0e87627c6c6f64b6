// Notes across replicas: texts started at once by several replicas under their own keys, typing
// into whichever text is primary, schema-2 root notes beside them; whatever the order of syncs,
// every replica reads the same note and it holds every word anyone typed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  Materializer,
  ROOT,
  addItem,
  appendNote,
  changeItemUrl,
  itemAt,
  itemIdForUrl,
  materializeAll,
  noteParts,
  noteUndoManager,
  primaryNote,
  purgeItems,
  readNote,
  writeNote,
  type Actor,
} from '.';
import type { ItemRow } from '../model';

const REPLICAS = 3;
const URLS = ['https://a.example/raft', 'https://b.example/paxos', 'https://c.example/crdt'];
const IDS = URLS.map(itemIdForUrl);
const actor = (r: number): Actor => ({ memberId: `m${r}`, now: () => 1_000 + r });

type Op =
  /** Saves the link with a note (offline saves of one URL meet in one item). */
  | { k: 'save'; r: number; u: number }
  /** Appends a paragraph, as the detail pane's quick note does. */
  | { k: 'append'; r: number; u: number }
  /** Types a line into the primary text at a line start, as the note editor does. */
  | { k: 'type'; r: number; u: number; line: number }
  /** Types into the root text `note:<id>`, as a schema-2 client does. */
  | { k: 'legacy'; r: number; u: number }
  /** Sends everything `a` has that `b` lacks. */
  | { k: 'deliver'; a: number; b: number };

const r = fc.nat(REPLICAS - 1);
const u = fc.nat(URLS.length - 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('save' as const), r, u }),
  fc.record({ k: fc.constant('append' as const), r, u }),
  fc.record({ k: fc.constant('type' as const), r, u, line: fc.nat(6) }),
  { weight: 1, arbitrary: fc.record({ k: fc.constant('legacy' as const), r, u }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('deliver' as const), a: r, b: r }) },
);

function deliver(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

function replicas(): Y.Doc[] {
  return Array.from({ length: REPLICAS }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = 10 + i;
    return doc;
  });
}

/** Where a line may start: the text's start and just after each line break. */
function lineStart(text: Y.Text, line: number): number {
  const starts = [0];
  const content = text.toString();
  for (let i = 0; i < content.length; i++) if (content[i] === '\n') starts.push(i + 1);
  return starts[line % starts.length]!;
}

/** Runs one op; returns the words it wrote, or null when it wrote nothing. */
function run(docs: Y.Doc[], op: Op, step: number): string | null {
  if (op.k === 'deliver') {
    deliver(docs[op.a]!, docs[op.b]!);
    return null;
  }
  const doc = docs[op.r]!;
  const id = IDS[op.u]!;
  const words = `«${op.k} ${op.r}.${step}»`;
  if (op.k === 'save') {
    // A link already saved here keeps what it has: only a new one takes the note.
    return addItem(doc, { url: URLS[op.u]!, note: words }, actor(op.r)).created ? words : null;
  }
  if (!itemAt(doc, id)) return null;
  if (op.k === 'append') appendNote(doc, id, words, actor(op.r));
  else if (op.k === 'type')
    writeNote(doc, id, (text) => text.insert(lineStart(text, op.line), `${words}\n`), actor(op.r));
  else doc.transact(() => doc.getText(`note:${id}`).insert(0, `${words}\n`));
  return words;
}

/** Which text is primary, in terms that compare across replicas. */
function primaryName(doc: Y.Doc, id: string): string | null {
  const primary = primaryNote(doc, id);
  if (!primary) return null;
  return primary._item?.parentSub ?? 'legacy root';
}

const byId = (rows: Iterable<ItemRow>) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('notes across replicas', () => {
  it('converge, and hold every word any replica typed, whatever the order of syncs', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        const docs = replicas();
        // One replica's rows kept current transaction by transaction, as the app keeps them.
        const live = new Map<string, ItemRow>();
        const materializer = new Materializer(docs[0]!, 'm0');
        materializer.subscribe((changes) => {
          changes.upserts.forEach((row) => live.set(row.id, row));
          changes.removals.forEach((id) => live.delete(id));
        });
        const written: Array<{ id: string; words: string }> = [];
        ops.forEach((op, step) => {
          const words = run(docs, op, step);
          if (words !== null && 'u' in op) written.push({ id: IDS[op.u]!, words });
        });
        for (let round = 0; round < 2; round++)
          for (const a of docs) for (const b of docs) deliver(a, b);

        const rows = byId(materializeAll(docs[0]!, 'm0'));
        for (const doc of docs) expect(byId(materializeAll(doc, 'm0'))).toEqual(rows);
        expect(byId(live.values())).toEqual(rows);
        for (const id of IDS) {
          const names = docs.map((doc) => primaryName(doc, id));
          expect(new Set(names).size).toBe(1);
        }
        for (const { id, words } of written) {
          const row = rows.find((row) => row.id === id);
          expect(row?.note).toContain(words);
        }
        materializer.destroy();
      }),
      { numRuns: Number(process.env.NOTES_RUNS ?? 300) },
    );
  });

  it('two replicas that save the same link offline keep both notes, the smaller key primary', () => {
    const [a, b] = replicas() as [Y.Doc, Y.Doc];
    addItem(a, { url: URLS[0]!, note: 'from a' }, actor(0));
    addItem(b, { url: URLS[0]!, note: 'from b' }, actor(1));
    deliver(a, b);
    deliver(b, a);
    const id = IDS[0]!;
    for (const doc of [a, b]) {
      expect(readNote(doc, [id])).toBe('from a\n\nfrom b\n');
      expect(primaryName(doc, id)).toBe(`${id}/10`);
    }
    appendNote(b, id, 'more from b', actor(1));
    deliver(b, a);
    expect(readNote(a, [id])).toBe('from a\nmore from b\n\nfrom b\n');
  });

  it('adds no root type, however many notes there are', () => {
    // A root per note made every full-state encode scan all roots for each note's text.
    const doc = new Y.Doc();
    addItem(doc, { url: URLS[0]!, note: 'one' }, actor(0));
    const roots = doc.share.size;
    for (let i = 0; i < 50; i++)
      addItem(doc, { url: `https://many.example/${i}`, note: `note ${i}` }, actor(0));
    expect(doc.share.size).toBe(roots);
    expect(doc.getMap(ROOT.notes).size).toBe(51);
  });

  it('a new URL carries the whole note, however long (rows show only its first 20,000)', () => {
    const doc = replicas()[0]!;
    const long = `${'x'.repeat(25_000)}\n`;
    const { id } = addItem(doc, { url: URLS[0]!, note: long }, actor(0));
    const next = changeItemUrl(doc, id, URLS[1]!, actor(0));
    expect(primaryNote(doc, next)!.toString()).toBe(long);
    expect(readNote(doc, [id])).toBe('');
  });

  it('purging empties every text of the note but keeps their keys', () => {
    const [a, b] = replicas() as [Y.Doc, Y.Doc];
    addItem(a, { url: URLS[0]!, note: 'from a' }, actor(0));
    deliver(a, b);
    purgeItems(a, [IDS[0]!], actor(0));
    // Typed by a replica that has not heard of the purge: it survives in the same text.
    appendNote(b, IDS[0]!, 'typed meanwhile', actor(1));
    deliver(a, b);
    deliver(b, a);
    expect(readNote(a, [IDS[0]!])).toBe('typed meanwhile\n');
    expect(noteParts(a, IDS[0]!)).toHaveLength(1);
  });
});

describe("the note editor's undo history", () => {
  it('takes back the first words and what followed, never the text they started', () => {
    const [a, b] = replicas() as [Y.Doc, Y.Doc];
    addItem(a, { url: URLS[0]!, title: 'No note yet' }, actor(0));
    deliver(a, b);
    const id = IDS[0]!;
    const typing = { editor: true };
    const undo = noteUndoManager(a, typing);
    writeNote(a, id, (text) => text.insert(0, 'First'), { ...actor(0), origin: typing });
    undo.stopCapturing();
    a.transact(() => primaryNote(a, id)!.insert(5, ' words'), typing);
    deliver(a, b);
    appendNote(b, id, 'from b', actor(1));
    deliver(b, a);
    while (undo.undo());
    expect(readNote(a, [id])).toBe('\nfrom b\n');
    expect(a.getMap(ROOT.notes).size).toBe(1);
    while (undo.redo());
    expect(readNote(a, [id])).toBe('First words\nfrom b\n');
  });
});

describe('a note written by a schema-2 client', () => {
  /** A collection as schema 2 wrote it: the item's fields and the note as a root text. */
  function schema2Doc(note: string): Y.Doc {
    const doc = new Y.Doc();
    doc.clientID = 99;
    addItem(doc, { url: URLS[0]!, title: 'Old' }, actor(0));
    doc.transact(() => {
      doc.getMap(ROOT.meta).set('schemaVersion', 2);
      if (note) doc.getText(`note:${IDS[0]!}`).insert(0, note);
    });
    return doc;
  }

  it('is read, and written to while it holds text, so older clients see what is typed', () => {
    const old = schema2Doc('typed on an old client\n');
    const doc = replicas()[0]!;
    deliver(old, doc);
    const id = IDS[0]!;
    expect(materializeAll(doc, 'm0')[0]!.note).toBe('typed on an old client\n');
    appendNote(doc, id, 'typed on a new one', actor(0));
    writeNote(doc, id, (text) => text.insert(text.length, 'and in the editor\n'), actor(0));
    expect(doc.getMap(ROOT.notes).size).toBe(0);
    deliver(doc, old);
    expect(old.getText(`note:${id}`).toString()).toBe(
      'typed on an old client\ntyped on a new one\nand in the editor\n',
    );
  });

  it('beside a note a new client started at the same time, both are read, the old one first', () => {
    const old = schema2Doc('');
    const doc = replicas()[0]!;
    deliver(old, doc);
    const id = IDS[0]!;
    appendNote(doc, id, 'new client', actor(0));
    old.transact(() => old.getText(`note:${id}`).insert(0, 'old client\n'));
    deliver(old, doc);
    deliver(doc, old);
    expect(readNote(doc, [id])).toBe('old client\n\nnew client\n');
    expect(primaryName(doc, id)).toBe('legacy root');
    expect(materializeAll(old, 'm0')).toEqual(materializeAll(doc, 'm0'));
  });
});
