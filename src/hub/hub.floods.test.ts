// The hub's fuzz suite, part two: floods against the hub process. Each runs until it has sent
// plenty, /healthz is asked while it goes on, and afterwards the members who did nothing wrong
// are still connected, still in sync and still shown as themselves.
import type { Socket } from 'node:net';
import { ObservableV2 } from 'lib0/observable';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { presenceText } from './fuzz-messages';
import { encodeSyncStep1, encodeUpdate } from './protocol';
import { TestClient } from './test-client';
import { silentSocket, spawnHub, tempDataDir, tokenFor, type HubProcess } from './test-kit';

const ROOM = 'flooded-collection';
const ANN = { user: { id: 'ann', name: 'Ann' }, itemId: null };
const PER_ADDRESS = 16;

let hub: HubProcess;
let ann: TestClient;
let bob: TestClient;

beforeAll(async () => {
  hub = await spawnHub(tempDataDir(), ['--max-connections-per-address', String(PER_ADDRESS)]);
  ann = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', 'ann'));
  await ann.synced();
  for (let i = 0; i < 300; i++)
    ann.doc.getMap('items').set(`link-${i}`, `https://example.com/${i}`);
  ann.sendPresence([{ clientId: ann.doc.clientID, clock: 1, state: ANN }]);
  bob = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'reader', 'bob'));
  await bob.synced();
  await bob.waitFor(() => bob.doc.getMap('items').size === 300);
});
afterAll(() => hub.stop());

/** Sends one message after another, each as soon as the last is on its way, until stopped. */
class Flood {
  sent = 0;
  running = true;
  private readonly events = new ObservableV2<{ sent: () => void }>();
  private readonly done: Promise<void>;

  constructor(sendOne: () => Promise<void>) {
    this.done = (async () => {
      while (this.running) {
        await sendOne();
        this.sent++;
        this.events.emit('sent', []);
        await new Promise((next) => setImmediate(next));
      }
    })();
  }

  reached(count: number): Promise<void> {
    return new Promise((done) => {
      const check = () => {
        if (this.sent < count) return;
        this.events.off('sent', check);
        done();
      };
      this.events.on('sent', check);
      check();
    });
  }

  stop(): Promise<void> {
    this.running = false;
    return this.done;
  }
}

/** A flood of `next()` over one member's connection, reconnecting whenever the hub closes it. */
function memberFlood(member: string, role: 'editor' | 'reader', next: () => Uint8Array) {
  let ws: WebSocket | null = null;
  const flood = new Flood(async () => {
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      const opening = new WebSocket(`${hub.url}/${ROOM}?token=${tokenFor(ROOM, role, member)}`);
      await new Promise((done, fail) => opening.once('open', done).once('error', fail));
      ws = opening;
    }
    const open = ws;
    await new Promise<void>((done) => open.send(next(), () => done()));
  });
  return { flood, end: () => ws?.close() };
}

function earlyUpdates(): () => Uint8Array {
  const writer = new Y.Doc();
  writer.getMap('items').set('withheld', true);
  return () => {
    const before = Y.encodeStateVector(writer);
    writer.getText('early').insert(0, 'x'.repeat(4096));
    return encodeUpdate(Y.encodeStateAsUpdate(writer, before));
  };
}

let clock = 1;
const FLOODS: [string, () => { flood: Flood; end: () => void }][] = [
  [
    'presence nested 20,000 deep',
    () =>
      memberFlood('rita', 'reader', () =>
        presenceText(777, clock++, '['.repeat(20_000) + ']'.repeat(20_000)),
      ),
  ],
  [
    'presence of a megabyte',
    () =>
      memberFlood('rita', 'reader', () =>
        presenceText(
          777,
          clock++,
          JSON.stringify({ user: { id: 'rita' }, pad: 'x'.repeat(1 << 20) }),
        ),
      ),
  ],
  [
    'presence under another member’s client id',
    () =>
      memberFlood('rita', 'reader', () =>
        presenceText(
          ann.doc.clientID,
          clock++,
          JSON.stringify({ user: { id: 'rita', name: 'Ann' } }),
        ),
      ),
  ],
  [
    'updates that build on changes never sent',
    () => memberFlood('mallory', 'editor', earlyUpdates()),
  ],
  ['sync requests', () => memberFlood('rita', 'reader', () => encodeSyncStep1(new Y.Doc()))],
  [
    'silent sockets from one address',
    () => {
      const sockets: Socket[] = [];
      const flood = new Flood(async () => {
        sockets.push(await silentSocket(hub.url, '127.0.0.3'));
      });
      return { flood, end: () => sockets.forEach((s) => s.destroy()) };
    },
  ],
];

it.each(FLOODS)('%s: /healthz answers throughout; the others stay connected', async (_, start) => {
  const { flood, end } = start();
  await flood.reached(50);
  const health = await fetch(`${hub.httpUrl}/healthz`);
  expect(flood.running).toBe(true);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true });
  await flood.reached(flood.sent + 20);
  await flood.stop();
  end();

  const key = `after-${flood.sent}-${clock}`;
  ann.doc.getMap('items').set(key, true);
  await bob.waitFor(() => bob.doc.getMap('items').get(key) === true);
  await Promise.all([ann.roundTrip(), bob.roundTrip()]);
  expect(bob.presence.getStates().get(ann.doc.clientID)).toMatchObject(ANN);
  expect([ann.closeCode, bob.closeCode]).toEqual([null, null]);
  const newcomer = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'reader', 'cy'));
  await newcomer.synced();
  expect(newcomer.doc.getMap('items').get(key)).toBe(true);
  expect(newcomer.doc.getMap('items').has('withheld')).toBe(false);
  newcomer.close();
});

it('says in /metrics what it refused', async () => {
  const metrics = await (await fetch(`${hub.httpUrl}/metrics`)).text();
  const count = (sample: string) =>
    Number(new RegExp(`^${sample} (\\d+)$`, 'm').exec(metrics)?.[1]);
  expect(count('curio_hub_closed_connections_total\\{reason="address-limit"\\}')).toBeGreaterThan(
    0,
  );
  expect(count('curio_hub_closed_connections_total\\{reason="waiting-updates"\\}')).toBeGreaterThan(
    0,
  );
  expect(
    count('curio_hub_presence_entries_dropped_total\\{reason="client-id-taken"\\}'),
  ).toBeGreaterThan(0);
  expect(count('curio_hub_sync_requests_dropped_total')).toBeGreaterThan(0);
  expect(count('curio_hub_protocol_errors_total')).toBeGreaterThan(0);
  expect(count('curio_hub_waiting_update_bytes')).toBe(0);
});
