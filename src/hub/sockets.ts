// Limits on sockets before anyone has shown a token. Each must finish its WebSocket upgrade (or
// send a whole HTTP request) before a deadline, and one address may hold only so many sockets
// at once: silent sockets cost an attacker nothing and the hub a file descriptor each, until it
// can accept no one.
import type { Socket } from 'node:net';
import { refuse } from './auth';
import type { HubClock } from './clock';
import type { HubMetrics } from './metrics';

export interface SocketLimits {
  /** A socket that has neither upgraded nor sent a whole HTTP request by then is closed. */
  upgradeTimeoutMs: number;
  /** Open sockets per address (IPv6: per /64); 0 for no limit, as behind a reverse proxy. */
  perAddress: number;
}

/** The address sockets are counted under: IPv4 as it is, IPv6 by its /64 network. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (!address.includes(':')) return address;
  const bare = address.split('%')[0] as string;
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros =
    tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  const groups = [...left, ...zeros, ...right].slice(0, 4);
  return `${groups.map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

export class SocketGuard {
  private readonly open = new Map<string, number>();
  private readonly deadlines = new Map<Socket, () => void>();

  constructor(
    private readonly limits: SocketLimits,
    private readonly clock: HubClock,
    private readonly metrics: HubMetrics,
  ) {}

  /** Every new TCP socket comes here first; false when it was refused. */
  admit(socket: Socket): boolean {
    const key = addressKey(socket.remoteAddress ?? '?');
    const count = (this.open.get(key) ?? 0) + 1;
    if (this.limits.perAddress > 0 && count > this.limits.perAddress) {
      this.metrics.close('address-limit');
      socket.on('error', () => socket.destroy());
      refuse(socket, 429, `too many connections from ${key}; close some and try again`);
      socket.destroySoon();
      return false;
    }
    this.open.set(key, count);
    this.metrics.sockets++;
    socket.once('close', () => {
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
      this.metrics.sockets--;
      this.settle(socket);
    });
    const cancel = this.clock.after(this.limits.upgradeTimeoutMs, () => {
      this.deadlines.delete(socket);
      this.metrics.close('upgrade-timeout');
      socket.destroy();
    });
    this.deadlines.set(socket, cancel);
    return true;
  }

  /** The socket did what it came for (an upgrade, or a whole HTTP request): no deadline. */
  settle(socket: Socket): void {
    this.deadlines.get(socket)?.();
    this.deadlines.delete(socket);
  }

  /** Closes every socket still short of an upgrade or a request (the hub is stopping). */
  closeUnsettled(): void {
    for (const [socket, cancel] of this.deadlines) {
      cancel();
      socket.destroy();
    }
    this.deadlines.clear();
  }
}
