// A new device joining a BENCH_ITEMS-link collection (100,000 by default, a third with a
// two-paragraph note) through a real hub on loopback, against `Y.applyUpdate` of the same bytes in
// this process; the app itself joining it in Chromium (web mode), until every row is listed and
// search finds the oldest link; and the hub process's memory while it holds that room, before
// and after a restart that loads the room from its SQLite store. The hub runs as `npm run hub`
// runs it, with the inspector on a free port so that its heap can be read after a full GC.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { encodeUpdate } from '../src/hub/protocol';
import { RELEASE_FROM_BYTES } from '../src/hub/update-check';
import { TestClient } from '../src/hub/test-client';
import { BUILT_CLI, TEST_SECRET, spawnHub, tempDataDir, tokenFor } from '../src/hub/test-kit';
import type { HubProcess } from '../src/hub/test-kit';
import { buildCorpus } from '../e2e/support/corpus';
import { materializeAll } from '../src/shared/collection';
import { formatInvite } from '../src/shared/model';
import { launchChromium } from './library';
import { benchResult, startWebMode, type BenchResult } from './support';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const ROOM = 'hub-join-bench';
const MB = 1024 * 1024;
/** The whole collection goes up as one message; the hub's default limit (32 MB) refuses it. */
const MAX_MESSAGE_BYTES = 512 * MB;

interface Memory {
  rss: number;
  heap: number;
}

/** The hub's resident set, from the kernel. */
function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

/** Asks the hub's inspector for a full GC, then for the heap in use. */
async function heapAfterGc(hub: HubProcess): Promise<number> {
  const address = /Debugger listening on (ws:\/\/\S+)/.exec(hub.stderr())?.[1];
  if (!address) throw new Error('the hub did not open its inspector');
  const socket = new WebSocket(address);
  await new Promise((done, fail) => socket.once('open', done).once('error', fail));
  let id = 0;
  const call = <T>(method: string) =>
    new Promise<T>((done) => {
      const mine = ++id;
      const listen = (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { id?: number; result: T };
        if (reply.id !== mine) return;
        socket.off('message', listen);
        done(reply.result);
      };
      socket.on('message', listen);
      socket.send(JSON.stringify({ id: mine, method }));
    });
  await call('HeapProfiler.collectGarbage');
  const { usedSize } = await call<{ usedSize: number }>('Runtime.getHeapUsage');
  socket.close();
  return usedSize;
}

