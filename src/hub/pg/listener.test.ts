// How hubs hear of each other's commits: announcements after commit, never of a hub's own
// commits, and a listening connection that comes back after it is killed or stops answering.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LISTENER_NAME } from './listener';
import { announcements, Editor, nextEvent, usePostgres } from './test-kit';

const db = usePostgres();

describe('announcements', () => {
  it('tell other hubs which room has a new update and its number, not the hub that wrote it', async () => {
    const [a, b] = await db.hubs(2);
    await a!.listen();
    const heard = announcements(a!);
    const editor = new Editor();
    await a!.append('r', editor.set('mine', 1));
    const theirs = editor.set('theirs', 2);
    const seq = await b!.append('r', theirs);
    // Announcements arrive in commit order, so a's own would have come before this one.
    await heard.until('r', seq);
    // A small update rides along, so the hearer need not read it back.
    expect(heard.heard).toEqual([{ room: 'r', seq: 2, at: expect.any(Number), updates: [theirs] }]);
    // The commit's time by the database's clock, for the cross-hub lag (same machine here).
    expect(Math.abs(heard.heard[0]!.at! - Date.now())).toBeLessThan(3_600_000);
    expect(a!.stats()).toMatchObject({ notifications: 1, listening: true });
    await Promise.all([a!.close(), b!.close()]);
  });

  it("announce a batch's newest number in each of its rooms", async () => {
    const [a, b] = await db.hubs(2);
    await a!.listen();
    const heard = announcements(a!);
    const update = new Editor().set('k', 1);
    await b!.appendMany([
      { room: 'x', update },
      { room: 'y', update },
      { room: 'x', update },
    ]);
    const marker = await b!.append('z', update);
    await heard.until('z', marker);
    expect(heard.heard).toEqual(
      expect.arrayContaining([
        { room: 'x', seq: 2, at: expect.any(Number), updates: [update, update] },
        { room: 'y', seq: 1, at: expect.any(Number), updates: [update] },
      ]),
    );
    expect(heard.heard).toHaveLength(3);
    await Promise.all([a!.close(), b!.close()]);
  });

  it('leave out updates too large to ride along; the hearer reads them by number', async () => {
    const [a, b] = await db.hubs(2);
    await a!.listen();
    const heard = announcements(a!);
    const large = new Editor().set('k', 'x'.repeat(5000));
    const seq = await b!.append('big', large);
    await heard.until('big', seq);
    expect(heard.heard[0]).not.toHaveProperty('updates');
    expect((await a!.updatesSince('big', 0)).map((e) => e.update)).toEqual([large]);
    await Promise.all([a!.close(), b!.close()]);
  });

  it('leave out many small updates whose announcement would pass the payload limit', async () => {
    const [a, b] = await db.hubs(2);
    await a!.listen();
    const heard = announcements(a!);
    // Few bytes in all, but each one costs its quotes and comma in the announcement.
    const tiny = Uint8Array.of(0, 0);
    const seqs = await b!.appendMany(
      Array.from({ length: 1500 }, () => ({ room: 't', update: tiny })),
    );
    await heard.until('t', seqs.at(-1)!);
    expect(heard.heard[0]).not.toHaveProperty('updates');
    expect(await a!.updatesSince('t', 0)).toHaveLength(1500);
    await Promise.all([a!.close(), b!.close()]);
  });

  it('are ignored when they do not parse, and counted', async () => {
    const schema = db.freshSchema();
    const [a] = await db.hubs(1, { schema });
    await a!.listen();
    const heard = announcements(a!);
    await db.sql(`SELECT pg_notify($1, 'not json'), pg_notify($1, '{"room": 5}')`, [
      `${schema}_appended`,
    ]);
    const [b] = await db.hubs(1, { schema });
    await heard.until('r', await b!.append('r', new Editor().set('k', 1)));
    expect(a!.stats()).toMatchObject({ notifications: 1, malformedNotifications: 2 });
    await Promise.all([a!.close(), b!.close()]);
  });
});

describe('the listening connection', () => {
  it('comes back after it is killed, and updates committed meanwhile are read by number', async () => {
    const [a, b] = await db.hubs(2);
    await a!.listen();
    const heard = announcements(a!);
    const editor = new Editor();
    const lost = nextEvent(a!, 'lost');
    const resumed = nextEvent(a!, 'resumed');
    await db.sql(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [LISTENER_NAME],
    );
    await lost;
    const missed = await b!.append('r', editor.set('while away', 1));
    await resumed;
    const caughtUp = await a!.updatesSince('r', 0);
    expect(caughtUp.map((e) => e.seq)).toEqual([missed]);

    await heard.until('r', await b!.append('r', editor.set('back', 2)));
    expect(a!.stats()).toMatchObject({ reconnects: 1, listening: true, catchUpFetches: 1 });
    await Promise.all([a!.close(), b!.close()]);
  });

  it('is replaced when it stops answering without closing', async () => {
    const proxy = await StallingProxy.start(
      join(db.connection.host!, `.s.PGSQL.${db.connection.port}`),
    );
    const schema = db.freshSchema();
    const [a] = await db.hubs(1, {
      schema,
      connection: { ...db.connection, host: '127.0.0.1', port: proxy.port },
      listener: { checkEveryMs: 50, checkTimeoutMs: 2000 },
    });
    const [b] = await db.hubs(1, { schema });
    await a!.listen();
    const heard = announcements(a!);
    proxy.stallAll();
    await nextEvent(a!, 'resumed');
    await heard.until('r', await b!.append('r', new Editor().set('k', 1)));
    proxy.close();
    await Promise.all([a!.close(), b!.close()]);
  });

  it('stops for good on unlisten, and can start again', async () => {
    const [a, b] = await db.hubs(2);
    await a!.listen();
    await a!.unlisten();
    expect(a!.stats().listening).toBe(false);
    await a!.listen();
    const heard = announcements(a!);
    await heard.until('r', await b!.append('r', new Editor().set('k', 1)));
    await Promise.all([a!.close(), b!.close()]);
  });
});

/**
 * A loopback TCP proxy to the server's Unix socket that can stop forwarding on every connection
 * it carries while keeping them open: a peer that vanished without a word, as a partition or a
 * dropped NAT entry leaves it.
 */
class StallingProxy {
  private readonly sockets = new Set<Socket>();
  private readonly stalled: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(socketPath: string): Promise<StallingProxy> {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    const proxy = new StallingProxy(server, typeof address === 'object' ? address!.port : 0);
    server.on('connection', (client) => {
      const upstream = connect(socketPath);
      for (const socket of [client, upstream]) {
        proxy.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => proxy.sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
      proxy.stalled.push(() => {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      });
    });
    return proxy;
  }

  stallAll(): void {
    for (const stall of this.stalled.splice(0)) stall();
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }
}
