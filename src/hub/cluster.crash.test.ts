// Failures in a cluster of three hubs behind a load balancer, with members writing on every hub
// all the while: a hub killed with SIGKILL (its members reconnect to the others), and the
// PostgreSQL server crashing and coming back (the hubs wait and recover). Whatever happens,
// every update any member was told is stored ends up with every member and in a gap-free log,
// and a dead hub's members leave the presence the other hubs show.
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Balancer, Replica, Writer, spawnCluster, storeUrl } from './cluster-kit';
import { usePostgres } from './pg/test-kit';
import { readAwarenessUpdate } from './protocol';
import { TestClient } from './test-client';
import type { HubProcess } from './test-kit';

const db = usePostgres();
let hubs: HubProcess[] = [];
let balancer: Balancer | undefined;
const replicas: Replica[] = [];

afterEach(async () => {
  for (const replica of replicas.splice(0)) replica.destroy();
  await balancer?.close();
  await Promise.all(hubs.map((hub) => hub.stop()));
});

async function start(room: string, writers: number) {
  hubs = await spawnCluster(storeUrl(db), 3, ['--compact-after', '50']);
  balancer = await Balancer.start(hubs);
  const members = Array.from({ length: writers }, (_, i) => {
    const writer = new Writer(balancer!.url, room, `w${i}`);
    replicas.push(writer);
    return writer;
  });
  await Promise.all(members.map((w) => w.synced()));
  return members;
}

/** Resolves once the members together have had `count` more updates confirmed. */
function confirmedTogether(members: Writer[], count: number): Promise<void> {
  const total = () => members.reduce((n, w) => n + w.confirmedKeys().length, 0);
  const target = total() + count;
  return Promise.race(members.map((w) => w.untilConfirmed(() => total() >= target)));
}

/** Stops writing, and checks every confirmed update reached every member, a newcomer and the log. */
async function expectNothingLost(room: string, members: Writer[]): Promise<void> {
  await Promise.all(members.map((w) => w.stop()));
  // Whatever was written and not yet confirmed is resent on reconnecting; wait for all of it.
  await Promise.all(
    members.map((w) => w.untilConfirmed(() => w.confirmedKeys().length === w.written.length)),
  );
  const confirmed = members.flatMap((w) => w.confirmedKeys());
  const holdsAll = (r: Replica) => confirmed.every((key) => r.items.has(key));
  await Promise.all(members.map((w) => w.until(() => holdsAll(w))));
  const fresh = new Replica(balancer!.url, room, 'fresh', 'reader');
  replicas.push(fresh);
  await fresh.synced();
  expect(confirmed.filter((key) => !fresh.items.has(key))).toEqual([]);
  await expectGapFreeLog(room);
}

/** Numbers run without a gap up to the room's head, and no two updates carry the same change. */
async function expectGapFreeLog(room: string): Promise<void> {
  const [state] = await db.sql<{ head: string; compacted_through: string }>(
    'SELECT head, compacted_through FROM curio.rooms WHERE room = $1',
    [room],
  );
  const rows = await db.sql<{ seq: string; data: Buffer }>(
    'SELECT seq, data FROM curio.room_updates WHERE room = $1 ORDER BY seq',
    [room],
  );
  const seqs = rows.map((r) => Number(r.seq));
  const first = Math.max(1, Number(state!.compacted_through));
  expect(seqs).toEqual(seqs.map((_, i) => first + i));
  expect(seqs.at(-1)).toBe(Number(state!.head));
  // A snapshot may repeat later updates (it holds all its hub had); updates never repeat.
  const seen = new Set<string>();
  const later = Number(state!.compacted_through) > 0 ? rows.slice(1) : rows;
  for (const row of later) {
    for (const struct of Y.decodeUpdate(new Uint8Array(row.data)).structs) {
      if (struct instanceof Y.Skip) continue;
      for (let i = 0; i < struct.length; i++) {
        const id = `${struct.id.client}:${struct.id.clock + i}`;
        expect(seen.has(id), `change ${id} stored twice`).toBe(false);
        seen.add(id);
      }
    }
  }
}

it('loses no confirmed update when a hub is killed mid-stream; its members move to the others', async () => {
  const room = 'hub-dies';
  const members = await start(room, 6);
  members.forEach((w) => w.start());
  await confirmedTogether(members, 100);
  const victim = hubs[Math.floor(Math.random() * hubs.length)]!;
  await victim.kill9();
  // Every member goes on being confirmed, those of the dead hub through another one.
  await Promise.all(members.map((w) => confirmedTogether([w], 20)));
  await expectNothingLost(room, members);
}, 120_000);

it('loses and confirms nothing while PostgreSQL is down, and recovers when it returns', async () => {
  const room = 'database-restarts';
  const members = await start(room, 6);
  members.forEach((w) => w.start());
  await confirmedTogether(members, 100);
  await db.server.crash();
  // From here on no commit can succeed: nothing written now may be confirmed until it is back.
  const writtenBefore = members.map((w) => Y.getState(w.doc.store, w.doc.clientID));
  let down = true;
  const early: string[] = [];
  const stopWatching = members.map((w, i) =>
    w.onConfirm(() => {
      if (down && w.confirmedClock > writtenBefore[i]!)
        early.push(`${w.member}@${w.confirmedClock}`);
    }),
  );
  // Members whose hub lost a commit reconnect, and their hubs cannot load the room meanwhile.
  await Promise.all(members.map((w) => w.until(() => !w.provider.wsconnected)));
  down = false;
  await db.server.restart();
  stopWatching.forEach((stop) => stop());
  expect(early).toEqual([]);
  await Promise.all(members.map((w) => confirmedTogether([w], 20)));
  await expectNothingLost(room, members);
  // The hubs' own view agrees: each can reach the store again.
  for (const hub of hubs) {
    expect(hub.child.exitCode, hub.stderr()).toBeNull();
    const health = (await (await fetch(`${hub.httpUrl}/healthz`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
  }
}, 180_000);

it('takes a killed hub’s members out of presence on the other hubs', async () => {
  const room = 'presence-of-the-dead';
  hubs = await spawnCluster(storeUrl(db), 2);
  const ann = new Replica(hubs[0]!.url, room, 'ann');
  replicas.push(ann);
  await ann.synced();
  // A bare client keeps every presence message hub 1 sends, and never times anyone out itself.
  const watcher = await TestClient.member(hubs[1]!.url, room, 'watcher', 'reader');
  const annState = () => {
    let state: unknown;
    for (const message of watcher.received) {
      if (message.type !== 'awareness') continue;
      for (const entry of readAwarenessUpdate(message.update)) {
        if (entry.clientId === ann.doc.clientID) state = entry.state;
      }
    }
    return state;
  };
  await watcher.waitFor(() => annState() != null);
  await hubs[0]!.kill9();
  // She cannot reach her hub to say she left, and hub 1 hears from her no more: after the
  // presence timeout (30 s), hub 1 itself tells its members she is gone.
  await watcher.waitFor(() => annState() === null);
  watcher.close();
}, 120_000);
