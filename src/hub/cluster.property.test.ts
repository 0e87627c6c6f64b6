// Three hubs' rooms (the production Room, its group commit and its catch-up by number) on one
// PostgreSQL, one store per hub, with the announcements between hubs in the test's hands: each
// can arrive late, twice, out of order or never, hubs crash and come back, and rooms fold their
// logs as they go. Whatever the interleaving, once every room has had its periodic check all
// hubs hold the same document, and it is the one the log rebuilds.
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { GroupCommit } from './group-commit';
import { HubMetrics } from './metrics';
import type { PgRoomStore } from './pg-store';
import { itemsOf, rebuild, usePostgres } from './pg/test-kit';
import { encodeSyncStep1, encodeSyncStep2, encodeUpdate, readServerMessage } from './protocol';
import { Room, type Peer } from './room';
import { UpdateChecker } from './update-check';
import { systemClock } from './clock';
import * as decoding from 'lib0/decoding';
import { MESSAGE_CONFIRMED } from '../shared/sync';

const db = usePostgres();
const checker = new UpdateChecker();
afterAll(() => checker.close());

const HUBS = 3;
const ROOM = 'shared';

type Op =
  | { kind: 'write'; hub: number; key: string; value: number }
  | { kind: 'deliver' | 'repeat' | 'drop'; hub: number; pick: number; carry: boolean }
  | { kind: 'crash'; hub: number }
  | { kind: 'settle'; hub: number };

const hub = fc.nat(HUBS - 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      hub,
      key: fc.constantFrom('k0', 'k1', 'k2'),
      value: fc.nat(1000),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom('deliver' as const, 'repeat' as const, 'drop' as const),
      hub,
      pick: fc.nat(),
      // Whether the commit's updates ride along, as small ones do.
      carry: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), hub }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('settle' as const), hub }) },
);

/**
 * A member who stays with one hub: a Y.Doc with its own edits and what the hub sent it. When
 * its hub crashes it reconnects to the new instance and, as y-websocket does, answers the
 * hub's sync request with whatever the hub lacks.
 */
class Member {
  readonly doc = new Y.Doc();
  /** The state vectors the hubs confirmed to this member, in order. */
  readonly confirmed: Map<number, number>[] = [];

  connect(room: Room): Peer {
    const peer: Peer = {
      role: 'editor',
      member: 'ann',
      confirms: true,
      send: (message) => {
        const read = readServerMessage(message);
        if (read.type === 'other' && read.kind === MESSAGE_CONFIRMED) {
          const decoder = decoding.createDecoder(message);
          decoding.readVarUint(decoder);
          this.confirmed.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
        } else if (read.type === 'sync-step1') {
          const missing = Y.encodeStateAsUpdate(this.doc, read.stateVector);
          room.receive(peer, encodeSyncStep2(missing));
        } else if (read.type === 'sync-step2' || read.type === 'update') {
          Y.applyUpdate(this.doc, read.update, room);
        }
      },
      close: () => {},
    };
    room.join(peer);
    room.receive(peer, encodeSyncStep1(this.doc));
    return peer;
  }
}

/** One hub: its store, its group commit, its instance of the room, and its member. */
class Hub {
  room!: Room;
  /** Announcements sent to this hub and not yet delivered: the newest number, the updates. */
  readonly inbox: { seq: number; updates: Uint8Array[] }[] = [];
  readonly member = new Member();
  private peer!: Peer;

  constructor(
    private readonly store: PgRoomStore,
    private readonly announce: (from: Hub, seq: number, updates: Uint8Array[]) => void,
  ) {
    this.start();
  }

  /** A fresh process: a new room instance that loads the log, and the member reconnecting. */
  start(): void {
    const commits = new GroupCommit({
      appendMany: async (updates) => {
        const seqs = await this.store.appendMany(updates);
        // One room: the commit's numbers run without a gap up to the last.
        this.announce(
          this,
          seqs.at(-1)!,
          updates.map((u) => u.update),
        );
        return seqs;
      },
    });
    this.room = new Room(ROOM, {
      store: this.store,
      commits,
      cluster: {
        updatesSince: (room, seq) => this.store.updatesSince(room, seq),
        publishPresence: () => {},
      },
      metrics: new HubMetrics(),
      clock: systemClock,
      log: () => {},
      onBroken: () => {},
      checker,
      compactAfter: 4,
      maxWaitingBytes: 256 * 1024,
    });
    this.peer = this.member.connect(this.room);
  }

