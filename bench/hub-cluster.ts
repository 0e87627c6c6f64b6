// npx tsx bench/hub-cluster.ts: the hub as several machines would run it, measured on loopback
// against a throwaway PostgreSQL (fsync on) in the same run as one SQLite hub, Hocuspocus with its
// SQLite extension, the y-websocket reference server and a bare relay that only forwards bytes:
// - one-field edit propagation, client on hub A to client on hub B, every update committed first;
// - 20 writers at 20 edits/s each in one room: propagation p50/p99, and whether a backlog builds;
// - durable (confirmed) updates per second in one room and across 16 rooms;
// - idle connections on one hub, and its memory per connection;
// - loading a 10,000-link room from PostgreSQL; kill -9 of a hub until every member is resynced;
// - kill -9 right after 200 updates were confirmed: how many a new device then finds;
// - starting the built hub under node, next to the sources through tsx.
// Prints a Markdown table and writes bench/results/hub-cluster.json. Load on the machine is
// recorded with each figure: these run on a shared machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import * as Y from 'yjs';
import { Balancer, Replica, Writer, storeUrl } from '../src/hub/cluster-kit';
import { PgRoomStore } from '../src/hub/pg-store';
import { TestClient } from '../src/hub/test-client';
import {
  BUILT_CLI,
  CLI,
  spawnHub,
  tempDataDir,
  tokenFor,
  type HubProcess,
} from '../src/hub/test-kit';
import { startPostgres, type TestPostgres } from '../tests/support/postgres';
import { buildCollection } from './hub-latency';
import {
  hocuspocusClient,
  providerClient,
  relayClient,
  startBareRelay,
  startHocuspocus,
  startYWebsocketServer,
  type BenchClient,
} from './hub-peers';
import { percentile, type BenchResult } from './support';

const EDITS = 500;
const WARMUP = 50;
const WRITERS = 20;
const RATE_PER_S = 20;
const LOAD_SECONDS = 10;
const IDLE_CONNECTIONS = 1_500;
const DURABLE_WRITES = 200;
/** The last writes of the many-writers run arriving later than this after they were made. */
const BACKLOG_MS = 1000;

export type ClusterResult = BenchResult & { p99: number; load: string };

const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

function result(name: string, unit: string, samples: number[], target = '-', pass = true) {
  return {
    name,
    unit,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
    target,
    pass,
    samples: samples.length,
    load: load(),
  } satisfies ClusterResult;
}

function until(doc: Y.Doc, check: () => boolean): Promise<void> {
  return new Promise((done) => {
    const test = () => {
      if (!check()) return;
      doc.off('update', test);
      done();
    };
    doc.on('update', test);
    test();
  });
}

/** One edit in flight at a time: `from` retitles, time until `to` holds the new title. */
async function propagation(from: BenchClient, to: BenchClient): Promise<number[]> {
  await Promise.all([from.synced, to.synced]);
  const title = (doc: Y.Doc) => doc.getMap('items').get('title');
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + EDITS; i++) {
    const value = `edit ${i}`;
    const arrived = until(to.doc, () => title(to.doc) === value);
    const started = performance.now();
    from.doc.getMap('items').set('title', value);
    await arrived;
    if (i >= WARMUP) samples.push(performance.now() - started);
  }
  from.close();
  to.close();
  return samples;
}

/**
 * `writers` clients each set their own key RATE_PER_S times a second for LOAD_SECONDS; an
 * observer times each value's arrival. Returns the delays and how long the last took to drain.
 */
