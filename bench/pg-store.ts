// npx tsx bench/pg-store.ts: what the PostgreSQL room store costs on this machine, in a
// throwaway cluster (Unix socket, fsync on): commit latency of one update at a time and of group
// commits, single appends from many rooms at once, and reading a room of 10,000 updates, next to
// the SQLite store on the same disk. Prints a Markdown table, writes bench/results/pg-store.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { addItem, itemIdForUrl, updateItem } from '../src/shared/collection';
import { PgRoomStore } from '../src/hub/pg-store';
import type { RoomStore } from '../src/hub/room-store';
import { SqliteRoomStore } from '../src/hub/sqlite-store';
import { tempDataDir } from '../src/hub/test-kit';
import { startPostgres } from '../tests/support/postgres';
import { percentile } from './support';

const WARMUP = 100;
const SINGLE = 1_000;
const ROOM_SIZE = 10_000;
const WRITERS = 16;
const actor = { memberId: 'bench' };

interface Row {
  name: string;
  p50: number;
  p99: number;
  max: number;
  samples: number;
  note: string;
}

function row(name: string, samples: number[], note = ''): Row {
  const max = Math.round(Math.max(...samples) * 100) / 100;
  const p = (q: number) => percentile(samples, q);
  return { name, p50: p(50), p99: p(99), max, samples: samples.length, note };
}

/** One-field edits of one link, as a maintainer retitling it sends them. */
function titleEdits(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const url = 'https://blog.example.com/consensus';
  addItem(doc, { url, title: 'start' }, actor);
  const id = itemIdForUrl(url);
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) updateItem(doc, id, { title: `title ${i}` }, actor);
  return updates;
}

/** Each link added as its own update: a room whose log was never compacted. */
function linkAdditions(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) {
    const url = `https://blog.example.com/${i}/consensus-notes`;
    addItem(doc, { url, title: `Notes on consensus, part ${i}`, tags: ['dist-sys'] }, actor);
  }
  return updates;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function singleAppends(store: RoomStore, room: string): Promise<number[]> {
  const samples: number[] = [];
  const updates = titleEdits(WARMUP + SINGLE);
  for (const [i, update] of updates.entries()) {
    const [, ms] = await timed(() => store.append(room, update));
    if (i >= WARMUP) samples.push(ms);
  }
  return samples;
}

async function groupCommits(store: PgRoomStore, size: number, batches: number): Promise<number[]> {
  const updates = titleEdits(size * batches);
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const batch = updates.slice(b * size, (b + 1) * size).map((update, i) => ({
      room: `group-${size}-${i % 4}`,
      update,
    }));
    samples.push((await timed(() => store.appendMany(batch)))[1]);
  }
  return samples;
}

/** WRITERS rooms, each appending one update at a time, all at once. */
async function concurrentAppends(store: PgRoomStore): Promise<{ samples: number[]; ms: number }> {
  const samples: number[] = [];
  const updates = titleEdits(200);
  const [, ms] = await timed(() =>
    Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (const update of updates)
          samples.push((await timed(() => store.append(`w${w}`, update)))[1]);
      }),
    ),
  );
  return { samples, ms };
}

export async function runPgStoreBench(): Promise<{ rows: Row[]; roomBytes: number }> {
  const postgres = await startPostgres();
  try {
    const store = await PgRoomStore.open({ connection: postgres.connection });
    const rows: Row[] = [];
    rows.push(row('append, one update at a time', await singleAppends(store, 'single')));
    for (const size of [10, 100]) {
      const samples = await groupCommits(store, size, size === 10 ? 200 : 40);
      const perUpdate = (percentile(samples, 50) / size).toFixed(3);
      rows.push(
        row(
          `appendMany, ${size} updates over 4 rooms`,
          samples,
          `${perUpdate} ms per update at p50`,
        ),
      );
    }
    const concurrent = await concurrentAppends(store);
    const rate = Math.round(concurrent.samples.length / (concurrent.ms / 1000));
    rows.push(
      row(
        `append from ${WRITERS} rooms at once (pool of 10)`,
        concurrent.samples,
        `${rate} updates/s`,
      ),
    );

    const additions = linkAdditions(ROOM_SIZE);
    const roomBytes = additions.reduce((sum, u) => sum + u.length, 0);
    for (let i = 0; i < additions.length; i += 500) {
      await store.appendMany(
        additions.slice(i, i + 500).map((update) => ({ room: 'big', update })),
      );
    }
    const loads: number[] = [];
    const rebuilds: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [log, ms] = await timed(() => store.load('big'));
      loads.push(ms);
      const started = performance.now();
      const doc = new Y.Doc();
      doc.transact(() => log.updates.forEach((u) => Y.applyUpdate(doc, u)));
      rebuilds.push(performance.now() - started);
    }
    const n = ROOM_SIZE.toLocaleString('en');
    rows.push(row(`load a room of ${n} updates`, loads, `${(roomBytes / 1024).toFixed(0)} KiB`));
    rows.push(row(`apply those ${n} updates to a Y.Doc (for comparison)`, rebuilds));
    await store.close();

    const sqlite = new SqliteRoomStore(join(tempDataDir(), 'hub.sqlite'));
    rows.push(
      row('SQLite store: append, one update at a time', await singleAppends(sqlite, 'single')),
    );
    await sqlite.close();
    return { rows, roomBytes };
  } finally {
    await postgres.remove();
  }
}

async function main(): Promise<void> {
  const { rows, roomBytes } = await runPgStoreBench();
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  console.log(
    [
      '| benchmark | p50 | p99 | max | n | note |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.samples} | ${r.note} |`,
      ),
    ].join('\n'),
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/pg-store.json',
    JSON.stringify({ date: new Date().toISOString(), roomBytes, rows }, null, 2) + '\n',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
  process.exit(0);
}
