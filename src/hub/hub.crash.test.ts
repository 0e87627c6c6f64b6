// kill -9 at a random point while a member streams edits: after a restart the hub must still
// have every edit another member received, and every edit the writer saw acknowledged (a round
// trip covers everything the connection sent before it). Updates are group-committed on the
// store's own thread, so many are in flight at the moment of the kill.
import { afterEach, expect, it } from 'vitest';
import { TestClient } from './test-client';
import { spawnHub, tempDataDir, tokenFor, type HubProcess } from './test-kit';

const ROOM = 'crash-room';
let hub: HubProcess | undefined;
afterEach(() => hub?.stop());

const keysOf = (client: TestClient) => new Set(client.doc.getMap('items').keys());

it('loses nothing anyone was told is stored when killed with SIGKILL mid-stream', async () => {
  const dataDir = tempDataDir();
  let written = 0;
  hub = await spawnHub(dataDir, ['--compact-after', '40']);
  for (let round = 0; round < 3; round++) {
    const writer = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'editor', 'writer'));
    const observer = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM, 'reader', 'obs'));
    await Promise.all([writer.synced(), observer.synced()]);
    // What the observer has received only ever grows, so its latest view is what it saw. The
    // kill comes once it has seen a random number of this round's edits.
    const killAfter = 10 + Math.floor(Math.random() * 150);
    const before = keysOf(observer).size;
    let seen = new Set<string>();
    let reached: () => void = () => {};
    const enoughSeen = new Promise<void>((done) => (reached = done));
    observer.ws.on('message', () => {
      seen = keysOf(observer);
      if (seen.size - before >= killAfter) reached();
    });
    let acknowledged = new Set<string>();
    let streaming = true;
    const stream = (async () => {
      while (streaming && writer.closeCode === null) {
        writer.doc.getMap('items').set(`k${written++}`, round);
        if (written % 25 === 0) {
          const sent = keysOf(writer);
          await writer.roundTrip().then(
            () => (acknowledged = sent),
            () => undefined,
          );
        } else {
          await new Promise((r) => setImmediate(r));
        }
      }
    })();
    await enoughSeen;
    await hub.kill9();
    streaming = false;
    await stream;
    expect(seen.size, `round ${round}: the observer saw edits before the kill`).toBeGreaterThan(0);

    hub = await spawnHub(dataDir, ['--compact-after', '40']);
    const fresh = await TestClient.connect(hub.url, ROOM, tokenFor(ROOM));
    await fresh.synced();
    const stored = keysOf(fresh);
    const missing = [...seen, ...acknowledged].filter((key) => !stored.has(key));
    expect(missing, `round ${round}, killed after ${killAfter} edits seen`).toEqual([]);
    fresh.close();
  }
});
