// Group commit, through the hub: updates that arrive while a commit is on its way to disk wait
// for the next one, together, and none is forwarded or confirmed before its own commit. The
// store holds every commit until the test releases it.
import { ObservableV2 } from 'lib0/observable';
import { afterEach, expect, it } from 'vitest';
import { MESSAGE_CONFIRMED } from '../shared/sync';
import { MemoryRoomStore, type RoomUpdate } from './room-store';
import { InProcessHubs, TestClient } from './test-client';
import { tokenFor } from './test-kit';

const ROOM = 'group-commit';
const hubs = new InProcessHubs();
let store: HeldStore;
afterEach(async () => {
  // A failed test leaves commits held; the hub drains them on closing.
  store.releaseAll = true;
  for (const held of store.held) held.release();
  await hubs.closeAll();
});

interface Held {
  updates: readonly RoomUpdate[];
  release: () => void;
}

class HeldStore extends MemoryRoomStore {
  readonly held: Held[] = [];
  releaseAll = false;
  private readonly events = new ObservableV2<{ held: () => void }>();

  override appendMany(updates: readonly RoomUpdate[]): Promise<number[]> {
    if (this.releaseAll) return super.appendMany(updates);
    return new Promise((done) => {
      this.held.push({ updates, release: () => done(super.appendMany(updates)) });
      this.events.emit('held', []);
    });
  }

  /** Resolves once `count` commits have been asked for. */
  async commitsAsked(count: number): Promise<void> {
    while (this.held.length < count) {
      await new Promise<void>((done) => this.events.once('held', done));
    }
  }
}

const confirmations = (client: TestClient) =>
  client.received.filter((m) => m.type === 'other' && m.kind === MESSAGE_CONFIRMED).length;
const keysOf = (client: TestClient) => [...client.doc.getMap('items').keys()].sort();

it('commits updates that arrive during a commit together, and shares none before its commit', async () => {
  store = new HeldStore();
  store.releaseAll = true;
  const hub = await hubs.start({ store });
  const writers = await Promise.all(
    ['w0', 'w1', 'w2', 'w3', 'w4'].map((member) =>
      TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', member), { confirm: true }),
    ),
  );
  const watcher = await TestClient.member(hub.url, ROOM, 'watcher', 'reader');
  await Promise.all(writers.map((w) => w.synced()));
  // Their replies to the hub's sync request hold nothing new, and are confirmed as they are.
  await Promise.all(writers.map((w) => w.roundTrip()));
  const before = writers.map(confirmations);
  const confirmed = () => writers.map((w, i) => confirmations(w) - before[i]!);
  store.releaseAll = false;

  writers[0]!.doc.getMap('items').set('first', 0);
  await store.commitsAsked(1);
  // While the first commit is held, the others write; they all wait for the next commit.
  writers.slice(1).forEach((w, i) => w.doc.getMap('items').set(`later${i}`, i));
  await Promise.all(writers.map((w) => w.pong()));
  // A presence round trip is answered behind every commit before it, so it waits too.
  const roundTrips = writers.map((w) => w.roundTrip());
  const seenBefore = [...writers, watcher].map(keysOf);
  expect(store.held).toHaveLength(1);
  expect(confirmed()).toEqual([0, 0, 0, 0, 0]);

  store.held[0]!.release();
  await writers[0]!.waitFor(() => confirmed()[0] === 1);
  await store.commitsAsked(2);
  expect(store.held[1]!.updates.map((u) => u.room)).toEqual([ROOM, ROOM, ROOM, ROOM]);
  await watcher.waitFor(() => watcher.doc.getMap('items').has('first'));
  // The second commit is still held: nothing in it has reached anyone but its writer.
  expect(keysOf(watcher)).toEqual(['first']);
  expect(confirmed()).toEqual([1, 0, 0, 0, 0]);
  // Before any commit, nobody had anyone else's edit.
  expect(seenBefore.slice(1, 5)).toEqual([0, 1, 2, 3].map((i) => [`later${i}`]));
  expect(seenBefore[0]).toEqual(['first']);
  expect(seenBefore[5]).toEqual([]);

  store.held[1]!.release();
  await Promise.all(roundTrips);
  await watcher.waitFor(() => keysOf(watcher).length === 5);
  expect(confirmed()).toEqual([1, 1, 1, 1, 1]);
  expect(store.held).toHaveLength(2);
  for (const client of [...writers, watcher]) client.close();
});