  write(key: string, value: number): void {
    let update: Uint8Array | undefined;
    this.member.doc.once('update', (u: Uint8Array) => (update = u));
    this.member.doc.getMap('items').set(key, value);
    this.room.receive(this.peer, encodeUpdate(update!));
  }

  /** A crash: the old instance is abandoned where it stands, a new one loads. */
  crash(): void {
    this.inbox.length = 0;
    this.start();
  }
}

it('converges on every hub whatever becomes of the announcements, crashes and compactions', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
      const stores = await db.hubs(HUBS);
      const hubs: Hub[] = [];
      // Every update as it was first stored, whatever folding makes of the log later.
      const history: { seq: number; update: Uint8Array }[] = [];
      const announce = (from: Hub, seq: number, updates: Uint8Array[]) => {
        updates.forEach((update, i) => history.push({ seq: seq - updates.length + 1 + i, update }));
        for (const other of hubs) if (other !== from) other.inbox.push({ seq, updates });
      };
      for (const store of stores) hubs.push(new Hub(store, announce));
      try {
        for (const o of ops) {
          const h = hubs[o.hub]!;
          if (o.kind === 'write') h.write(o.key, o.value);
          else if (o.kind === 'crash') h.crash();
          else if (o.kind === 'settle') await h.room.idle();
          else if (h.inbox.length > 0) {
            const i = o.pick % h.inbox.length;
            const { seq, updates } = h.inbox[i]!;
            if (o.kind !== 'repeat') h.inbox.splice(i, 1);
            if (o.kind !== 'drop') h.room.heard(seq, undefined, o.carry ? updates : undefined);
          }
          // Let the hubs' work interleave with the next operation.
          await new Promise<void>((done) => setImmediate(done));
        }
        // Every write is committed; then each room's periodic check fetches what it missed.
        await Promise.all(hubs.map((h) => h.room.idle()));
        for (const h of hubs) h.room.catchUp();
        await Promise.all(hubs.map((h) => h.room.idle()));

        // The log holds every member's every edit, and every hub and member holds the log.
        const truth = rebuild((await stores[0]!.load(ROOM)).updates);
        const state = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));
        // A confirmation covers every update stored before the ones it confirms (each counted
        // where it was first stored: a member resends after a crash): what the posting queue's
        // slot claims rely on.
        const log = [...history]
          .sort((a, b) => a.seq - b.seq)
          .map((entry) => ({
            seq: entry.seq,
            structs: Y.decodeUpdate(entry.update).structs.map((s) => ({
              client: s.id.client,
              start: s.id.clock,
              end: s.id.clock + s.length,
            })),
          }));
        const firstStored = (client: number, clock: number) =>
          log.find((e) =>
            e.structs.some((s) => s.client === client && s.start <= clock && clock < s.end),
          )?.seq ?? 0;
        for (const h of hubs) {
          const me = h.member.doc.clientID;
          for (const vector of h.member.confirmed) {
            let through = 0;
            for (let clock = 0; clock < (vector.get(me) ?? 0); clock++) {
              through = Math.max(through, firstStored(me, clock));
            }
            for (const entry of log.filter((e) => e.seq <= through)) {
              for (const { client, end } of entry.structs) {
                expect(
                  vector.get(client) ?? 0,
                  `entry ${entry.seq} by ${client}`,
                ).toBeGreaterThanOrEqual(end);
              }
            }
          }
        }
        for (const h of hubs) {
          expect(state(h.room.doc)).toEqual(state(truth));
          expect(state(h.member.doc)).toEqual(state(truth));
          expect(itemsOf(h.room.doc)).toEqual(itemsOf(truth));
          expect(itemsOf(h.member.doc)).toEqual(itemsOf(truth));
        }
      } finally {
        await Promise.all(hubs.map((h) => h.room.idle()));
        await Promise.all(stores.map((s) => s.close()));
      }
    }),
    {
      numRuns: 30,
      examples: [
        // A later commit's updates ride along to a hub that never heard of the one before.
        [
          [
            { kind: 'write', hub: 0, key: 'k0', value: 1 },
            { kind: 'settle', hub: 0 },
            { kind: 'write', hub: 1, key: 'k1', value: 2 },
            { kind: 'settle', hub: 1 },
            { kind: 'deliver', hub: 2, pick: 1, carry: true },
            { kind: 'settle', hub: 2 },
          ],
        ],
      ],
    },
  );
}, 300_000);
