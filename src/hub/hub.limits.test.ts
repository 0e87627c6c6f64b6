// What one member or one stranger can make the hub do, in-process with a clock the test moves:
// early updates, repeated sync requests, and sockets that never say anything. Each costs the
// sender its connection or its answer, never the other members theirs.
import { get as httpGet } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { RunningHub } from './hub';
import { encodeQueryAwareness, encodeSyncStep1, encodeUpdate } from './protocol';
import { InProcessHubs, TestClient } from './test-client';
import { ManualClock, silentSocket, socketClosed, tokenFor } from './test-kit';

const ROOM = 'limits-room';
const hubs = new InProcessHubs();
afterEach(() => hubs.closeAll());

const member = (url: string, name: string, role: 'editor' | 'reader' = 'editor') =>
  TestClient.member(url, ROOM, name, role);

async function metric(hub: RunningHub, name: string): Promise<number> {
  const text = await (await fetch(`${hub.url.replace(/^ws/, 'http')}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** A writer's updates, each building on the one before; the room gets only what it is sent. */
function chain(count: number, bytes = 8): Uint8Array[] {
  const writer = new Y.Doc();
  return Array.from({ length: count }, (_, i) => {
    const before = Y.encodeStateVector(writer);
    writer.getMap('items').set(`k${i}`, 'x'.repeat(bytes));
    return Y.encodeStateAsUpdate(writer, before);
  });
}

describe('early updates', () => {
  it('are held for their sender until what they build on arrives, shown to no one', async () => {
    const hub = await hubs.start();
    const [ann, bob] = [await member(hub.url, 'ann'), await member(hub.url, 'bob')];
    const [first, second] = chain(2);
    ann.sendRaw(encodeUpdate(second!));
    await ann.roundTrip();
    // Neither as changes nor as changes still waiting: the newcomer's answer holds nothing.
    const newcomer = await member(hub.url, 'cy', 'reader');
    expect(newcomer.doc.getMap('items').size).toBe(0);
    expect(newcomer.doc.store.pendingStructs).toBeNull();
    expect(await metric(hub, 'curio_hub_waiting_update_bytes')).toBeGreaterThan(0);
    ann.sendRaw(encodeUpdate(first!));
    await bob.waitFor(() => bob.doc.getMap('items').size === 2);
    expect(await metric(hub, 'curio_hub_waiting_update_bytes')).toBe(0);
  });

  it('close the connection that lets them pile up, and nobody else’s', async () => {
    const hub = await hubs.start({ maxWaitingBytes: 16 * 1024 });
    const [ann, bob] = [await member(hub.url, 'ann'), await member(hub.url, 'bob')];
    const [, ...early] = chain(41, 1024);
    for (const update of early) ann.sendRaw(encodeUpdate(update));
    await ann.closed();
    expect(ann.closeCode).toBe(1002);
    await bob.roundTrip();
    expect(bob.closeCode).toBeNull();
    expect(await metric(hub, 'curio_hub_waiting_update_bytes')).toBe(0);
    expect(await metric(hub, 'curio_hub_closed_connections_total{reason="waiting-updates"}')).toBe(
      1,
    );
    const newcomer = await member(hub.url, 'cy', 'reader');
    expect(newcomer.doc.getMap('items').size).toBe(0);
  });

  it('are refused at once when large, before the room reads them', async () => {
    const hub = await hubs.start();
    const [ann, bob] = [await member(hub.url, 'ann'), await member(hub.url, 'bob')];
    const [, large] = chain(2, 100_000);
    ann.sendRaw(encodeUpdate(large!));
    await ann.closed();
    expect(ann.closeCode).toBe(1002);
    expect(await metric(hub, 'curio_hub_waiting_update_bytes')).toBe(0);
    await bob.roundTrip();
    expect(bob.closeCode).toBeNull();
  });
});

it('answers repeated sync and presence requests from one encoding, a few at a time per connection', async () => {
  const clock = new ManualClock();
  const hub = await hubs.start({ clock });
  const ann = await member(hub.url, 'ann');
  for (const update of chain(50, 100)) ann.sendRaw(encodeUpdate(update));
  await ann.roundTrip();
  const rita = await member(hub.url, 'rita', 'reader');
  const encodes = await metric(hub, 'curio_hub_sync_state_encodes_total');
  const answers = () => rita.received.filter((m) => m.type === 'sync-step2').length;
  const empty = encodeSyncStep1(new Y.Doc());
  for (let i = 0; i < 20; i++) rita.sendRaw(empty);
  await rita.roundTrip();
  // Four at once (the first was the one sent on connecting), the rest dropped, none encoded.
  expect(answers()).toBe(4);
  expect(await metric(hub, 'curio_hub_sync_requests_dropped_total')).toBe(17);
  expect(await metric(hub, 'curio_hub_sync_state_encodes_total')).toBe(encodes);
  clock.advance(10_000);
  rita.sendRaw(empty);
  await rita.waitFor(() => answers() === 5);
  expect(rita.doc.getMap('items').size).toBe(50);
  // Asking for everyone's presence draws on the same allowance, now spent.
  for (let i = 0; i < 10; i++) rita.sendRaw(encodeQueryAwareness());
  await rita.roundTrip();
  expect(await metric(hub, 'curio_hub_sync_requests_dropped_total')).toBe(27);
  await ann.roundTrip();
  expect([ann.closeCode, rita.closeCode]).toEqual([null, null]);
});

describe('sockets before the upgrade', () => {
  it('are closed when they have not upgraded in time; members are not', async () => {
    const clock = new ManualClock();
    const hub = await hubs.start({ clock, upgradeTimeoutMs: 10_000 });
    const silent = await Promise.all(Array.from({ length: 5 }, () => silentSocket(hub.url)));
    const slow = await silentSocket(hub.url);
    slow.write('GET /healthz HTTP/1.1\r\nHost: hub\r\n');
    await clock.waitForScheduled(6);
    const ann = await member(hub.url, 'ann');
    clock.advance(9_999);
    expect([...silent, slow].some((s) => s.closed)).toBe(false);
    clock.advance(1);
    await Promise.all([...silent, slow].map(socketClosed));
    await ann.roundTrip();
    expect(ann.closeCode).toBeNull();
    expect(await metric(hub, 'curio_hub_closed_connections_total{reason="upgrade-timeout"}')).toBe(
      6,
    );
  });

  it('are limited per address, so that one machine cannot lock out the others', async () => {
    const clock = new ManualClock();
    const hub = await hubs.start({ clock, maxConnectionsPerAddress: 3 });
    const first = await silentSocket(hub.url, '127.0.0.2');
    await clock.waitForScheduled(1);
    clock.advance(5_000);
    const others = await Promise.all([1, 2].map(() => silentSocket(hub.url, '127.0.0.2')));
    const refused = await silentSocket(hub.url, '127.0.0.2');
    const answer = await new Promise<string>((done) => {
      let text = '';
      refused.on('data', (chunk) => (text += chunk.toString()));
      refused.on('close', () => done(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 429 [^]*too many connections from 127\.0\.0\.2/);
    const ann = await member(hub.url, 'ann'); // from 127.0.0.1
    await ann.roundTrip();
    // Once the hub has closed one of them, the address may open another.
    await clock.waitForScheduled(3);
    clock.advance(5_000);
    await socketClosed(first);
    expect(others.some((s) => s.closed)).toBe(false);
    expect(await healthFrom(hub.url, '127.0.0.2')).toBe(200);
    expect(await metric(hub, 'curio_hub_closed_connections_total{reason="address-limit"}')).toBe(1);
  });
});

/** GET /healthz from a given local address. */
function healthFrom(url: string, localAddress: string): Promise<number | undefined> {
  return new Promise((done, fail) => {
    const target = `${url.replace(/^ws/, 'http')}/healthz`;
    httpGet(target, { localAddress, agent: false }, (res) => {
      res.resume();
      done(res.statusCode);
    }).on('error', fail);
  });
}

describe('connections that stop answering', () => {
  it('are dropped after a ping goes unanswered, while members who answer stay', async () => {
    const clock = new ManualClock();
    const hub = await hubs.start({ clock, pingEveryMs: 30_000 });
    const healthy = await member(hub.url, 'ann');
    // A peer that vanished without closing: its socket is open, and nothing answers.
    const vanished = new WebSocket(`${hub.url}/${ROOM}?token=${tokenFor(ROOM, 'editor', 'bob')}`, {
      autoPong: false,
    });
    await new Promise((done) => vanished.once('open', done));
    const pinged = (ws: WebSocket) => new Promise((done) => ws.once('ping', done));
    const bothPinged = Promise.all([pinged(healthy.ws), pinged(vanished)]);
    await clock.waitForScheduled(1);
    clock.advance(30_000);
    await bothPinged;
    // Once the hub answers ann's own ping, it has read her pong to its ping, sent before.
    await healthy.pong();
    const closed = new Promise<number>((done) => vanished.once('close', done));
    clock.advance(30_000);
    expect(await closed).toBe(1006);
    expect(await metric(hub, 'curio_hub_closed_connections_total{reason="no-pong"}')).toBe(1);
    healthy.doc.getMap('items').set('still', 'here');
    await healthy.roundTrip();
    expect(healthy.closeCode).toBeNull();
    healthy.close();
  });
});

describe('connections that read slowly', () => {
  it('read a whole collection in one answer at their own pace, and are dropped only for what piles up behind it', async () => {
    const hub = await hubs.start({ maxUnreadBytes: 1024 * 1024 });
    const ann = await member(hub.url, 'ann');
    // Far more than the operating system takes from the hub for a socket nobody reads.
    ann.doc.getText('article').insert(0, 'x'.repeat(16 * 1024 * 1024));
    await ann.roundTrip();
    const tooSlow = () => metric(hub, 'curio_hub_closed_connections_total{reason="too-slow"}');

    /** A new device that has asked for everything and reads nothing until resumed. */
    const stalled = async (name: string) => {
      const device = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', name));
      device.ws.pause();
      // Presence goes out in the room's order, after the answer to the device's sync step 1.
      const state = { user: { id: name } };
      device.sendPresence([{ clientId: device.doc.clientID, clock: 1, state }]);
      await ann.waitFor(() => ann.presence.getStates().has(device.doc.clientID));
      return device;
    };

    const sam = await stalled('sam');
    ann.doc.getMap('items').set('behind the answer', 'small');
    await ann.roundTrip();
    sam.ws.resume();
    await sam.waitFor(() => sam.doc.getMap('items').has('behind the answer'));
    expect(sam.doc.getText('article').length).toBe(16 * 1024 * 1024);
    await sam.roundTrip();
    expect(sam.closeCode).toBeNull();
    expect(await tooSlow()).toBe(0);

    // Another device stalls the same way; what ann writes piles up behind its answer.
    const tom = await stalled('tom');
    let written = 0;
    while ((await tooSlow()) === 0) {
      if (written >= 4 * 1024 * 1024) throw new Error('a device that reads nothing was kept');
      ann.doc.getMap('items').set(`piled ${written}`, 'y'.repeat(32 * 1024));
      written += 32 * 1024;
      await ann.roundTrip();
    }
    expect(written).toBeGreaterThanOrEqual(1024 * 1024);
    tom.ws.resume();
    await tom.closed();
    expect(tom.closeCode).toBe(1006);
    // Those who read keep up.
    await sam.waitFor(() => sam.doc.getMap('items').has(`piled ${written - 32 * 1024}`));
    expect([ann.closeCode, sam.closeCode]).toEqual([null, null]);
  });
});

describe('large updates', () => {
  it('are decoded on a thread the hub lets go after a very large one', async () => {
    const hub = await hubs.start();
    const [ann, bob] = [await member(hub.url, 'ann'), await member(hub.url, 'bob')];
    const threads = () => metric(hub, 'curio_hub_update_check_threads');
    ann.doc.getMap('items').set('pasted', 'x'.repeat(100_000));
    await bob.waitFor(() => bob.doc.getMap('items').has('pasted'));
    expect(await threads()).toBe(1);
    // A device's first sync of a large collection, as one update.
    ann.doc.getText('article').insert(0, 'y'.repeat(9 * 1024 * 1024));
    await bob.waitFor(() => bob.doc.getText('article').length > 0);
    while ((await threads()) !== 0) await new Promise((next) => setTimeout(next, 10));
    // The next large update starts a thread again.
    ann.doc.getMap('items').set('pasted again', 'z'.repeat(100_000));
    await bob.waitFor(() => bob.doc.getMap('items').has('pasted again'));
    expect(await threads()).toBe(1);
    expect([ann.closeCode, bob.closeCode]).toEqual([null, null]);
  });
});
