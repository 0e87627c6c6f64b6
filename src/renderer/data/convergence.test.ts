// Replicas that see messages late, twice, out of order or never (until they reconnect), split into
// partitions and crash, must still end with identical rows, and nothing a replica had made durable
// before a crash may be missing. CURIO_SOAK=1 (npm run test:soak) runs it 100 times larger.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { hasUrl, itemIdForUrl, materializeAll } from '../../shared/collection';
import type { ItemRow, Member } from '../../shared/model';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { InlineSearch } from './search-client';

const SOAK = process.env.CURIO_SOAK === '1';
const REPLICAS = 4;
const URLS = Array.from({ length: 8 }, (_, i) => `https://site${i % 5}.example/post/${i}`);
const NET = Symbol('net');

type Action =
  | { t: 'add'; r: number; u: number; tag: string; note: string }
  | { t: 'title'; r: number; u: number; title: string }
  | { t: 'tags'; r: number; u: number; tags: string[] }
  | { t: 'read'; r: number; u: number }
  | { t: 'unread'; r: number; u: number }
  | { t: 'trash'; r: number; u: number }
  | { t: 'restore'; r: number; u: number }
  | { t: 'type'; r: number; u: number; text: string; at: number }
  | { t: 'deliver'; pick: number; dup: boolean }
  | { t: 'drop'; pick: number }
  | { t: 'partition'; side: boolean[] }
  | { t: 'heal' }
  | { t: 'reconnect'; a: number; b: number }
  | { t: 'flush'; r: number }
  | { t: 'crash'; r: number };

const r = fc.nat(REPLICAS - 1);
const u = fc.nat(URLS.length - 1);
const w = fc.string({ minLength: 1, maxLength: 5 });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('add' as const),
      r,
      u,
      tag: fc.constantFrom('a', 'b', 'c'),
      note: w,
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('title' as const), r, u, title: w }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('tags' as const),
      r,
      u,
      tags: fc.subarray(['a', 'b', 'c', 'd']),
    }),
  },
  fc.record({ t: fc.constant('read' as const), r, u }),
  fc.record({ t: fc.constant('unread' as const), r, u }),
  fc.record({ t: fc.constant('trash' as const), r, u }),
  fc.record({ t: fc.constant('restore' as const), r, u }),
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('type' as const), r, u, text: w, at: fc.nat(50) }),
  },
  {
    weight: 8,
    arbitrary: fc.record({ t: fc.constant('deliver' as const), pick: fc.nat(), dup: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('drop' as const), pick: fc.nat() }) },
  fc.record({
    t: fc.constant('partition' as const),
    side: fc.array(fc.boolean(), { minLength: REPLICAS, maxLength: REPLICAS }),
  }),
  fc.constant({ t: 'heal' as const }),
  fc.record({ t: fc.constant('reconnect' as const), a: r, b: r }),
  fc.record({ t: fc.constant('flush' as const), r }),
  fc.record({ t: fc.constant('crash' as const), r }),
);

interface Replica {
  lib: LocalLibrary;
  factory: IDBFactory;
  member: Member;
  /**
   * The replica's whole state each time the update log said it was flushed: everything in it was
   * durable at that moment, so no later crash may lose any of it.
   */
  durable: Uint8Array[];
}

interface Message {
  from: number;
  to: number;
  update: Uint8Array;
}

async function openReplica(factory: IDBFactory, member: Member): Promise<LocalLibrary> {
  return LocalLibrary.open({
    collectionId: 'shared',
    me: member,
    db: new CollectionDb('shared', factory, IDBKeyRange),
    search: new InlineSearch(),
    compaction: { maxRows: 20, maxBytes: 1_000_000 },
  });
}

class Network {
  queue: Message[] = [];
  cut = new Set<string>();
  replicas: Replica[] = [];