async function manyWriters(writers: BenchClient[], observer: BenchClient) {
  await Promise.all([...writers, observer].map((c) => c.synced));
  const sent = new Map<string, number>();
  const delays: number[] = [];
  const items = observer.doc.getMap('items');
  items.observe((event) => {
    const now = performance.now();
    for (const key of event.keysChanged) {
      const at = sent.get(`${key}:${items.get(key)}`);
      if (at !== undefined) delays.push(now - at);
    }
  });
  const total = writers.length * RATE_PER_S * LOAD_SECONDS;
  const timers = writers.map((writer, w) => {
    let n = 0;
    return new Promise<void>((done) => {
      // Spread over the interval, as people typing are.
      setTimeout(
        () => {
          const timer = setInterval(() => {
            sent.set(`w${w}:${++n}`, performance.now());
            writer.doc.getMap('items').set(`w${w}`, n);
            if (n === RATE_PER_S * LOAD_SECONDS) {
              clearInterval(timer);
              done();
            }
          }, 1000 / RATE_PER_S);
        },
        (w * 1000) / RATE_PER_S / writers.length,
      );
    });
  });
  await Promise.all(timers);
  const lastSent = performance.now();
  const last = (w: number) => items.get(`w${w}`) === RATE_PER_S * LOAD_SECONDS;
  await until(observer.doc, () => writers.every((_, w) => last(w)));
  const drainMs = performance.now() - lastSent;
  for (const c of [...writers, observer]) c.close();
  // Values overwritten before they arrived never show: those count as not measured.
  return { delays, drainMs, measured: delays.length, total };
}

async function confirmedPerSecond(urls: string[], rooms: number, perRoom: number, seconds = 5) {
  const writers: Writer[] = [];
  for (let r = 0; r < rooms; r++) {
    for (let w = 0; w < perRoom; w++) {
      writers.push(new Writer(urls[(r * perRoom + w) % urls.length]!, `rate-${r}`, `w${w}`));
    }
  }
  await Promise.all(writers.map((w) => w.synced()));
  const before = writers.reduce((n, w) => n + w.confirmedKeys().length, 0);
  writers.forEach((w) => w.start(16));
  const started = performance.now();
  await new Promise((done) => setTimeout(done, seconds * 1000));
  const count = writers.reduce((n, w) => n + w.confirmedKeys().length, 0) - before;
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(writers.map((w) => w.stop()));
  writers.forEach((w) => w.destroy());
  return count / elapsed;
}

/** Commits and the updates in them, over the given hubs, from /metrics. */
async function commitCounts(hubs: HubProcess[]) {
  let commits = 0;
  let updates = 0;
  for (const hub of hubs) {
    const text = await (await fetch(`${hub.httpUrl}/metrics`)).text();
    commits += Number(/^curio_hub_commits_total (\d+)$/m.exec(text)?.[1] ?? 0);
    updates += Number(/^curio_hub_committed_updates_total (\d+)$/m.exec(text)?.[1] ?? 0);
  }
  return { commits, updates };
}

function rssMb(pid: number): number {
  const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function idleConnections(hub: HubProcess) {
  const before = rssMb(hub.child.pid!);
  const clients: TestClient[] = [];
  for (let i = 0; i < IDLE_CONNECTIONS; i++) {
    const room = `idle-${i % 50}`;
    clients.push(await TestClient.connect(hub.url, room, tokenFor(room, 'editor', `m${i}`)));
  }
  await Promise.all(clients.map((c) => c.synced()));
  const after = rssMb(hub.child.pid!);
  const health = (await (await fetch(`${hub.httpUrl}/healthz`)).json()) as { connections: number };
  for (const c of clients) c.close();
  return { connections: health.connections, perConnectionMb: (after - before) / clients.length };
}

async function loadBigRoom(db: TestPostgres, url: string) {
  const store = await PgRoomStore.open({ connection: db.connection });
  const collection = Y.encodeStateAsUpdate(buildCollection());
  await store.append('big', collection);
  const storeLoads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await store.load('big');
    storeLoads.push(performance.now() - started);
  }
  await store.close();
  const deviceSyncs: number[] = [];
  for (let i = 0; i < 2; i++) {
    const hub = await spawnHub(tempDataDir(), ['--store', url]);
    const started = performance.now();
    const reader = providerClient(hub.url, 'big', 'reader', 'reader');
    await reader.synced;
    deviceSyncs.push(performance.now() - started);
    reader.close();
    await hub.stop();
  }
  return { storeLoads, deviceSyncs, bytes: collection.length };
}

