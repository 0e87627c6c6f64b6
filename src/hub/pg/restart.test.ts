// PostgreSQL crashing under a stream of appends (its own cluster: the crash would disturb other
// files' tests). While it is down, appends fail and say so; afterwards they work again, and
// every update that was confirmed is stored.
import { expect, it } from 'vitest';
import { Editor, itemsOf, nextEvent, rebuild, usePostgres } from './test-kit';

const db = usePostgres();
const BEFORE = 20;
const AFTER = 20;

it('fails appends clearly while PostgreSQL is down, works after it restarts, and loses nothing confirmed', async () => {
  const [writer, reader] = await db.hubs(2);
  await reader!.listen();
  const editor = new Editor();
  const confirmed = new Map<number, Uint8Array>();
  let reachedCrashPoint!: () => void;
  const crashPoint = new Promise<void>((done) => (reachedCrashPoint = done));
  let backUp!: () => void;
  const restarted = new Promise<void>((done) => (backUp = done));

  // One hub appends without pause; an update that fails is sent again, as a client resends it.
  const stream = (async () => {
    for (let i = 0; confirmed.size < BEFORE + AFTER; i++) {
      const update = editor.set(`k${i}`, i);
      for (;;) {
        try {
          confirmed.set(await writer!.append('r', update), update);
          break;
        } catch {
          await restarted;
        }
      }
      if (confirmed.size === BEFORE) reachedCrashPoint();
    }
  })();

  await crashPoint;
  const lost = nextEvent(reader!, 'lost');
  await db.server.crash();
  await expect(writer!.append('r', new Editor().set('down', 0))).rejects.toThrow(
    /^PostgreSQL did not commit an update to "r", so none was confirmed: /,
  );
  expect(await writer!.check()).toMatchObject({ ok: false });
  await lost;

  const resumed = nextEvent(reader!, 'resumed');
  await db.server.restart();
  backUp();
  await Promise.all([stream, resumed]);
  expect(await writer!.check()).toMatchObject({ ok: true });

  const log = await reader!.updatesSince('r', 0);
  const stored = new Map(log.map((e) => [e.seq, e.update]));
  expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  for (const [seq, update] of confirmed) expect(stored.get(seq)).toEqual(update);
  expect(itemsOf(rebuild(log.map((e) => e.update)))).toEqual(itemsOf(editor.doc));
  await Promise.all([writer!.close(), reader!.close()]);
});
