// The connections in one room and what the room keeps for each: how often it may ask for the
// room's state, whether the room has closed it for bad input, and whether it has left (messages it
// sent before it left still run).
import type { HubClock } from './clock';
import type { HubMetrics } from './metrics';
import { RateLimit } from './rate-limit';
import type { Peer } from './room-deps';

/** WebSocket close codes. 1011 and 4500+ make y-websocket reconnect; 1002 marks a bad client. */
export const CLOSE = { protocolError: 1002, internalError: 1011, goingAway: 1001 } as const;

/** Requests for the room's state one connection may make: a client sends one when it connects. */
const SYNC_REQUESTS = { burst: 4, everyMs: 10_000 };

interface PeerState {
  syncRequests: RateLimit;
  /** Closed by the room for bad input: its queued messages are discarded. */
  rejected: boolean;
  left: boolean;
}

export class RoomPeers {
  private readonly states = new Map<Peer, PeerState>();

  constructor(
    private readonly clock: HubClock,
    private readonly metrics: HubMetrics,
  ) {}

  /** Connected peers; one that has left counts no more, though its queued messages still run. */
  get count(): number {
    let count = 0;
    for (const state of this.states.values()) if (!state.left) count++;
    return count;
  }

  add(peer: Peer): void {
    const { burst, everyMs } = SYNC_REQUESTS;
    const syncRequests = new RateLimit(this.clock, burst, everyMs);
    this.states.set(peer, { syncRequests, rejected: false, left: false });
  }

  /** The peer's connection ended; it stays until the messages it sent before have run. */
  markLeft(peer: Peer): void {
    const state = this.states.get(peer);
    if (state) state.left = true;
  }

  remove(peer: Peer): void {
    this.states.delete(peer);
  }

  /** Whether the room still handles this peer's messages: it joined and was not closed. */
  heeds(peer: Peer): boolean {
    const state = this.states.get(peer);
    return state !== undefined && !state.rejected;
  }

  /** Takes one of the peer's requests for the room's state; false when it asked too often. */
  mayAsk(peer: Peer): boolean {
    return this.states.get(peer)?.syncRequests.take() ?? false;
  }

  hasLeft(peer: Peer): boolean {
    return this.states.get(peer)?.left ?? false;
  }

  /** Sends `message` to every peer but `except`. */
  sendAll(message: Uint8Array, except: Peer | null = null): void {
    for (const peer of this.states.keys()) if (peer !== except) peer.send(message);
  }

  /** Closes the peer's connection for what it sent; its queued messages are discarded. */
  reject(peer: Peer, reason: string, code: number = CLOSE.protocolError): void {
    const state = this.states.get(peer);
    if (state) state.rejected = true;
    if (code === CLOSE.protocolError) this.metrics.protocolErrors++;
    peer.close(code, reason.slice(0, 120));
  }

  /** Closes every connection and forgets them. */
  closeAll(code: number, reason: string): void {
    for (const peer of this.states.keys()) peer.close(code, reason);
    this.states.clear();
  }
}
