// Three hub processes on one PostgreSQL, stock y-websocket clients spread across them: what any
// member does on any hub reaches the members on every other, and the roles hold everywhere.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Replica, spawnCluster, storeUrl } from './cluster-kit';
import { usePostgres } from './pg/test-kit';
import { TestClient } from './test-client';
import { CLI, TEST_SECRET, rawUpgrade, tempDataDir, type HubProcess } from './test-kit';
import { mintToken } from './token';

const run = promisify(execFile);

const db = usePostgres();
let hubs: HubProcess[] = [];
const replicas: Replica[] = [];

beforeAll(async () => {
  hubs = await spawnCluster(storeUrl(db), 3);
});
afterAll(async () => {
  for (const replica of replicas.splice(0)) replica.destroy();
  await Promise.all(hubs.map((hub) => hub.stop()));
});

function join(hub: number, room: string, member: string, role?: 'editor' | 'reader') {
  const replica = new Replica(hubs[hub]!.url, room, member, role);
  replicas.push(replica);
  return replica;
}

it('brings an edit on any hub to the members on every other', async () => {
  const room = 'edits';
  const members = [0, 1, 2, 0, 1, 2].map((hub, i) => join(hub, room, `m${i}`));
  await Promise.all(members.map((m) => m.synced()));
  members.forEach((m, i) => m.items.set(`from-${i}`, i));
  await Promise.all(members.map((m) => m.until(() => m.items.size === members.length)));
  for (const m of members) {
    expect(m.items.toJSON()).toEqual(Object.fromEntries(members.map((_, i) => [`from-${i}`, i])));
  }
  // A text typed into on two hubs at once merges the same way everywhere.
  members[0]!.doc.getText('note:x').insert(0, 'ann ');
  members[1]!.doc.getText('note:x').insert(0, 'bob ');
  const note = (m: Replica) => m.doc.getText('note:x').toString();
  await Promise.all(members.map((m) => m.until(() => note(m).length === 8)));
  expect(new Set(members.map(note)).size).toBe(1);
});

it('shows who is online, and what they have open, to members on other hubs', async () => {
  const room = 'presence';
  const [ann, bob, cy] = [join(0, room, 'ann'), join(1, room, 'bob'), join(2, room, 'cy')];
  await Promise.all([ann, bob, cy].map((m) => m.synced()));
  ann.provider.awareness.setLocalStateField('user', { id: 'ann', open: 'item-1' });
  const annOpen = (m: Replica) =>
    m.provider.awareness.getStates().get(ann.doc.clientID)?.user?.open === 'item-1';
  await Promise.all([bob.until(() => annOpen(bob)), cy.until(() => annOpen(cy))]);
  // Someone who joins later on a third hub sees her too: the hub keeps others' presence.
  const late = join(2, room, 'dee');
  await late.until(() => annOpen(late));
  // When she leaves, she is gone everywhere.
  ann.destroy();
  const gone = (m: Replica) => !m.provider.awareness.getStates().has(ann.doc.clientID);
  await Promise.all([bob, cy, late].map((m) => m.until(() => gone(m))));
});

it('drops a reader’s update on every hub', async () => {
  const room = 'roles';
  const editors = [join(0, room, 'ed0'), join(2, room, 'ed2')];
  const reader = join(1, room, 'rita', 'reader');
  await Promise.all([...editors, reader].map((m) => m.synced()));
  reader.items.set('sneaky', 'reader wrote this');
  // Its hub handles its messages in order: once its next presence reached the other hubs, the
  // edit before it was handled.
  reader.provider.awareness.setLocalStateField('user', { id: 'rita', wrote: true });
  const heard = (m: Replica) =>
    m.provider.awareness.getStates().get(reader.doc.clientID)?.user?.wrote === true;
  await Promise.all(editors.map((m) => m.until(() => heard(m))));
  editors[0]!.items.set('after', 1);
  await Promise.all([...editors, reader].map((m) => m.until(() => m.items.get('after') === 1)));
  const fresh = join(0, room, 'fresh', 'reader');
  await fresh.synced();
  await fresh.until(() => fresh.items.get('after') === 1);
  for (const m of [...editors, fresh]) expect(m.items.has('sneaky')).toBe(false);
});

it('refuses a revoked token on every hub and closes its connections everywhere', async () => {
  const room = 'revoked';
  const { claims, token } = mintToken({
    collection: room,
    member: 'eve',
    role: 'editor',
    ttlSeconds: 3600,
    secret: TEST_SECRET,
  });
  const live = await Promise.all(hubs.map((hub) => TestClient.connect(hub.url, room, token)));
  await Promise.all(live.map((client) => client.synced()));
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', CLI, 'revoke', token, '--store', storeUrl(db), '--data', tempDataDir()],
    { env: { ...process.env, HUB_SECRET: TEST_SECRET } },
  );
  expect(stdout).toContain(`Revoked token ${claims.id}`);
  await Promise.all(live.map((client) => client.closed()));
  expect(live.map((client) => client.closeCode)).toEqual([4401, 4401, 4401]);
  for (const hub of hubs) {
    const response = await rawUpgrade(hub.url, `/${room}?token=${token}`);
    expect(response).toMatch(/^HTTP\/1\.1 401 [\s\S]*revoked/);
  }
});

it('reports its store in /healthz and the cluster in /metrics', async () => {
  for (const hub of hubs) {
    const health = await (await fetch(`${hub.httpUrl}/healthz`)).json();
    expect(health).toMatchObject({
      ok: true,
      store: { kind: 'postgres', ok: true, listening: true },
    });
  }
  const metrics = await (await fetch(`${hubs[1]!.httpUrl}/metrics`)).text();
  expect(metrics).toMatch(/^curio_hub_cluster_listening 1$/m);
  expect(metrics).toMatch(/^curio_hub_cluster_notifications_total [1-9]\d*$/m);
  // Other hubs' updates arrived, fetched by number or carried by their announcements.
  const count = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);
  const applied =
    count('curio_hub_cluster_catch_up_fetches_total') +
    count('curio_hub_cluster_carried_commits_total');
  expect(applied).toBeGreaterThan(0);
  expect(metrics).toMatch(/^curio_hub_cross_hub_lag_seconds_count [1-9]\d*$/m);
  expect(metrics).toMatch(/^curio_hub_store_commit_seconds_bucket\{le="0.001"\} \d+$/m);
});
