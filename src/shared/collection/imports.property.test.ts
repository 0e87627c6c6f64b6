// Undo import on replicas that edit, sync late and undo from anywhere: the undo removes what the
// import added and nothing else. Checked against the document itself (which structs the undo
// deleted, which of the import's structs are still there) and against the rows the curator sees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemRow } from '../model';
import {
  addItem,
  addTags,
  appendNote,
  commitImport,
  itemAt,
  markRead,
  markUnread,
  materializeAll,
  moveToTrash,
  removeTags,
  restoreFromTrash,
  ROOT,
  undoImport,
  updateItem,
  type Actor,
} from '.';
import { importEntry } from './imports.testing';

const REPLICAS = 3;
const URLS = Array.from({ length: 6 }, (_, i) => `https://site${i}.example/post`);
const IDS = URLS.map((url) => importEntry({ url }).id);
const OP_TAGS = ['op-a', 'both'];
const IMPORT_TAGS = ['imp-a', 'both'];
const member = (r: number) => `m${r}`;
const ORIGINS = Array.from({ length: REPLICAS }, (_, r) => ({ replica: r }));

type Op =
  | { k: 'sync'; a: number; b: number }
  | { k: 'title'; r: number; u: number; v: string }
  | { k: 'tag' | 'untag'; r: number; u: number; t: number }
  | { k: 'note' | 'read' | 'unread' | 'trash' | 'restore' | 'add'; r: number; u: number };

const r = fc.nat(REPLICAS - 1);
const u = fc.nat(URLS.length - 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('sync' as const), a: r, b: r }) },
  fc.record({ k: fc.constant('title' as const), r, u, v: fc.constantFrom('x', 'y') }),
  fc.record({ k: fc.constantFrom('tag' as const, 'untag' as const), r, u, t: fc.nat(1) }),
  fc.record({
    k: fc.constantFrom(
      'note' as const,
      'read' as const,
      'unread' as const,
      'trash' as const,
      'restore' as const,
      'add' as const,
    ),
    r,
    u,
  }),
);