/** Three hubs behind a balancer; kill one; time until all its members hold a later edit. */
async function killToResynced(url: string): Promise<number> {
  const hubs = await Promise.all([0, 1, 2].map(() => spawnHub(tempDataDir(), ['--store', url])));
  const balancer = await Balancer.start(hubs);
  const members = Array.from(
    { length: 30 },
    (_, i) => new Replica(balancer.url, 'failover', `m${i}`),
  );
  await Promise.all(members.map((m) => m.synced()));
  const victim = hubs[0]!;
  const started = performance.now();
  await victim.kill9();
  // A member of a live hub edits once everyone has noticed: all must end up with the edit.
  await Promise.all(members.map((m) => m.until(() => m.provider.wsconnected)));
  const writer = new Replica(balancer.url, 'failover', 'after');
  await writer.synced();
  writer.items.set('after-kill', true);
  await Promise.all(members.map((m) => m.until(() => m.items.get('after-kill') === true)));
  const elapsed = performance.now() - started;
  for (const m of [...members, writer]) m.destroy();
  await balancer.close();
  await Promise.all(hubs.map((h) => h.stop()));
  return elapsed;
}

/**
 * A member has `DURABLE_WRITES` updates confirmed, and the hub is killed with SIGKILL at that
 * moment; a hub started afresh on the same store serves a new device. Returns how many of the
 * updates confirmed by the kill that device holds. The writer is gone before the restart, so it
 * cannot send anything again.
 */
async function keptAfterKill(dataDir: string, args: string[]) {
  const hub = await spawnHub(dataDir, args);
  const writer = new Writer(hub.url, 'kept', 'writer');
  await writer.synced();
  writer.start();
  await writer.untilConfirmed(() => writer.confirmedKeys().length >= DURABLE_WRITES);
  await hub.kill9();
  const confirmed = writer.confirmedKeys();
  writer.destroy();
  const restarted = await spawnHub(dataDir, args);
  const reader = new Replica(restarted.url, 'kept', 'reader', 'reader');
  await reader.synced();
  const kept = confirmed.filter((key) => reader.items.has(key)).length;
  reader.destroy();
  await restarted.stop();
  return { kept, confirmed: confirmed.length };
}

async function startup(cli: string): Promise<{ ms: number; rssMb: number }> {
  const started = performance.now();
  const hub = await spawnHub(tempDataDir(), [], undefined, cli);
  const ms = performance.now() - started;
  await new Promise((done) => setTimeout(done, 1000));
  const rss = rssMb(hub.child.pid!);
  await hub.stop();
  return { ms, rssMb: rss };
}