  attach(index: number): void {
    const doc = this.replicas[index]!.lib.doc;
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === NET) return;
      for (let to = 0; to < REPLICAS; to++)
        if (to !== index) this.queue.push({ from: index, to, update });
    });
  }

  linked(a: number, b: number): boolean {
    return !this.cut.has(`${a}:${b}`);
  }

  deliver(pick: number, dup: boolean): void {
    if (!this.queue.length) return;
    const i = pick % this.queue.length;
    const msg = this.queue[i]!;
    if (!dup) this.queue.splice(i, 1);
    if (!this.linked(msg.from, msg.to)) return; // lost in the partition; anti-entropy repairs it
    Y.applyUpdate(this.replicas[msg.to]!.lib.doc, msg.update, NET);
  }

  /** What y-websocket does on (re)connect: exchange state vectors, send each other the difference. */
  reconnect(a: number, b: number): void {
    if (a === b || !this.linked(a, b)) return;
    const da = this.replicas[a]!.lib.doc;
    const db = this.replicas[b]!.lib.doc;
    Y.applyUpdate(db, Y.encodeStateAsUpdate(da, Y.encodeStateVector(db)), NET);
    Y.applyUpdate(da, Y.encodeStateAsUpdate(db, Y.encodeStateVector(da)), NET);
  }
}

function mutate(
  lib: LocalLibrary,
  a: Exclude<
    Action,
    { t: 'deliver' | 'drop' | 'partition' | 'heal' | 'reconnect' | 'flush' | 'crash' }
  >,
) {
  const url = URLS[a.u]!;
  const id = itemIdForUrl(url);
  const exists = hasUrl(lib.doc.getMap('items'), id);
  switch (a.t) {
    case 'add':
      return lib.addLink({ url, tags: [a.tag], note: a.note });
    case 'title':
      return lib.updateItem(id, { title: a.title });
    case 'tags':
      return lib.setTags(id, a.tags);
    case 'read':
      return lib.markRead([id]);
    case 'unread':
      return lib.markUnread([id]);
    case 'trash':
      return lib.moveToTrash([id]);
    case 'restore':
      return lib.restore([id]);
    case 'type': {
      if (!exists) return;
      return lib.writeNote(id, (note) => note.insert(Math.min(a.at, note.length), a.text), {});
    }
  }
}

const view = (rows: ItemRow[]) =>
  rows
    .map(({ id, url, title, description, tags, note, deletedAt, readBy }) => ({
      id,
      url,
      title,
      description,
      tags,
      note,
      deletedAt,
      readBy,
    }))
    .sort((x, y) => x.id.localeCompare(y.id));

/** True when `doc` holds every insertion and every deletion of `update` (nothing was lost). */
function containsUpdate(doc: Y.Doc, update: Uint8Array): boolean {
  const probe = new Y.Doc();
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc));
  const before = Y.snapshot(probe);
  Y.applyUpdate(probe, update);
  const lost = !Y.equalSnapshots(before, Y.snapshot(probe));
  probe.destroy();
  return !lost;
}

