// The contract every RoomStore backend passes (SQLite now; PostgreSQL or Redis when rooms are
// sharded). Run it from a backend's test file with a factory for a fresh, empty store.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoomStore } from './room-store';

type Op = { kind: 'append'; room: 'a' | 'b'; value: number } | { kind: 'compact'; room: 'a' | 'b' };

const update = (value: number) => Uint8Array.from([value & 0xff, value >> 8, 7, 7]);

export function roomStoreContract(name: string, open: () => Promise<RoomStore>): void {
  describe(`RoomStore contract: ${name}`, () => {
    it('loads an empty log for an unknown room', async () => {
      const store = await open();
      expect(await store.load('nobody')).toEqual({ updates: [], head: 0 });
      await store.close();
    });

    it('returns appended updates in order with increasing sequence numbers', async () => {
      const store = await open();
      const first = await store.append('r', update(1));
      const second = await store.append('r', update(2));
      await store.append('other', update(3));
      expect(second).toBeGreaterThan(first);
      const log = await store.load('r');
      expect(log.updates.map((u) => Array.from(u))).toEqual(
        [update(1), update(2)].map((u) => Array.from(u)),
      );
      expect(log.head).toBe(second);
      await store.close();
    });

    it('commits a group of updates to several rooms, numbered in the order given', async () => {
      const store = await open();
      const before = await store.append('a', update(1));
      const seqs = await store.appendMany([
        { room: 'a', update: update(2) },
        { room: 'b', update: update(3) },
        { room: 'a', update: update(4) },
      ]);
      expect(seqs).toHaveLength(3);
      expect(seqs[0]).toBeGreaterThan(before);
      expect(seqs[2]).toBeGreaterThan(seqs[0]!);
      const a = await store.load('a');
      expect(a.updates.map((u) => Array.from(u))).toEqual(
        [update(1), update(2), update(4)].map((u) => Array.from(u)),
      );
      expect(a.head).toBe(seqs[2]);
      expect((await store.load('b')).head).toBe(seqs[1]);
      expect(await store.appendMany([])).toEqual([]);
      await store.close();
    });

    it('does not let callers mutate what it stored', async () => {
      const store = await open();
      const bytes = update(5);
      await store.append('r', bytes);
      bytes[0] = 99;
      const [loaded] = (await store.load('r')).updates;
      loaded![1] = 99;
      expect(Array.from((await store.load('r')).updates[0]!)).toEqual(Array.from(update(5)));
      await store.close();
    });

    it('compacts up to a sequence number and keeps later updates after the snapshot', async () => {
      const store = await open();
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      const seqs: number[] = [];
      for (let i = 0; i < 5; i++) {
        doc.getMap('m').set(`k${i}`, i);
        seqs.push(await store.append('r', updates.at(-1)!));
      }
      await store.compact('r', seqs[2]!, Y.mergeUpdates(updates.slice(0, 3)));
      const log = await store.load('r');
      expect(log.updates).toHaveLength(3);
      expect(log.head).toBe(seqs[4]);
      const rebuilt = new Y.Doc();
      for (const u of log.updates) Y.applyUpdate(rebuilt, u);
      expect(rebuilt.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
      const next = await store.append('r', update(9));
      expect(next).toBeGreaterThan(seqs[4]!);
      await store.close();
    });

    it('matches a simple model under any sequence of appends and compactions', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.record({
                kind: fc.constant('append' as const),
                room: fc.constantFrom('a' as const, 'b' as const),
                value: fc.nat(60_000),
              }),
              fc.record({
                kind: fc.constant('compact' as const),
                room: fc.constantFrom('a' as const, 'b' as const),
              }),
            ),
            { maxLength: 30 },
          ),
          async (ops: Op[]) => {
            const store = await open();
            // The model: each room's values, where a compaction folds all into one entry.
            const model = { a: [] as number[][], b: [] as number[][] };
            for (const op of ops) {
              if (op.kind === 'append') {
                await store.append(op.room, update(op.value));
                model[op.room].push(Array.from(update(op.value)));
              } else {
                const log = await store.load(op.room);
                if (log.head === 0) continue;
                const folded = model[op.room].flat();
                await store.compact(op.room, log.head, Uint8Array.from(folded));
                model[op.room] = [folded];
              }
            }
            for (const room of ['a', 'b'] as const) {
              const log = await store.load(room);
              expect(log.updates.map((u) => Array.from(u))).toEqual(model[room]);
            }
            await store.close();
          },
        ),
        { numRuns: 40 },
      );
    });
  });
}