export async function runHubClusterBench(): Promise<ClusterResult[]> {
  execFileSync('npm', ['run', '-s', 'build:hub'], { stdio: 'inherit' });
  const db = await startPostgres();
  const url = storeUrl(db);
  const results: ClusterResult[] = [];
  try {
    const [a, b] = await Promise.all([0, 1].map(() => spawnHub(tempDataDir(), ['--store', url])));
    const single = await spawnHub(tempDataDir(), ['--max-connections-per-address', '0']);
    const hocuspocus = await startHocuspocus();
    const reference = await startYWebsocketServer();
    const relay = await startBareRelay();
    const pg = (n: number) => (n % 2 === 0 ? a!.url : b!.url);

    const edit = 'one-field edit propagation';
    results.push(
      result(
        `${edit}: hub A → hub B through PostgreSQL`,
        'ms',
        await propagation(
          providerClient(a!.url, 'latency', 'ann'),
          providerClient(b!.url, 'latency', 'bob'),
        ),
        '≤ 50 ms p99',
        true,
      ),
      result(
        `${edit}: one SQLite hub`,
        'ms',
        await propagation(
          providerClient(single.url, 'latency', 'ann'),
          providerClient(single.url, 'latency', 'bob'),
        ),
      ),
      result(
        `${edit}: Hocuspocus + SQLite`,
        'ms',
        await propagation(
          hocuspocusClient(hocuspocus.url, 'latency'),
          hocuspocusClient(hocuspocus.url, 'latency'),
        ),
      ),
      result(
        `${edit}: y-websocket reference server`,
        'ms',
        await propagation(
          providerClient(reference.url, 'latency'),
          providerClient(reference.url, 'latency'),
        ),
      ),
      result(
        `${edit}: bare relay (no auth, no storage)`,
        'ms',
        await propagation(relayClient(relay.url, 'latency'), relayClient(relay.url, 'latency')),
      ),
    );
    const [crossHub, singleHub, hocuspocusEdit] = results as [
      ClusterResult,
      ClusterResult,
      ClusterResult,
    ];
    crossHub.pass = crossHub.p99 <= 50;
    singleHub.target = `p50 ≤ Hocuspocus's + 1 ms (${(hocuspocusEdit.p50 + 1).toFixed(2)} ms)`;
    singleHub.pass = singleHub.p50 <= hocuspocusEdit.p50 + 1;

    const crowd = `${WRITERS} writers × ${RATE_PER_S}/s, one room`;
    const runs: [string, () => Promise<Awaited<ReturnType<typeof manyWriters>>>][] = [
      [
        'two hubs on PostgreSQL',
        () =>
          manyWriters(
            Array.from({ length: WRITERS }, (_, w) => providerClient(pg(w), 'crowd', `w${w}`)),
            providerClient(b!.url, 'crowd', 'observer', 'reader'),
          ),
      ],
      [
        'one SQLite hub',
        () =>
          manyWriters(
            Array.from({ length: WRITERS }, (_, w) => providerClient(single.url, 'crowd', `w${w}`)),
            providerClient(single.url, 'crowd', 'observer', 'reader'),
          ),
      ],
      [
        'Hocuspocus + SQLite',
        () =>
          manyWriters(
            Array.from({ length: WRITERS }, () => hocuspocusClient(hocuspocus.url, 'crowd')),
            hocuspocusClient(hocuspocus.url, 'crowd'),
          ),
      ],
      [
        'y-websocket reference server',
        () =>
          manyWriters(
            Array.from({ length: WRITERS }, () => providerClient(reference.url, 'crowd')),
            providerClient(reference.url, 'crowd'),
          ),
      ],
      [
        'bare relay',
        () =>
          manyWriters(
            Array.from({ length: WRITERS }, () => relayClient(relay.url, 'crowd')),
            relayClient(relay.url, 'crowd'),
          ),
      ],
    ];
    const hubsOf: Record<string, HubProcess[]> = {
      'two hubs on PostgreSQL': [a!, b!],
      'one SQLite hub': [single],
    };
    const crowdRows = new Map<string, { row: ClusterResult; backlog: boolean }>();
    for (const [label, run] of runs) {
      const before = await commitCounts(hubsOf[label] ?? []);
      const { delays, drainMs, measured, total } = await run();
      const after = await commitCounts(hubsOf[label] ?? []);
      const perCommit =
        (after.updates - before.updates) / Math.max(1, after.commits - before.commits);
      const grouping = hubsOf[label] ? `; ${perCommit.toFixed(1)} updates a commit` : '';
      const row = result(
        `${crowd}: ${label} (drained ${drainMs.toFixed(0)} ms after the last; ${measured}/${total} seen${grouping})`,
        'ms',
        delays,
      );
      // A backlog: the hub fell behind the writers, so their last writes arrived seconds late.
      crowdRows.set(label, { row, backlog: drainMs > BACKLOG_MS });
      results.push(row);
    }
    const hocuspocusP99 = crowdRows.get('Hocuspocus + SQLite')!.row.p99;
    for (const label of Object.keys(hubsOf)) {
      const { row, backlog } = crowdRows.get(label)!;
      row.target = `p99 ≤ 2× Hocuspocus's (${(2 * hocuspocusP99).toFixed(0)} ms), drained ≤ ${BACKLOG_MS} ms`;
      row.pass = row.p99 <= 2 * hocuspocusP99 && !backlog;
    }

    const rate = 'confirmed (durable) updates per second';
    results.push(
      result(`${rate}, one room, 20 writers: one SQLite hub`, 'updates/s', [
        await confirmedPerSecond([single.url], 1, 20),
      ]),
      result(`${rate}, one room, 20 writers: two hubs on PostgreSQL`, 'updates/s', [
        await confirmedPerSecond([a!.url, b!.url], 1, 20),
      ]),
      result(`${rate}, 16 rooms × 4 writers: one SQLite hub`, 'updates/s', [
        await confirmedPerSecond([single.url], 16, 4),
      ]),
      result(`${rate}, 16 rooms × 4 writers: two hubs on PostgreSQL (both hubs)`, 'updates/s', [
        await confirmedPerSecond([a!.url, b!.url], 16, 4),
      ]),
    );

    // A hub of its own: one that served the runs above has heap to spare, which hides the cost.
    const idleHub = await spawnHub(tempDataDir(), ['--max-connections-per-address', '0']);
    const idle = await idleConnections(idleHub);
    await idleHub.stop();
    results.push(
      result(
        `idle connections held by one hub`,
        'connections',
        [idle.connections],
        '≥ 1,500',
        idle.connections >= IDLE_CONNECTIONS,
      ),
      result(
        `memory per idle connection (the hub's RSS grown, per connection)`,
        'KB',
        [idle.perConnectionMb * 1024],
        '≤ 51 KB (0.05 MB)',
        idle.perConnectionMb <= 0.05,
      ),
    );
    await Promise.all([
      a!.stop(),
      b!.stop(),
      single.stop(),
      hocuspocus.close(),
      reference.close(),
      relay.close(),
    ]);

    const big = await loadBigRoom(db, url);
    results.push(
      result(
        `read a 10,000-link room (${(big.bytes / 1024).toFixed(0)} KiB) from PostgreSQL`,
        'ms',
        big.storeLoads,
        '≤ 1 s',
        Math.max(...big.storeLoads) <= 1000,
      ),
      result(
        'a new device syncs it from a hub that loads it from PostgreSQL',
        'ms',
        big.deviceSyncs,
      ),
    );
    const failover = await killToResynced(url);
    results.push(
      result(
        'kill -9 of one of 3 hubs until all 30 members (10 were on it) hold a later edit',
        'ms',
        [failover],
        '≤ 10 s',
        failover <= 10_000,
      ),
    );

    const killed = 'confirmed updates a new device finds after kill -9 right after confirming';
    for (const [label, args] of [
      ['one SQLite hub', []],
      ['a hub on PostgreSQL', ['--store', url]],
    ] as const) {
      const { kept, confirmed } = await keptAfterKill(tempDataDir(), [...args]);
      results.push(
        result(
          `${killed}: ${label} (of ${confirmed})`,
          'updates',
          [kept],
          `${confirmed} of ${confirmed}`,
          kept === confirmed,
        ),
      );
    }

    const [built, sources] = [await startup(BUILT_CLI), await startup(CLI)];
    results.push(
      result('start the built hub under node (to its first line)', 'ms', [built.ms]),
      result('start the hub sources through tsx (to its first line)', 'ms', [sources.ms]),
      result('memory of the idle built hub', 'MB', [built.rssMb]),
      result('memory of the idle hub through tsx', 'MB', [sources.rssMb]),
    );
  } finally {
    await db.remove();
  }
  return results;
}

async function main(): Promise<void> {
  const results = await runHubClusterBench();
  const table = [
    '| benchmark | p50 | p99 | max | n | target | ok | load (1/5/15 min) |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.p50} ${r.unit} | ${r.p99} ${r.unit} | ${r.max.toFixed(2)} ${r.unit} | ${r.samples} | ${r.target} | ${r.pass ? 'yes' : 'NO'} | ${r.load} |`,
    ),
  ].join('\n');
  console.log(table);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/hub-cluster.json',
    JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
  process.exit(0);
}