async function runScenario(actions: Action[]): Promise<void> {
  const net = new Network();
  for (let i = 0; i < REPLICAS; i++) {
    const factory = new IDBFactory();
    const member: Member = { id: `m${i}`, name: `Member ${i}`, color: '#123456' };
    net.replicas.push({ lib: await openReplica(factory, member), factory, member, durable: [] });
    net.attach(i);
  }
  for (const a of actions) {
    if (a.t === 'deliver') net.deliver(a.pick, a.dup);
    else if (a.t === 'drop') net.queue.splice(a.pick % Math.max(1, net.queue.length), 1);
    else if (a.t === 'partition') {
      net.cut.clear();
      for (let x = 0; x < REPLICAS; x++)
        for (let y = 0; y < REPLICAS; y++) if (a.side[x] !== a.side[y]) net.cut.add(`${x}:${y}`);
    } else if (a.t === 'heal') net.cut.clear();
    else if (a.t === 'reconnect') net.reconnect(a.a, a.b);
    else if (a.t === 'flush') {
      const rep = net.replicas[a.r]!;
      await rep.lib.log!.flushed();
      rep.durable.push(Y.encodeStateAsUpdate(rep.lib.doc));
    } else if (a.t === 'crash') {
      const rep = net.replicas[a.r]!;
      rep.lib.log!.close(); // unflushed updates die with the process
      rep.lib.doc.destroy();
      rep.lib = await openReplica(rep.factory, rep.member);
      // What was flushed before the crash is back from disk alone, before any peer could help.
      for (const update of rep.durable) expect(containsUpdate(rep.lib.doc, update)).toBe(true);
      net.attach(a.r);
    } else mutate(net.replicas[a.r]!.lib, a);
  }
  // Everyone comes back online: heal, then a full round of reconnects (twice, for transitivity).
  net.cut.clear();
  net.queue = [];
  for (let round = 0; round < 2; round++)
    for (let x = 0; x < REPLICAS; x++) for (let y = x + 1; y < REPLICAS; y++) net.reconnect(x, y);
  const expected = view(materializeAll(net.replicas[0]!.lib.doc, 'm0'));
  for (const rep of net.replicas) {
    await rep.lib.log!.flushed();
    expect(view(materializeAll(rep.lib.doc, 'm0'))).toEqual(expected);
    // The in-memory rows the UI shows were kept in step incrementally, through crashes and merges.
    expect(view(rep.lib.store.all())).toEqual(view(materializeAll(rep.lib.doc, rep.member.id)));
    for (const update of rep.durable)
      expect(containsUpdate(net.replicas[0]!.lib.doc, update)).toBe(true);
  }
  for (const rep of net.replicas) await rep.lib.close();
}

describe('convergence of four replicas', () => {
  it(
    'ends identical under reorder, duplication, drops, partitions and crashes',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(actionArb, { minLength: 20, maxLength: SOAK ? 600 : 150 }),
          runScenario,
        ),
        {
          numRuns: SOAK ? 2000 : 25,
          ...(process.env.CURIO_SEED ? { seed: Number(process.env.CURIO_SEED) } : {}),
        },
      );
    },
    SOAK ? 3_600_000 : 60_000,
  );

  it('a week offline with 1,000 changes on each side converges in one reconnect', async () => {
    const net = new Network();
    for (let i = 0; i < 2; i++) {
      const factory = new IDBFactory();
      const member: Member = { id: `m${i}`, name: `Member ${i}`, color: '#123456' };
      net.replicas.push({ lib: await openReplica(factory, member), factory, member, durable: [] });
    }
    const [a, b] = net.replicas.map((x) => x.lib) as [LocalLibrary, LocalLibrary];
    a.addLink({ url: 'https://shared.example/both', note: 'base' });
    net.reconnect(0, 1);
    for (let i = 0; i < 1000; i++) {
      const side = i % 2 ? a : b;
      const other = i % 2 ? 'a' : 'b';
      if (i % 10 === 0) side.addLink({ url: `https://${other}.example/${i}`, tags: [other] });
      else side.updateItem(itemIdForUrl('https://shared.example/both'), { title: `${other} ${i}` });
      a.writeNote(itemIdForUrl('https://shared.example/both'), (t) => t.insert(0, '◆'), {});
      b.writeNote(itemIdForUrl('https://shared.example/both'), (t) => t.insert(0, '◇'), {});
    }
    net.reconnect(0, 1);
    expect(view(materializeAll(a.doc, 'm0'))).toEqual(view(materializeAll(b.doc, 'm0')));
    const note = materializeAll(a.doc, 'm0').find(
      (row) => row.url === 'https://shared.example/both',
    )!.note;
    expect(note.split('◆').length - 1).toBe(1000);
    expect(note.split('◇').length - 1).toBe(1000);
    expect(note).toContain('base');
    await a.close();
    await b.close();
  });
});
