// Three hubs on one database, each running its rooms' work in order as a hub does, all at once:
// random appends, group commits, catch-ups by number, compactions of what a hub has applied and
// reloads. Whatever the interleaving, every hub loads the document that all appended updates
// make, and each room's numbers run from 1 without a gap.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PgRoomStore } from '../pg-store';
import { itemsOf, rebuild, usePostgres } from './test-kit';

const db = usePostgres();
const HUBS = 3;
const ROOMS = ['a', 'b'] as const;
type Room = (typeof ROOMS)[number];

type Op =
  | { kind: 'append'; hub: number; room: Room; key: string; value: number }
  | { kind: 'group'; hub: number; edits: { room: Room; key: string; value: number }[] }
  | { kind: 'catchUp' | 'compact' | 'reload'; hub: number; room: Room };

const hub = fc.nat(HUBS - 1);
const room = fc.constantFrom(...ROOMS);
const edit = { room, key: fc.constantFrom('k0', 'k1', 'k2', 'k3'), value: fc.nat(1000) };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('append' as const), hub, ...edit }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('group' as const),
      hub,
      edits: fc.array(fc.record(edit), { minLength: 1, maxLength: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('catchUp' as const), hub, room }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('compact' as const), hub, room }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reload' as const), hub, room }) },
);

/** What one hub holds of a room: a document with every update up to `head` applied. */
interface Replica {
  doc: Y.Doc;
  head: number;
}

class Hub {
  private readonly replicas = new Map<Room, Replica>(
    ROOMS.map((r) => [r, { doc: new Y.Doc(), head: 0 }]),
  );

  constructor(
    readonly store: PgRoomStore,
    private readonly appended: Record<Room, { seq: number; update: Uint8Array }[]>,
  ) {}

  async run(op: Op): Promise<void> {
    if (op.kind === 'append') return this.commit([op]);
    if (op.kind === 'group') return this.commit(op.edits);
    const replica = this.replicas.get(op.room)!;
    if (op.kind === 'catchUp') {
      for (const entry of await this.store.updatesSince(op.room, replica.head)) {
        Y.applyUpdate(replica.doc, entry.update);
        replica.head = entry.seq;
      }
    } else if (op.kind === 'compact') {
      // Only what this hub has applied, up to the newest number it holds without a gap.
      if (replica.head > 0) {
        await this.store.compact(op.room, replica.head, Y.encodeStateAsUpdate(replica.doc));
      }
    } else {
      const log = await this.store.load(op.room);
      this.replicas.set(op.room, { doc: rebuild(log.updates), head: log.head });
    }
  }

  private async commit(edits: { room: Room; key: string; value: number }[]): Promise<void> {
    const updates = edits.map(({ room, key, value }) => {
      const { doc } = this.replicas.get(room)!;
      let update: Uint8Array | undefined;
      doc.once('update', (u: Uint8Array) => (update = u));
      doc.getMap('items').set(key, value);
      return { room, update: update! };
    });
    const seqs = await this.store.appendMany(updates);
    updates.forEach(({ room, update }, i) => {
      this.appended[room].push({ seq: seqs[i]!, update });
      const replica = this.replicas.get(room)!;
      // Its own update extends what it holds only when nothing from other hubs came between.
      if (seqs[i] === replica.head + 1) replica.head = seqs[i]!;
    });
  }
}

it('converges on every hub under any interleaving of appends, compactions and reloads', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { maxLength: 8 }),
      async (rounds) => {
        const appended: Record<Room, { seq: number; update: Uint8Array }[]> = { a: [], b: [] };
        const hubs = (await db.hubs(HUBS)).map((store) => new Hub(store, appended));
        try {
          for (const round of rounds) {
            // Hubs work at once; each hub does its share of the round in order, as its rooms do.
            await Promise.all(
              hubs.map(async (h, i) => {
                for (const o of round) if (o.hub === i) await h.run(o);
              }),
            );
          }
          for (const r of ROOMS) {
            const seqs = appended[r].map((e) => e.seq).sort((x, y) => x - y);
            expect(seqs).toEqual(seqs.map((_, i) => i + 1));
            const truth = rebuild(appended[r].map((e) => e.update));
            for (const h of hubs) {
              const log = await h.store.load(r);
              expect(log.head).toBe(seqs.length);
              const loaded = rebuild(log.updates);
              expect(itemsOf(loaded)).toEqual(itemsOf(truth));
              expect(Y.decodeStateVector(Y.encodeStateVector(loaded))).toEqual(
                Y.decodeStateVector(Y.encodeStateVector(truth)),
              );
            }
          }
        } finally {
          await Promise.all(hubs.map((h) => h.store.close()));
        }
      },
    ),
    { numRuns: 25 },
  );
  // Room for shrinking a failure to its smallest case; a passing run takes seconds.
}, 300_000);
