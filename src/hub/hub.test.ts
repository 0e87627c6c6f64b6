// The hub in-process, with storage backends that stall or fail on cue: what a client may see
// while a room loads, when the store refuses a write, and how the log is folded.
import { ObservableV2 } from 'lib0/observable';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { INVITE_CLOSE_CODES } from '../shared/sync';
import { encodeUpdate } from './protocol';
import { MemoryRoomStore, type RoomUpdate, type StoredLog } from './room-store';
import { InProcessHubs, TestClient } from './test-client';
import { ManualClock, testToken, tokenFor } from './test-kit';

const ROOM = 'in-process';
const hubs = new InProcessHubs();
afterEach(() => hubs.closeAll());
const hubWith = hubs.start.bind(hubs);

/**
 * A store whose loads wait for `release()`, which says when a load starts and a compaction ends,
 * and which survives its hub being closed.
 */
class GatedStore extends MemoryRoomStore {
  private gate: Promise<void> = Promise.resolve();
  private readonly events = new ObservableV2<{ loading: () => void; compacted: () => void }>();
  release: () => void = () => {};
  failAppends = false;

  hold(): void {
    this.gate = new Promise((done) => (this.release = done));
  }

  /** Resolves at the next load. */
  loading(): Promise<void> {
    return new Promise((done) => this.events.once('loading', done));
  }

  /** Resolves once `check` holds after a compaction (or already). */
  async afterCompaction(check: () => Promise<boolean>): Promise<void> {
    while (!(await check())) await new Promise<void>((done) => this.events.once('compacted', done));
  }

  override async load(room: string): Promise<StoredLog> {
    this.events.emit('loading', []);
    await this.gate;
    return super.load(room);
  }

  override async appendMany(updates: readonly RoomUpdate[]): Promise<number[]> {
    if (this.failAppends) throw new Error('disk full');
    return super.appendMany(updates);
  }

  override async compact(room: string, throughSeq: number, snapshot: Uint8Array): Promise<void> {
    await super.compact(room, throughSeq, snapshot);
    this.events.emit('compacted', []);
  }

  override async close(): Promise<void> {}
}

it('makes a client that joins a loading room wait, never showing it an empty collection', async () => {
  const store = new GatedStore();
  const first = await hubWith({ store });
  const writer = await TestClient.connect(first.url, ROOM, tokenFor(ROOM));
  writer.doc.getMap('items').set('saved', 'before restart');
  await writer.roundTrip();
  writer.close();
  await first.close();

  store.hold();
  const second = await hubWith({ store });
  const loading = store.loading();
  const reader = await TestClient.connect(second.url, ROOM, tokenFor(ROOM, 'reader'));
  await loading;
  // Whatever the hub sent before its answer to a ping has arrived by then.
  await reader.pong();
  expect(reader.received).toEqual([]);
  store.release();
  await reader.synced();
  expect(reader.doc.getMap('items').get('saved')).toBe('before restart');
  reader.close();
});

it('forwards nothing the store failed to keep, and closes the room so clients resync', async () => {
  const store = new GatedStore();
  const hub = await hubWith({ store });
  const [a, b] = await Promise.all([
    TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', 'a')),
    TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', 'b')),
  ]);
  await Promise.all([a.synced(), b.synced()]);
  store.failAppends = true;
  a.doc.getMap('items').set('lost', true);
  await Promise.all([a.closed(), b.closed()]);
  expect([a.closeCode, b.closeCode]).toEqual([1011, 1011]);
  expect(b.doc.getMap('items').has('lost')).toBe(false);

  // A reconnecting client's sync brings the edit back, now that storage works again.
  store.failAppends = false;
  const again = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', 'a'));
  again.doc.getMap('items').set('lost', true);
  await again.roundTrip();
  expect((await store.load(ROOM)).updates.length).toBeGreaterThan(0);
  again.close();
});

