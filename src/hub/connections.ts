// Live WebSocket connections: each joins its room as a Peer, and the hub can close them all, or
// those whose token was revoked or has expired. Logs one line per connection when it ends: who,
// where, how long, and why it closed.
import type { WebSocket } from 'ws';
import { INVITE_CLOSE_CODES, type TokenClaims } from '../shared/sync';
import type { HubClock } from './clock';
import type { HubMetrics } from './metrics';
import type { Peer, Room } from './room';

interface Connection extends Peer {
  readonly claims: TokenClaims;
  readonly ws: WebSocket;
  /** Answered the last ping (or has not been pinged yet). */
  alive: boolean;
}

export interface Opened {
  ws: WebSocket;
  room: Room;
  claims: TokenClaims;
  address: string;
  confirms: boolean;
}

export class Connections {
  private readonly live = new Set<Connection>();
  private opened = 0;
  private stopPings: (() => void) | null = null;

  constructor(
    private readonly metrics: HubMetrics,
    private readonly log: (line: string) => void,
    /**
     * A client this far behind on reading is dropped; it resyncs when it reconnects. A message
     * still being written to it does not count while it is written, however large: a new device's
     * whole collection in one answer is read at the device's pace, and what is sent behind it
     * only waits.
     */
    private readonly maxUnreadBytes: number,
    /** Told when a connection has ended and left its room. */
    private readonly onEnded: (room: Room) => void,
  ) {}

  get size(): number {
    return this.live.size;
  }

  add({ ws, room, claims, address, confirms }: Opened): void {
    const label = `#${++this.opened} ${claims.member} (${claims.role}, ${address})`;
    const started = Date.now();
    let received = 0;
    let ending: string | null = null;
    const metrics = this.metrics;
    const limit = this.maxUnreadBytes;
    // Messages of at least a sixteenth of the limit that are still being written, largest first.
    const writing: number[] = [];
    const connection: Connection = {
      role: claims.role,
      member: claims.member,
      confirms,
      claims,
      ws,
      alive: true,
      send(message) {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount - (writing[0] ?? 0) > limit) {
          ending ??= 'too slow to keep up; dropped';
          metrics.close('too-slow');
          ws.terminate();
          return;
        }
        const size = message.byteLength;
        if (size * 16 < limit) {
          ws.send(message);
          return;
        }
        writing.push(size);
        writing.sort((a, b) => b - a);
        // Called once the message has gone to the operating system, or the socket has failed.
        ws.send(message, () => writing.splice(writing.indexOf(size), 1));
      },
      close(code, reason) {
        ending ??= reason;
        ws.close(code, Buffer.from(reason).subarray(0, 120).toString());
      },
    };
    this.live.add(connection);
    metrics.connections++;
    room.join(connection);
    ws.on('pong', () => (connection.alive = true));
    ws.on('message', (data, isBinary) => {
      received++;
      connection.alive = true;
      if (!isBinary || !Buffer.isBuffer(data)) {
        metrics.protocolErrors++;
        connection.close(1002, 'messages must be binary');
        return;
      }
      room.receive(connection, new Uint8Array(data.buffer, data.byteOffset, data.length));
    });
    ws.on('error', (error) => {
      // ws reports oversized frames and broken framing here, then closes the socket.
      metrics.protocolErrors++;
      ending ??= error.message;
    });
    ws.on('close', (code, reason) => {
      this.live.delete(connection);
      metrics.connections--;
      room.leave(connection);
      this.onEnded(room);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const why = ending ?? (reason.length ? reason.toString() : 'closed by the client');
      this.log(
        `connection ${label} to ${room.name}: ${seconds}s, ${received} messages, ` +
          `closed ${code}: ${why}`,
      );
    });
  }

  /** Closes connections whose token is among `revoked` or expired at `nowSeconds`. */
  closeInvalid(revoked: ReadonlySet<string>, nowSeconds: number): void {
    for (const connection of this.live) {
      if (revoked.has(connection.claims.id)) {
        connection.close(INVITE_CLOSE_CODES.revoked, 'token revoked');
      } else if (connection.claims.expiresAt <= nowSeconds) {
        connection.close(INVITE_CLOSE_CODES.expired, 'token expired');
      }
    }
  }

  /**
   * Pings every connection every `everyMs`, and drops one that has neither answered nor sent
   * anything since the last ping: a peer that vanished without closing (a laptop shut, a
   * network gone) would otherwise hold its socket, and its place under the per-address limit.
   */
  startPinging(clock: HubClock, everyMs: number): void {
    const round = () => {
      for (const connection of this.live) {
        if (!connection.alive) {
          this.metrics.close('no-pong');
          connection.ws.terminate();
          continue;
        }
        connection.alive = false;
        connection.ws.ping();
      }
      this.stopPings = clock.after(everyMs, round);
    };
    this.stopPings = clock.after(everyMs, round);
  }

  stopPinging(): void {
    this.stopPings?.();
    this.stopPings = null;
  }

  closeAll(code: number, reason: string): void {
    for (const connection of this.live) connection.close(code, reason);
  }
}
