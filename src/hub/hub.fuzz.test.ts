// 10,000 hostile messages against the hub process. After each one the connection sends a probe
// (an awareness update with a fresh clock) and waits for its echo or for the hub to close the
// connection: either way the hub has handled the hostile message, so a hang fails the test
// instead of hiding: the test's time limit, generous because the machine may be busy, is the only
// deadline. Afterwards the hub still serves and the collection is exactly as it was.
import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import WebSocket from 'ws';
import { addItem, materializeAll } from '../shared/collection';
import { hostileMessage, v2Updates } from './fuzz-messages';
import { MESSAGE_AWARENESS } from '../shared/sync';
import { encodeAwareness } from './protocol';
import { TestClient } from './test-client';
import { spawnHub, tempDataDir, tokenFor, type HubProcess } from './test-kit';

const ROOM = 'fuzzed-collection';
const MESSAGES = 10_000;
const WORKERS = 4;
const MAX_MESSAGE_BYTES = 64 * 1024;

let hub: HubProcess;
let dataDir: string;
let seeded: unknown;
/** A member present throughout, whose presence the fuzz tries to take over. */
let bob: TestClient;
let bobRenewal: NodeJS.Timeout | undefined;
const BOB = { user: { id: 'bob', name: 'Bob' }, itemId: null };

const collectionJson = (client: TestClient) => materializeAll(client.doc, 'seeder');

/** What the test is waiting for, and each worker's place: printed when the test fails. */
let step = 'starting';
const workers = new Map<number, { message: number; phase: string; socket: string }>();
const SOCKET_STATES = ['connecting', 'open', 'closing', 'closed'];

function reportWhereItStood(): void {
  const places = [...workers].map(
    ([id, w]) => `worker ${id}: message ${w.message}, ${w.phase}, socket ${w.socket}`,
  );
  // Bob's connection is the one whose presence the fuzz must leave alone: how it ended, if it did.
  const bobs = [
    `Bob's connection: ${bob?.closeCode === null ? 'open' : `closed (${bob?.closeCode})`}`,
    ...hub.lines.filter((line) => / bob \(/.test(line)),
  ];
  console.error(
    [
      `waiting for: ${step}`,
      ...places,
      ...bobs,
      "the hub's last lines:",
      ...hub.lines.slice(-20),
    ].join('\n'),
  );
}

beforeAll(async () => {
  dataDir = tempDataDir();
  hub = await spawnHub(dataDir, ['--max-message-bytes', String(MAX_MESSAGE_BYTES)]);
  const seeder = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM));
  await seeder.synced();
  const actor = { memberId: 'seeder' };
  for (let i = 0; i < 20; i++) {
    const url = `https://example.com/post/${i}`;
    addItem(seeder.doc, { url, title: `Post ${i}`, tags: ['dist-sys'], note: `note ${i}` }, actor);
  }
  await seeder.roundTrip();
  seeded = collectionJson(seeder);
  seeder.close();
  bob = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'reader', 'bob'));
  let clock = 0;
  const renew = () =>
    bob.sendPresence([{ clientId: bob.doc.clientID, clock: ++clock, state: BOB }]);
  renew();
  await bob.roundTrip();
  // As y-protocols clients do: presence not renewed for 30 s counts as gone, and on a busy
  // machine the fuzz takes longer than that.
  bobRenewal = setInterval(renew, 15_000);
});
afterAll(async () => {
  clearInterval(bobRenewal);
  await hub.stop();
});

function probe(clientId: number, clock: number): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, JSON.stringify({ user: { id: 'ann' }, probe: clock }));
  return encodeAwareness(encoding.toUint8Array(update));
}

function echoesProbe(data: Uint8Array, clientId: number, clock: number): boolean {
  const decoder = decoding.createDecoder(data);
  if (decoding.readVarUint(decoder) !== MESSAGE_AWARENESS) return false;
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const count = decoding.readVarUint(update);
  for (let i = 0; i < count; i++) {
    const id = decoding.readVarUint(update);
    const seen = decoding.readVarUint(update);
    decoding.readVarString(update);
    if (id === clientId && seen >= clock) return true;
  }
  return false;
}

const editorToken = tokenFor(ROOM);

async function open(): Promise<WebSocket> {
  const ws = new WebSocket(`${hub.url}/${ROOM}?token=${editorToken}`);
  await new Promise((done, fail) => ws.once('open', done).once('error', fail));
  return ws;
}

