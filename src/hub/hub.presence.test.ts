// Presence (awareness) from a hostile member, against the hub in-process: a state built to
// break the hub's JSON handling, and a reader that speaks as someone else. Whatever one member
// sends, the others stay connected and see only what each member says of themselves.
import { afterEach, expect, it } from 'vitest';
import { presenceText } from './fuzz-messages';
import { InProcessHubs, TestClient } from './test-client';

const ROOM = 'presence-room';
const hubs = new InProcessHubs();
afterEach(() => hubs.closeAll());

const member = (url: string, name: string, role: 'editor' | 'reader' = 'editor') =>
  TestClient.member(url, ROOM, name, role);

const metricsOf = async (url: string) =>
  (await fetch(`${url.replace(/^ws/, 'http')}/metrics`)).text();

it.each([
  ['nested 20,000 deep', '['.repeat(20_000) + ']'.repeat(20_000)],
  ['nested 17 deep', '{"a":'.repeat(17) + '1' + '}'.repeat(17)],
  ['a megabyte large', JSON.stringify({ user: { id: 'rita' }, pad: 'x'.repeat(1 << 20) })],
  ['not an object', '"just a string"'],
])('closes only the connection that sends presence %s', async (_, text) => {
  const { url } = await hubs.start();
  const ann = await member(url, 'ann');
  const bob = await member(url, 'bob');
  const rita = await member(url, 'rita', 'reader');
  await ann.roundTrip();
  for (let i = 1; i <= 10; i++) rita.sendRaw(presenceText(424242, i, text));
  await rita.closed();
  expect(rita.closeCode).toBe(1002);
  // The room still works for everyone else: an edit travels, presence travels.
  ann.doc.getMap('items').set('after', 'still here');
  await bob.waitFor(() => bob.doc.getMap('items').get('after') === 'still here');
  await bob.roundTrip();
  await ann.waitFor(() => ann.presence.getStates().has(bob.probeId));
  expect([ann.closeCode, bob.closeCode]).toEqual([null, null]);
  const late = await member(url, 'cy');
  expect(late.presence.getStates().has(424242)).toBe(false);
});

it('keeps each presence under the member that first used its client id', async () => {
  const { url } = await hubs.start();
  const ann = await member(url, 'ann');
  const bob = await member(url, 'bob');
  const annId = ann.doc.clientID;
  ann.sendPresence([{ clientId: annId, clock: 1, state: { user: { id: 'ann', name: 'Ann' } } }]);
  await bob.waitFor(() => bob.presence.getStates().get(annId)?.user?.name === 'Ann');

  const rita = await member(url, 'rita', 'reader');
  const ritaId = rita.doc.clientID;
  rita.sendPresence([
    // Ann's client id, a later clock and Ann's member: would replace Ann's presence.
    { clientId: annId, clock: 50, state: { user: { id: 'ann', name: 'Ann (forged)' } } },
    // Ann's client id, removed: would make Ann vanish.
    { clientId: annId, clock: 51, state: null },
    // Rita's own client id speaking as Ann.
    { clientId: ritaId, clock: 1, state: { user: { id: 'ann', name: 'Ann' } } },
  ]);
  await rita.roundTrip();
  await bob.waitFor(() => bob.presence.getStates().get(rita.probeId)?.probe === 1);
  expect(bob.presence.getStates().get(annId)?.user).toEqual({ id: 'ann', name: 'Ann' });
  expect(bob.presence.getStates().has(ritaId)).toBe(false);

  rita.close();
  await rita.closed();
  await bob.waitFor(() => !bob.presence.getStates().has(rita.probeId));
  expect(bob.presence.getStates().get(annId)?.user).toEqual({ id: 'ann', name: 'Ann' });
  // Nor can Rita take Ann's id when she comes back.
  const again = await member(url, 'rita', 'reader');
  again.sendPresence([{ clientId: annId, clock: 60, state: { user: { id: 'rita' } } }]);
  await again.roundTrip();
  expect(bob.presence.getStates().get(annId)?.user).toEqual({ id: 'ann', name: 'Ann' });

  const metrics = await metricsOf(url);
  expect(metrics).toContain('curio_hub_presence_entries_dropped_total{reason="client-id-taken"} 2');
  expect(metrics).toContain('curio_hub_presence_entries_dropped_total{reason="other-member"} 1');
  expect([ann.closeCode, bob.closeCode, again.closeCode]).toEqual([null, null, null]);
});

it('lets a member who reconnects keep speaking for its client id', async () => {
  const { url } = await hubs.start();
  const bob = await member(url, 'bob');
  const first = await member(url, 'ann');
  const id = first.doc.clientID;
  first.sendPresence([{ clientId: id, clock: 1, state: { user: { id: 'ann' }, itemId: 'a' } }]);
  await bob.waitFor(() => bob.presence.getStates().get(id)?.itemId === 'a');
  first.close();
  await bob.waitFor(() => !bob.presence.getStates().has(id));
  const second = await member(url, 'ann');
  second.sendPresence([{ clientId: id, clock: 5, state: { user: { id: 'ann' }, itemId: 'b' } }]);
  await bob.waitFor(() => bob.presence.getStates().get(id)?.itemId === 'b');
});

it('lets one connection speak for a few client ids, not for thousands', async () => {
  const { url } = await hubs.start();
  const bob = await member(url, 'bob');
  const rita = await member(url, 'rita', 'reader');
  await rita.roundTrip(); // the probe's id is the first this connection speaks for
  const entries = Array.from({ length: 100 }, (_, i) => ({
    clientId: 9000 + i,
    clock: 1,
    state: { user: { id: 'rita' } },
  }));
  rita.sendPresence(entries);
  await rita.roundTrip();
  await bob.waitFor(() => bob.presence.getStates().has(9002));
  const ritas = [...bob.presence.getStates().values()].filter((s) => s.user?.id === 'rita');
  expect(ritas).toHaveLength(4); // three of the hundred, and the round trip's probe
  expect(await metricsOf(url)).toContain(
    'curio_hub_presence_entries_dropped_total{reason="too-many-clients"} 97',
  );
});