const scenarioArb = fc.record({
  base: fc.subarray([0, 1, 2, 3, 4, 5]),
  baseTrashed: fc.subarray([0, 1, 2, 3, 4, 5]),
  importer: r,
  imported: fc.array(
    fc.record({
      u,
      tags: fc.subarray([0, 1]),
      note: fc.boolean(),
      read: fc.boolean(),
      published: fc.boolean(),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  before: fc.array(opArb, { maxLength: 8 }),
  undoer: r,
  after: fc.array(opArb, { maxLength: 8 }),
});

interface Done {
  op: Op;
  /** The text a note op appended. */
  note: string;
  /** The structs it created: `client` from `start` to `end`. */
  client: number;
  start: number;
  end: number;
  deleted: Y.ID[];
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** Runs `fn` on a replica and records what it wrote and deleted. */
function recorded(doc: Y.Doc, fn: () => void): Omit<Done, 'op' | 'note'> {
  const start = Y.getState(doc.store, doc.clientID);
  const deleted: Y.ID[] = [];
  const listen = (tr: Y.Transaction) => {
    if (!tr.local) return;
    for (const [client, ranges] of tr.deleteSet.clients)
      for (const { clock, len } of ranges)
        for (let c = clock; c < clock + len; c++) deleted.push(Y.createID(client, c));
  };
  doc.on('afterTransaction', listen);
  fn();
  doc.off('afterTransaction', listen);
  return { client: doc.clientID, start, end: Y.getState(doc.store, doc.clientID), deleted };
}

function runOp(docs: Y.Doc[], op: Op, step: number): void {
  if (op.k === 'sync') return sync(docs[op.a]!, docs[op.b]!);
  const doc = docs[op.r]!;
  const actor: Actor = { memberId: member(op.r), now: () => 1000 + step, origin: ORIGINS[op.r] };
  const id = IDS[op.u]!;
  switch (op.k) {
    case 'title':
      return void updateItem(doc, id, { title: op.v }, actor);
    case 'tag':
      return addTags(doc, [id], [OP_TAGS[op.t]!], actor);
    case 'untag':
      return removeTags(doc, [id], [OP_TAGS[op.t]!], actor);
    case 'note':
      // As the note editor does: only a link on screen gets a note.
      return void (itemAt(doc, id) && appendNote(doc, id, `op${step}`, actor));
    case 'read':
      return markRead(doc, [id], actor);
    case 'unread':
      return markUnread(doc, [id], actor);
    case 'trash':
      return moveToTrash(doc, [id], actor);
    case 'restore':
      return restoreFromTrash(doc, [id], actor);
    case 'add':
      return void addItem(doc, { url: URLS[op.u]!, title: 'saved' }, actor);
  }
}

/** The link a struct belongs to, read straight from its parent and key. */
function linkOf(item: Y.Item): string | null {
  const parent = item.parent as Y.AbstractType<Y.YEvent<Y.Text>>;
  // Text in a note's text under `notes`, keyed `<itemId>/<clientId>`.
  if (parent._item !== null) return parent._item.parentSub?.split('/')[0] ?? null;
  if (item.parentSub !== null) return item.parentSub.split('/')[0]!;
  const name = Y.findRootTypeKey(parent);
  return name.startsWith('note:') ? name.slice(5) : null;
}

/**
 * A note's text itself, under its `notes` key: an undo empties it of the import's words but
 * keeps it, so that what someone types into it meanwhile is not lost with the key.
 */
function noteTextEntry(doc: Y.Doc, item: Y.Item): boolean {
  return item.parent === doc.getMap(ROOT.notes) && item.content instanceof Y.ContentType;
}

/** Whether another client wrote the same key at the same time (over the same value). */
function sharedWrite(item: Y.Item): boolean {
  if (item.parentSub === null) return false;
  const last = (item.parent as Y.Map<unknown>)._map.get(item.parentSub);
  for (let other = last ?? null; other; other = other.left) {
    const sameOrigin =
      other.origin === item.origin ||
      (other.origin !== null && item.origin !== null && Y.compareIDs(other.origin, item.origin));
    if (other.id.client !== item.id.client && sameOrigin) return true;
  }
  return false;
}

function structsIn(doc: Y.Doc, client: number, clock: number, length: number): Y.Item[] {
  const out: Y.Item[] = [];
  for (const struct of doc.store.clients.get(client) ?? []) {
    if (!(struct instanceof Y.Item)) continue;
    if (struct.id.clock < clock + length && struct.id.clock + struct.length > clock)
      out.push(struct);
  }
  return out;
}

/** What the curator sees of a link, read marks aside. */
const visible = (row: ItemRow | undefined) =>
  row && {
    url: row.url,
    title: row.title,
    description: row.description,
    tags: row.tags,
    note: row.note,
    deletedAt: row.deletedAt,
    publications: row.publications,
  };

const rowsById = (doc: Y.Doc) =>
  new Map(
    materializeAll(doc, 'm0')
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((row) => [row.id, row]),
  );

describe('undoImport across replicas', () => {
  it('removes exactly what the import added, and only that', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const docs = Array.from({ length: REPLICAS }, (_, i) => {
          const doc = new Y.Doc();
          doc.clientID = i + 1;
          return doc;
        });
        const base: Actor = { memberId: member(0), now: () => 1, origin: ORIGINS[0] };
        for (const i of s.base) addItem(docs[0]!, { url: URLS[i]!, tags: ['op-a'] }, base);
        moveToTrash(
          docs[0]!,
          s.baseTrashed.map((i) => IDS[i]!),
          base,
        );
        for (const doc of docs.slice(1)) sync(docs[0]!, doc);

        const done: Done[] = [];
        let step = 0;
        const play = (ops: Op[]) => {
          for (const op of ops) {
            const note = `op${step}`;
            const doc = docs[op.k === 'sync' ? op.a : op.r]!;
            done.push({ op, note, ...recorded(doc, () => runOp(docs, op, step++)) });
          }
        };

        const importer = docs[s.importer]!;
        const importActor: Actor = {
          memberId: member(s.importer),
          now: () => 500,
          origin: { import: true },
        };
        const { record } = commitImport(
          importer,
          {
            id: '3lbimport2aaa',
            format: 'netscape',
            entries: s.imported.map((e, n) =>
              importEntry({
                url: URLS[e.u]!,
                tags: e.tags.map((t) => IMPORT_TAGS[t]!),
                note: e.note ? `IMPNOTE${n}` : '',
                read: e.read,
                readAt: 7,
                publications: e.published
                  ? [{ target: 'bluesky', key: '3kabc2def3ghi', at: 1, state: 'published' }]
                  : [],
              }),
            ),
          },
          importActor,
        );
        if (!record) return;
        const afterImport = rowsById(importer);

        play(s.before);
        const undoer = docs[s.undoer]!;
        // Whoever undoes it must have heard of it.
        sync(importer, undoer);
        const seenDeletes = Y.createDeleteSetFromStructStore(undoer.store);
        const seenState = Y.decodeStateVector(Y.encodeStateVector(undoer));
        const seen = (d: Done) =>
          (seenState.get(d.client) ?? 0) >= d.end &&
          d.deleted.every((id) => Y.isDeleted(seenDeletes, id));
        const beforeUndo = rowsById(undoer);
        const live = new Set<string>();
        for (const [client, structs] of undoer.store.clients)
          for (const struct of structs)
            if (struct instanceof Y.Item && !struct.deleted)
              live.add(`${client}:${struct.id.clock}`);

        const undoActor: Actor = {
          memberId: member(s.undoer),
          now: () => 900,
          origin: ORIGINS[s.undoer],
        };
        let undoTr: Y.Transaction | null = null;
        const catchTr = (tr: Y.Transaction) => void (undoTr = tr);
        undoer.on('afterTransaction', catchTr);
        const outcome = undoImport(undoer, record.id, undoActor);
        undoer.off('afterTransaction', catchTr);
        const afterUndo = rowsById(undoer);
        const created = record.created.filter((id) => beforeUndo.has(id));
        const removed = new Set(created.filter((id) => !afterUndo.has(id)));
        const kept = new Set(created.filter((id) => afterUndo.has(id)));
        expect(outcome).toMatchObject({ removed: removed.size, kept: kept.size });
        const inImport = (item: Y.Item) =>
          item.id.client === record.writes.client &&
          item.id.clock >= record.writes.clock &&
          item.id.clock < record.writes.clock + record.writes.length;

        // Only that: every struct the undo deleted is the import's or lies on a link it removed.
        Y.iterateDeletedStructs(undoTr!, undoTr!.deleteSet, (struct) => {
          if (!(struct instanceof Y.Item)) return;
          if (!live.has(`${struct.id.client}:${struct.id.clock}`) && !inImport(struct)) return;
          const link = linkOf(struct);
          expect(inImport(struct) || (link !== null && removed.has(link))).toBe(true);
          // A link kept stays whole, what the import put on it included.
          expect(link !== null && kept.has(link)).toBe(false);
        });
        // Removing a link loses nothing anyone could see on it but read marks.
        for (const id of removed)
          expect(visible(beforeUndo.get(id))).toEqual(visible(afterImport.get(id)));
        // A link is kept for a reason: it looks different, or someone else wrote on it.
        for (const id of kept) {
          const touched = done.some(
            (d) =>
              d.op.k !== 'sync' &&
              d.op.k !== 'read' &&
              d.op.k !== 'unread' &&
              IDS[d.op.u] === id &&
              (d.end > d.start || d.deleted.length > 0) &&
              seen(d),
          );
          expect(
            touched ||
              JSON.stringify(visible(beforeUndo.get(id))) !==
                JSON.stringify(visible(afterImport.get(id))),
          ).toBe(true);
        }

        play(s.after);
        for (let round = 0; round < 2; round++)
          for (let a = 0; a < REPLICAS; a++)
            for (let b = 0; b < REPLICAS; b++) sync(docs[a]!, docs[b]!);

        const finals = docs.map(rowsById);
        for (const rows of finals.slice(1))
          expect([...rows.values()]).toEqual([...finals[0]!.values()]);
        for (const doc of docs) {
          // Exactly what it added: nothing of the import is left but on the links kept.
          for (const item of structsIn(
            doc,
            record.writes.client,
            record.writes.clock,
            record.writes.length,
          )) {
            if (!item.deleted)
              expect(kept.has(linkOf(item)!) || sharedWrite(item) || noteTextEntry(doc, item)).toBe(
                true,
              );
          }
        }
        // Others' work is still there on every link still shown: notes, tags, read marks.
        const rows = finals[0]!;
        const effectful = (d: Done) => d.end > d.start || d.deleted.length > 0;
        const undid = (d: Done, k: Op['k']) =>
          done.some(
            (o) =>
              o.op.k === k &&
              effectful(o) &&
              'u' in o.op &&
              'u' in d.op &&
              o.op.u === d.op.u &&
              (k !== 'untag' || ('t' in o.op && 't' in d.op && o.op.t === d.op.t)) &&
              (k !== 'unread' || ('r' in o.op && 'r' in d.op && o.op.r === d.op.r)),
          );
        for (const d of done) {
          if (d.op.k === 'sync' || !effectful(d)) continue;
          const row = rows.get(IDS[d.op.u]!);
          if (!row) {
            // Only a link the undo removed is gone, with read marks, changes it had not seen, and
            // tags taken off (the link then carried nothing but the import's).
            const nothingLost = d.op.k === 'read' || d.op.k === 'unread' || d.op.k === 'untag';
            const at = done.indexOf(d);
            const untaggedLater =
              d.op.k === 'tag' &&
              done.some(
                (o, i) =>
                  i > at &&
                  o.op.k === 'untag' &&
                  effectful(o) &&
                  'u' in d.op &&
                  'u' in o.op &&
                  o.op.u === d.op.u &&
                  't' in d.op &&
                  't' in o.op &&
                  o.op.t === d.op.t,
              );
            expect(removed.has(IDS[d.op.u]!) && (nothingLost || !seen(d) || untaggedLater)).toBe(
              true,
            );
            continue;
          }
          if (d.op.k === 'note') expect(row.note).toContain(d.note);
          if (d.op.k === 'tag' && (d.op.t === 0 || seen(d)) && !undid(d, 'untag'))
            expect(row.tags).toContain(OP_TAGS[d.op.t]);
          if (d.op.k === 'read' && d.op.r !== s.importer && !undid(d, 'unread'))
            expect(row.readBy[member(d.op.r)]).toBeDefined();
        }
        for (const [id, row] of rows) {
          if (kept.has(id)) continue;
          expect(row.tags).not.toContain('imp-a');
          expect(row.note).not.toContain('IMPNOTE');
        }
      }),
      {
        numRuns: Number(process.env.IMPORT_UNDO_RUNS ?? 300),
        examples: [
          // A link tagged and untagged again by the replica that then undoes the import.
          [
            {
              base: [],
              baseTrashed: [],
              importer: 0,
              imported: [{ u: 1, tags: [], note: false, read: false, published: false }],
              before: [
                { k: 'tag', r: 0, u: 1, t: 0 },
                { k: 'untag', r: 0, u: 1, t: 0 },
              ],
              undoer: 0,
              after: [],
            },
          ],
        ],
      },
    );
  });
});