/**
 * Sends `message` and a probe; resolves whether the hub kept the connection open, or `unsent`
 * when the socket had closed before the message could go (its 'close' event is then past, and
 * waiting for it would wait forever).
 */
function exchange(ws: WebSocket, message: Uint8Array, clientId: number, clock: number) {
  return new Promise<'kept' | 'closed' | 'unsent'>((done) => {
    if (ws.readyState !== WebSocket.OPEN) return done('unsent');
    let settled = false;
    const finish = (outcome: 'kept' | 'closed' | 'unsent') => {
      if (settled) return;
      settled = true;
      ws.off('message', onMessage).off('close', onClose);
      done(outcome);
    };
    const onMessage = (data: Buffer) => {
      if (echoesProbe(new Uint8Array(data), clientId, clock)) finish('kept');
    };
    const onClose = () => finish('closed');
    ws.on('message', onMessage).on('close', onClose);
    ws.send(message, (error) => {
      if (error) finish('unsent');
    });
    ws.send(probe(clientId, clock));
  });
}

async function fuzzWorker(messages: Uint8Array[], clientId: number) {
  const tally = { kept: 0, closed: 0 };
  const place = { message: 0, phase: 'starting', socket: 'none' };
  workers.set(clientId, place);
  let ws: WebSocket | null = null;
  let clock = 0;
  for (const message of messages) {
    place.message++;
    let outcome: 'kept' | 'closed' | 'unsent';
    do {
      // The hub may close a connection after answering its probe (a check on a worker thread
      // can finish later), or as soon as it opens: such a socket never emits 'close' again, so
      // the message goes again on a new one.
      if (ws?.readyState !== WebSocket.OPEN) {
        place.phase = 'opening a socket';
        ws = await open();
      }
      clock += 10; // beyond the +1 the hub adds when it drops a closed connection's state
      place.phase = 'waiting for the probe or a close';
      place.socket = SOCKET_STATES[ws.readyState] ?? '?';
      outcome = await exchange(ws, message, clientId, clock);
      place.socket = SOCKET_STATES[ws.readyState] ?? '?';
      if (outcome !== 'kept') ws = null;
    } while (outcome === 'unsent');
    tally[outcome]++;
  }
  ws?.close();
  place.phase = 'done';
  return tally;
}

it(`survives ${MESSAGES} hostile messages with the collection unchanged`, async () => {
  onTestFailed(reportWhereItStood);
  // Bytes in Yjs's V2 encoding go first: some make Yjs's V2 functions loop forever.
  const corpus = v2Updates();
  const samples = [
    ...corpus,
    ...fc.sample(hostileMessage(bob.doc.clientID), {
      numRuns: MESSAGES - corpus.length,
      seed: 20261121,
    }),
  ];
  const perWorker = Math.ceil(MESSAGES / WORKERS);
  step = 'the fuzz workers';
  const tallies = await Promise.all(
    Array.from({ length: WORKERS }, (_, w) =>
      fuzzWorker(samples.slice(w * perWorker, (w + 1) * perWorker), 1_000_000 + w),
    ),
  );
  step = 'a socket for the oversized message';
  const oversized = await open();
  step = 'the hub to close the socket that sent an oversized message';
  const closed = new Promise((done) => oversized.once('close', done));
  oversized.send(new Uint8Array(MAX_MESSAGE_BYTES + 1));
  await closed;

  const handled = tallies.reduce((sum, t) => sum + t.kept + t.closed, 0);
  expect(handled).toBe(MESSAGES);
  expect(tallies.reduce((sum, t) => sum + t.closed, 0)).toBeGreaterThan(MESSAGES / 2);
  expect(hub.child.exitCode).toBeNull();

  step = 'a reader to sync';
  const reader = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'reader'));
  await reader.synced();
  expect(collectionJson(reader)).toEqual(seeded);
  step = "Bob's presence at the reader";
  await reader.waitFor(() => reader.presence.getStates().has(bob.doc.clientID));
  expect(reader.presence.getStates().get(bob.doc.clientID)).toMatchObject(BOB);
  expect(bob.closeCode).toBeNull();
  reader.close();
  bob.close();
  step = 'the hub to stop';
  await hub.stop();
  step = 'the hub to start again';
  hub = await spawnHub(dataDir);
  step = 'a reader to sync after the restart';
  const afterRestart = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'reader'));
  await afterRestart.synced();
  expect(collectionJson(afterRestart)).toEqual(seeded);
  afterRestart.close();
}, 300_000);
