// npx tsx bench/hub-latency.ts: how long a one-field edit takes to reach another member through
// the hub (auth, validation, fsync'd SQLite append, broadcast) on loopback, next to two bare
// Y.Docs over a bare relay that only forwards bytes; and how long a new device takes to sync a
// 10,000-item collection, from a loaded room and from a room the hub must first read from disk.
// Prints a Markdown table and writes bench/results/hub-latency.json.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addItem, hasUrl, itemIdForUrl, updateItem, maps } from '../src/shared/collection';
import { startHub } from '../src/hub/hub';
import { tempDataDir } from '../src/hub/test-kit';
import { mintToken } from '../src/hub/token';
import { startBareRelay } from './hub-peers';
import { percentile, type BenchResult } from './support';

const EDITS = 1_000;
const WARMUP = 100;
const COLLECTION_SIZE = 10_000;
const SECRET = 'bench-secret-0123456789abcdef';
const actor = { memberId: 'bench' };
const Polyfill = WebSocket as unknown as typeof globalThis.WebSocket;

function provider(url: string, room: string, doc: Y.Doc, role: 'editor' | 'reader' = 'editor') {
  const token = mintToken({
    collection: room,
    member: 'bench',
    role,
    ttlSeconds: 3600,
    secret: SECRET,
  });
  return new WebsocketProvider(url, room, doc, {
    params: { token: token.token },
    WebSocketPolyfill: Polyfill,
    disableBc: true,
  });
}

function connected(p: WebsocketProvider): Promise<void> {
  return p.wsconnected ? Promise.resolve() : new Promise((done) => p.once('status', () => done()));
}

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Edit a title on A, time until B's document has it; one edit in flight at a time. */
async function editLatency(url: string, room: string): Promise<number[]> {
  const [a, b] = [new Y.Doc(), new Y.Doc()];
  const pa = provider(url, room, a);
  const pb = provider(url, room, b);
  await Promise.all([connected(pa), connected(pb)]);
  const link = 'https://example.com/latency';
  addItem(a, { url: link, title: 'start' }, actor);
  const id = itemIdForUrl(link);
  const titleKey = `${id}/title`;
  await until(() => maps(b).items.get(titleKey) === 'start');
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + EDITS; i++) {
    const title = `edit ${i}`;
    const arrived = new Promise<void>((done) => {
      const check = () => {
        if (maps(b).items.get(titleKey) !== title) return;
        b.off('update', check);
        done();
      };
      b.on('update', check);
    });
    const started = performance.now();
    updateItem(a, id, { title }, actor);
    await arrived;
    if (i >= WARMUP) samples.push(performance.now() - started);
  }
  pa.destroy();
  pb.destroy();
  return samples;
}

/** A collection of `size` distributed-systems links, built with the app's own addItem. */
export function buildCollection(size = COLLECTION_SIZE): Y.Doc {
  const doc = new Y.Doc();
  for (let i = 0; i < size; i++) {
    addItem(
      doc,
      {
        url: `https://blog.example.com/${i}/consensus-notes`,
        title: `Notes on consensus, part ${i}`,
        description: 'A distributed-systems link worth keeping.',
        tags: ['dist-sys', `tag-${i % 50}`],
      },
      actor,
    );
  }
  return doc;
}

/** A fresh device connects as a reader and waits until it holds every item. */
async function newDeviceSync(url: string, room: string): Promise<number> {
  const doc = new Y.Doc();
  const started = performance.now();
  const p = provider(url, room, doc, 'reader');
  await until(() => hasUrl(maps(doc).items, itemIdForUrl(lastUrl)));
  const elapsed = performance.now() - started;
  p.destroy();
  return elapsed;
}
const lastUrl = `https://blog.example.com/${COLLECTION_SIZE - 1}/consensus-notes`;

/** The shared result shape plus p99, which this benchmark's question is about. */
export type HubBenchResult = BenchResult & { p99: number };

function row(name: string, samples: number[]): HubBenchResult {
  return {
    name,
    unit: 'ms',
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
    target: '-',
    pass: true,
    samples: samples.length,
  };
}

export async function runHubLatencyBench(): Promise<{
  results: HubBenchResult[];
  collectionBytes: number;
}> {
  const dataDir = tempDataDir();
  let hub = await startHub({ port: 0, dataDir, secret: SECRET });
  const relay = await startBareRelay();
  const viaHub = await editLatency(hub.url, 'latency');
  const viaRelay = await editLatency(relay.url, 'latency');

  const built = performance.now();
  const collection = buildCollection();
  const buildMs = performance.now() - built;
  const collectionBytes = Y.encodeStateAsUpdate(collection).length;
  const seeder = provider(hub.url, 'big', collection);
  await until(() => seeder.synced);
  await newDeviceSync(hub.url, 'big'); // returns once the hub holds the seeder's items
  const warm = [await newDeviceSync(hub.url, 'big'), await newDeviceSync(hub.url, 'big')];
  seeder.destroy();
  await hub.close();
  const cold: number[] = [];
  for (let i = 0; i < 2; i++) {
    hub = await startHub({ port: 0, dataDir, secret: SECRET });
    cold.push(await newDeviceSync(hub.url, 'big'));
    await hub.close();
  }
  const relaySeeder = provider(relay.url, 'big', collection);
  await connected(relaySeeder);
  const fromPeer = [await newDeviceSync(relay.url, 'big')];
  relaySeeder.destroy();
  await relay.close();
  rmSync(dataDir, { recursive: true, force: true });

  const n = COLLECTION_SIZE.toLocaleString('en');
  return {
    results: [
      row(`edit propagation via the hub (auth, fsync'd append, broadcast)`, viaHub),
      row('edit propagation via a bare relay (no auth, no storage)', viaRelay),
      row(`new device syncs ${n} items, room in memory`, warm),
      row(`new device syncs ${n} items, room read from disk`, cold),
      row(`new device syncs ${n} items from a peer over the bare relay`, fromPeer),
      row(`build the ${n}-item collection with addItem`, [buildMs]),
    ],
    collectionBytes,
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const { results, collectionBytes } = await runHubLatencyBench();
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  const table = [
    '| benchmark | p50 | p95 | p99 | max | n |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.samples} |`,
    ),
  ].join('\n');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(table);
  console.log(
    `\nThe collection is ${(collectionBytes / 1024).toFixed(0)} KiB as one Yjs update. ` +
      `Run took ${seconds} s.`,
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/hub-latency.json',
    JSON.stringify(
      { date: new Date().toISOString(), edits: EDITS, collectionBytes, results },
      null,
      2,
    ) + '\n',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
  process.exit(0);
}