it('folds the log into a snapshot as it grows and when the room empties', async () => {
  const store = new GatedStore();
  const hub = await hubWith({ store, compactAfter: 10, idleUnloadMs: 20 });
  const client = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM));
  for (let i = 0; i < 45; i++) {
    client.doc.getMap('items').set(`k${i}`, i);
    await client.roundTrip();
  }
  expect((await store.load(ROOM)).updates.length).toBeLessThanOrEqual(10);
  client.close();
  await client.closed();
  await store.afterCompaction(async () => (await store.load(ROOM)).updates.length === 1);

  const later = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'reader'));
  await later.synced();
  expect(later.doc.getMap('items').size).toBe(45);
  later.close();
});

it('closes a connection that sends an oversized message and keeps serving the room', async () => {
  const hub = await hubWith({ maxMessageBytes: 4096 });
  const bystander = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM));
  const offender = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM));
  await Promise.all([bystander.synced(), offender.synced()]);
  offender.doc.getText('note:big').insert(0, 'x'.repeat(10_000));
  await offender.closed();
  expect(offender.closeCode).toBe(1009);
  bystander.doc.getMap('items').set('still', 'here');
  await bystander.roundTrip();
  expect(bystander.closeCode).toBeNull();
  expect(bystander.doc.getText('note:big').length).toBe(0);
  bystander.close();
});

// Found by hub.fuzz.test.ts (seed 20261121): both decode, but Yjs throws while integrating the
// second one on top of the first, after it may have changed the document.
const FUZZ_BEFORE =
  'AQbY5fKOCgAoAQdzY3JhdGNoBXRpdGxlAXcnYSB0aXRsZSBsb25nIGVub3VOaCB0byBiZSB3b3J0aCBjdXR0aW5nBAEMc2NyYXRjaC1ub3RlAnNvgdjl8o4KAgSE2OXyjgoGCG90ZSB0ZXh0CAEMc2NyYXRjaC1saXN0A30BdwN0d292AQV0aHJlZX0Dg9jl8o4KEQEEAdjl8o4KAQME';
const FUZZ_POISON = 'AQLY5fKOCg8IAQxzY3JhdGNoLWxpc3QDfQF3A3R3b3YBBXRocmVlfQOD2OXyjgo/AQQA';

it('reloads the room from storage when a decodable update breaks half-way', async () => {
  const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
  const store = new GatedStore();
  const hub = await hubWith({ store });
  const editor = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', 'eve'));
  const bystander = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', 'bob'));
  await Promise.all([editor.synced(), bystander.synced()]);
  editor.sendRaw(encodeUpdate(bytes(FUZZ_BEFORE)));
  await editor.roundTrip();
  const before = await store.load(ROOM);

  editor.sendRaw(encodeUpdate(bytes(FUZZ_POISON)));
  await Promise.all([editor.closed(), bystander.closed()]);
  expect([editor.closeCode, bystander.closeCode]).toEqual([1002, 1011]);
  expect(await store.load(ROOM)).toEqual(before);

  const again = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'reader'));
  await again.synced();
  const expected = new Y.Doc();
  for (const update of before.updates) Y.applyUpdate(expected, update);
  expect(Y.encodeStateVector(again.doc)).toEqual(Y.encodeStateVector(expected));
  expect(again.doc.getMap('scratch').toJSON()).toEqual(expected.getMap('scratch').toJSON());
  again.close();
});

it('closes a connection whose invite expires with the code that says so', async () => {
  const clock = new ManualClock();
  clock.advance(Date.now());
  const hub = await hubWith({ clock, revocationPollMs: 20 });
  const { token } = testToken({ collection: ROOM, ttlSeconds: 60 });
  const ann = await TestClient.connect(hub.url, ROOM, token);
  await ann.synced();
  clock.advance(61_000);
  await ann.closed();
  expect(ann.closeCode).toBe(INVITE_CLOSE_CODES.expired);
});