/** One of the hub's gauges, from its /metrics. */
async function gauge(hub: HubProcess, name: string): Promise<number> {
  const text = await (await fetch(`${hub.httpUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
}

/** Resolves once the hub runs no thread decoding updates. */
async function checkerIdle(hub: HubProcess): Promise<void> {
  while ((await gauge(hub, 'curio_hub_update_check_threads')) !== 0) {
    await new Promise((next) => setTimeout(next, 50));
  }
}

/** The hub's memory, taken while it holds `rooms` rooms (an idle room is released later). */
async function memory(hub: HubProcess, rooms = 1): Promise<Memory> {
  const heap = await heapAfterGc(hub);
  const rss = residentBytes(hub.child.pid!);
  if ((await gauge(hub, 'curio_hub_rooms')) !== rooms)
    throw new Error(`the hub did not hold ${rooms} room(s)`);
  return { heap, rss };
}

function startHub(dataDir: string): Promise<HubProcess> {
  return spawnHub(
    dataDir,
    ['--max-message-bytes', String(MAX_MESSAGE_BYTES)],
    { HUB_SECRET: TEST_SECRET, NODE_OPTIONS: '--inspect=127.0.0.1:0' },
    BUILT_CLI,
  );
}

/**
 * One device's sync of its whole collection, stored once the hub forwards its next presence.
 * The device stays connected, so that the room stays loaded until the caller closes it.
 */
async function syncUp(hub: HubProcess, update: Uint8Array): Promise<TestClient> {
  const device = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', 'curator'));
  await device.synced();
  device.sendRaw(encodeUpdate(update));
  await device.roundTrip().catch((error: unknown) => {
    const said = hub.lines.filter((line) => line.includes('curator')).join('; ');
    throw new Error(`the hub did not store the upload (${String(error)}): ${said}`);
  });
  return device;
}

/** A member connected and asking for nothing: a room with a member is not released. */
async function holdRoom(hub: HubProcess): Promise<WebSocket> {
  const socket = new WebSocket(`${hub.url}/${ROOM}?token=${tokenFor(ROOM, 'reader', 'holder')}`);
  await new Promise((done, fail) => socket.once('open', done).once('error', fail));
  return socket;
}

interface Join {
  /** From opening the connection to holding the whole collection. */
  ms: number;
  /** `Y.applyUpdate` of the same sync step 2 to a fresh document, right after. */
  applyMs: number;
}

/**
 * A new device, from opening its connection to holding the whole collection (its sync step 2
 * applied), checked against the state vector of the collection that was synced up: it holds at
 * least that, and more once the app has joined and written its own device's entries.
 */
async function join(hub: HubProcess, member: string, expected: Uint8Array): Promise<Join> {
  const start = performance.now();
  const device = await TestClient.member(hub.url, ROOM, member);
  const ms = performance.now() - start;
  const held = Y.decodeStateVector(Y.encodeStateVector(device.doc));
  device.close();
  for (const [client, clock] of Y.decodeStateVector(expected)) {
    if ((held.get(client) ?? 0) < clock) throw new Error(`${member} did not get everything`);
  }
  const step2 = device.received.find((m) => m.type === 'sync-step2');
  if (step2?.type !== 'sync-step2') throw new Error('no sync step 2');
  return { ms, applyMs: applyTime(step2.update, (d, b) => Y.applyUpdate(d, b)) };
}

/** Applying `bytes` to a fresh document in this process, as the baseline for a join. */
function applyTime(bytes: Uint8Array, apply: (doc: Y.Doc, bytes: Uint8Array) => void): number {
  const start = performance.now();
  apply(new Y.Doc(), bytes);
  return performance.now() - start;
}

/**
 * The app on a new device (a fresh browser profile in web mode) joining the room with an invite,
 * from pressing Join: with `search` unset, until the list holds every link; with it set, until
 * that search, typed as soon as the page has reopened on the joined collection, shows the link
 * (the search box filters the list, so the two are taken in separate joins). The time is taken in
 * the page when it changes (a MutationObserver), not when a poll from here gets an answer: the
 * page takes those only between the tasks that write the rows.
 */
async function appJoin(
  hub: HubProcess,
  member: string,
  links: number,
  search?: string,
): Promise<number> {
  const web = await startWebMode();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(
      ({ links, search }) => {
        const seen: { at?: number } = {};
        Object.assign(window, { joinSeen: seen });
        // One inline callback: tsx would wrap a named function in a helper the page lacks.
        new MutationObserver(() => {
          if (seen.at !== undefined) return;
          const grid = document.querySelector('[role="grid"]');
          const box = document.querySelector<HTMLInputElement>('input[type="search"]');
          const rows = grid ? [...grid.querySelectorAll('[role="row"]')] : [];
          const shown =
            search === null
              ? grid?.getAttribute('aria-rowcount') === links
              : box?.value === search && rows.some((row) => row.textContent?.includes(search));
          if (shown) seen.at = Date.now();
        }).observe(document, {
          subtree: true,
          childList: true,
          attributes: true,
          characterData: true,
        });
      },
      { links: String(links), search: search ?? null },
    );
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const invite = formatInvite({
      hub: hub.url,
      collection: ROOM,
      token: tokenFor(ROOM, 'editor', member),
    });
    await page.getByLabel('Invite link').fill(invite);
    const start = Date.now();
    // Joining another collection reopens the page on it.
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Join' }).click(),
    ]);
    if (search !== undefined) await page.getByRole('searchbox', { name: 'Search' }).fill(search);
    const seen = await page
      .waitForFunction(
        () => (window as unknown as { joinSeen: { at?: number } }).joinSeen.at,
        null,
        { timeout: 600_000, polling: 100 },
      )
      .catch((error: unknown) => {
        // What the hub said of this device's connections, such as why it closed them.
        console.error(hub.lines.filter((l) => l.includes(` ${member} `)).join('\n'));
        throw error;
      });
    return ((await seen.jsonValue()) as number) - start;
  } finally {
    await browser.close();
    await web.stop();
  }
}

/** Restarts the hub on the same store twice: the first join loads the room, the next finds it. */
async function joinsAfterRestarts(dataDir: string, expected: Uint8Array) {
  const restarted: Memory[] = [];
  const cold: Join[] = [];
  const warm: Join[] = [];
  for (const member of ['dee', 'eve']) {
    const hub = await startHub(dataDir);
    try {
      // The holder's connection starts loading the room a moment before the join's does.
      const holder = await holdRoom(hub);
      cold.push(await join(hub, member, expected));
      warm.push(await join(hub, `${member}-again`, expected));
      restarted.push(await memory(hub));
      holder.close();
    } finally {
      await hub.stop();
    }
  }
  return { restarted, cold, warm };
}

/** The close code a hub with its default message limit answers the whole upload with. */
async function uploadAtDefaultLimit(update: Uint8Array): Promise<number | null> {
  const dataDir = tempDataDir();
  const hub = await spawnHub(dataDir, [], { HUB_SECRET: TEST_SECRET }, BUILT_CLI);
  try {
    const device = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', 'curator'));
    await device.synced();
    device.sendRaw(encodeUpdate(update));
    await device.roundTrip().catch(() => undefined);
    device.close();
    return device.closeCode;
  } finally {
    await hub.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

/** CPU time stolen from this virtual machine over one second, in percent (vmstat's `st`). */
function steal(): number {
  const lines = execFileSync('vmstat', ['1', '2'], { encoding: 'utf8' }).trim().split('\n');
  const header = (lines[1] ?? '').trim().split(/\s+/);
  const last = (lines.at(-1) ?? '').trim().split(/\s+/);
  return Number(last[header.indexOf('st')]);
}

function result(
  name: string,
  unit: string,
  values: number[],
  target: string,
  pass: (v: number[]) => boolean,
): BenchResult {
  return benchResult(`${name} (${ITEMS} links)`, unit, values, target, pass);
}

export interface HubJoinFigures {
  updateBytes: number;
  updateV2Bytes: number;
  /** Hub memory with no room, holding the room after the upload, and after restarts. */
  empty: Memory;
  live: Memory[];
  restarted: Memory[];
  /** Joins to a hub holding the room, and first joins after a restart (the room loads). */
  warmJoins: Join[];
  /** The app joining the room while the hub holds it: until every link is listed, and searchable. */
  appListed: number[];
  appSearched: number[];
  coldJoins: Join[];
  applyV2: number[];
  /** How a hub with the default --max-message-bytes closes the whole upload (null: it did not). */
  defaultLimitClose: number | null;
  loads: string[];
  steal: number[];
}

export async function measureHubJoin(): Promise<HubJoinFigures> {
  execFileSync('npm', ['run', '--silent', 'build:hub'], { stdio: 'inherit' });
  execFileSync('npm', ['run', '--silent', 'build:web', '--', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  const loads = [load()];
  const stolen = [steal()];
  const dataDir = tempDataDir();
  let figures: Omit<HubJoinFigures, 'loads' | 'steal' | 'defaultLimitClose'>;
  let update: Uint8Array;
  const hub = await startHub(dataDir);
  try {
    const empty = await memory(hub, 0);
    const me = { id: 'curator', name: 'Curator', color: '#2563eb' };
    const corpus = buildCorpus(me, ITEMS).doc;
    update = Y.encodeStateAsUpdate(corpus);
    const updateV2 = Y.encodeStateAsUpdateV2(corpus);
    const expected = Y.encodeStateVector(corpus);
    const oldest = materializeAll(corpus, me.id).reduce((a, b) => (a.addedAt <= b.addedAt ? a : b));
    corpus.destroy();
    const uploader = await syncUp(hub, update);
    // The hub lets go of the thread that checked an upload this large: measure once it has.
    if (update.length >= RELEASE_FROM_BYTES) await checkerIdle(hub);
    const live = [await memory(hub), await memory(hub)];
    uploader.close();
    const warmJoins = [await join(hub, 'bea', expected), await join(hub, 'cy', expected)];
    loads.push(load());
    const appListed = [await appJoin(hub, 'fay', ITEMS)];
    const appSearched = [await appJoin(hub, 'gus', ITEMS, oldest.title)];
    loads.push(load());
    await hub.stop();
    const after = await joinsAfterRestarts(dataDir, expected);
    loads.push(load());
    figures = {
      updateBytes: update.length,
      updateV2Bytes: updateV2.length,
      empty,
      live,
      restarted: after.restarted,
      warmJoins: [...warmJoins, ...after.warm],
      appListed,
      appSearched,
      coldJoins: after.cold,
      applyV2: [0, 1].map(() => applyTime(updateV2, (d, b) => Y.applyUpdateV2(d, b))),
    };
  } finally {
    await hub.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const defaultLimitClose = await uploadAtDefaultLimit(update);
  loads.push(load());
  stolen.push(steal());
  return { ...figures, defaultLimitClose, loads, steal: stolen };
}

/** The hub holding a 100,000-link room: 300 MB at most. */
const memoryResult = (name: string, values: number[]) =>
  result(name, 'MB', values, '≤ 300', (v) => Math.max(...v) <= 300);

export function hubJoinResults(f: HubJoinFigures): BenchResult[] {
  const joins = [...f.warmJoins, ...f.coldJoins];
  const mb = (list: Memory[], key: keyof Memory) => list.map((m) => m[key] / MB);
  return [
    result(
      'new device joins through the hub, room in memory',
      'ms',
      f.warmJoins.map((j) => j.ms),
      '≤ 10000',
      (v) => v.every((ms) => ms <= 10_000),
    ),
    result(
      'new device joins right after a hub restart',
      'ms',
      f.coldJoins.map((j) => j.ms),
      '≤ 10000',
      (v) => v.every((ms) => ms <= 10_000),
    ),
    result(
      'the app on a new device joins, room in memory: Join pressed → every link listed',
      'ms',
      f.appListed,
      '≤ 10000',
      (v) => v.every((ms) => ms <= 10_000),
    ),
    result(
      'the app on a new device joins, room in memory: Join pressed → search finds the oldest link',
      'ms',
      f.appSearched,
      '≤ 10000',
      (v) => v.every((ms) => ms <= 10_000),
    ),
    result(
      'join, room in memory / Y.applyUpdate of the same bytes right after',
      '×',
      f.warmJoins.map((j) => j.ms / j.applyMs),
      '-',
      () => true,
    ),
    result(
      'join after a restart / Y.applyUpdate of the same bytes right after',
      '×',
      f.coldJoins.map((j) => j.ms / j.applyMs),
      '-',
      () => true,
    ),
    result(
      'Y.applyUpdate of the sync step 2',
      'ms',
      joins.map((j) => j.applyMs),
      '-',
      () => true,
    ),
    result('Y.applyUpdateV2 of the same document', 'ms', f.applyV2, '-', () => true),
    result('hub RSS, no room loaded', 'MB', [f.empty.rss / MB], '-', () => true),
    result('hub heap after GC, no room loaded', 'MB', [f.empty.heap / MB], '-', () => true),
    memoryResult('hub RSS holding the room', mb(f.live, 'rss')),
    memoryResult('hub heap after GC holding the room', mb(f.live, 'heap')),
    memoryResult('hub RSS, room loaded from the store', mb(f.restarted, 'rss')),
    memoryResult('hub heap after GC, room loaded from the store', mb(f.restarted, 'heap')),
  ];
}

export async function runHubJoinBench(): Promise<BenchResult[]> {
  const figures = await measureHubJoin();
  console.log(
    `hub-join: update ${(figures.updateBytes / MB).toFixed(1)} MB ` +
      `(V2 ${(figures.updateV2Bytes / MB).toFixed(1)} MB); load ${figures.loads.join(' → ')}; ` +
      `steal ${figures.steal.join(', ')}%; the whole upload to a hub with the default ` +
      `--max-message-bytes: ${figures.defaultLimitClose === null ? 'stored' : `closed (${figures.defaultLimitClose})`}`,
  );
  return hubJoinResults(figures);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await runHubJoinBench();
  for (const r of results) {
    console.log(
      `${r.name}: p50 ${r.p50} ${r.unit}, max ${r.max.toFixed(2)} ${r.unit} (n=${r.samples}); ` +
        `goal ${r.target}: ${r.pass ? 'pass' : 'FAIL'}`,
    );
  }
  process.exit(0);
}
