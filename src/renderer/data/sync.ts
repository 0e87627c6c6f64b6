// A collection's connection to its hub: a stock y-websocket provider for sync and awareness, plus
// what the status indicator needs — offline / connecting / synced, and how many local changes the
// hub has not yet confirmed. Confirmation uses one extra message type the hub sends only to clients
// that ask for it (`confirm=1`): the room's state vector after an update from us was stored.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { MESSAGE_CONFIRMED, keepPresenceAs, readTokenClaims } from '../../shared/sync';
import type { LocalLibrary } from './library';

export type SyncState = 'offline' | 'connecting' | 'synced' | 'refused';

export interface SyncStatus {
  state: SyncState;
  /** Local changes the hub has not confirmed yet. */
  unconfirmed: number;
  /** Why the hub refused us, when state is 'refused'. */
  error: string | null;
}

export interface HubAddress {
  url: string;
  token: string;
}

interface PendingChange {
  client: number;
  clock: number;
}

export class SyncConnection {
  readonly provider: WebsocketProvider;
  private status: SyncStatus = { state: 'connecting', unconfirmed: 0, error: null };
  private pending: PendingChange[] = [];
  private readonly listeners = new Set<() => void>();
  private failures = 0;
  private readonly stopPresence: () => void;
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this.provider) return;
    const meta = Y.parseUpdateMeta(update);
    for (const [client, clock] of meta.to) {
      if ((meta.from.get(client) ?? 0) < clock) this.pending.push({ client, clock });
    }
    this.set({ unconfirmed: this.pending.length });
  };

  constructor(
    private readonly library: LocalLibrary,
    hub: HubAddress,
    options: { WebSocketPolyfill?: typeof WebSocket; connect?: boolean } = {},
  ) {
    this.provider = new WebsocketProvider(
      hub.url.replace(/\/+$/, ''),
      library.collectionId,
      library.doc,
      {
        params: { token: hub.token, confirm: '1' },
        awareness: library.awareness,
        maxBackoffTime: 10_000,
        // Tabs must not sync with each other behind the hub's back: roles and confirmations are the
        // hub's, and every tab has its own connection anyway.
        disableBc: true,
        connect: options.connect ?? true,
        ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
      },
    );
    // The hub forwards presence only under the member this connection's token was made out to.
    const member = readTokenClaims(hub.token)?.member;
    this.stopPresence = member ? keepPresenceAs(library.awareness, member) : () => {};
    this.provider.messageHandlers[MESSAGE_CONFIRMED] = (_encoder, decoder) => {
      this.confirm(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
    };
    this.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') this.failures = 0;
      this.set({
        state:
          status === 'connected'
            ? this.provider.synced
              ? 'synced'
              : 'connecting'
            : status === 'connecting'
              ? 'connecting'
              : 'offline',
      });
    });
    this.provider.on('sync', (synced: boolean) => {
      if (this.provider.wsconnected) this.set({ state: synced ? 'synced' : 'connecting' });
    });
    // Failed attempts emit no status change, only connection-close.
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event && event.code >= 4400 && event.code < 4500) {
        this.set({
          state: 'refused',
          error: event.reason || 'The hub no longer accepts this invite.',
        });
        this.provider.shouldConnect = false;
        return;
      }
      if (this.status.state !== 'refused') this.set({ state: 'offline' });
      this.failures += 1;
      // A refused upgrade looks like any failed connection from here; ask the hub why, once.
      if (this.failures === 2) void this.explainRefusal(hub);
    });
    library.doc.on('update', this.onUpdate);
    // The system knows before a socket times out: go offline at once, and retry when it is back.
    globalThis.addEventListener?.('offline', this.onOffline);
    globalThis.addEventListener?.('online', this.onOnline);
  }

  private readonly onOffline = () => {
    this.provider.disconnect();
    if (this.status.state !== 'refused') this.set({ state: 'offline' });
  };

  private readonly onOnline = () => {
    if (this.status.state !== 'refused') void this.provider.connect();
  };

  /** A browser cannot read why an upgrade was refused; the hub's check endpoint can say. */
  private async explainRefusal(hub: HubAddress): Promise<void> {
    try {
      const base = hub.url.replace(/^ws/i, 'http').replace(/\/+$/, '');
      const res = await fetch(`${base}/v1/check/${encodeURIComponent(this.library.collectionId)}`, {
        headers: { authorization: `Bearer ${hub.token}` },
      });
      if (res.status === 401 || res.status === 403) {
        const body = (await res.json().catch(() => null)) as { error?: string } | null;
        this.set({ state: 'refused', error: body?.error ?? 'The hub refused this invite.' });
        this.provider.shouldConnect = false;
        this.provider.disconnect();
      }
    } catch {
      // Unreachable hub: stay offline and keep retrying.
    }
  }

  private confirm(serverVector: Map<number, number>): void {
    this.pending = this.pending.filter((p) => (serverVector.get(p.client) ?? 0) < p.clock);
    this.set({ unconfirmed: this.pending.length });
  }

  private set(patch: Partial<SyncStatus>): void {
    const next = { ...this.status, ...patch };
    if (next.state !== 'refused') next.error = null;
    if (
      next.state === this.status.state &&
      next.unconfirmed === this.status.unconfirmed &&
      next.error === this.status.error
    )
      return;
    this.status = next;
    for (const l of this.listeners) l();
  }

  getStatus = (): SyncStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  destroy(): void {
    this.stopPresence();
    globalThis.removeEventListener?.('offline', this.onOffline);
    globalThis.removeEventListener?.('online', this.onOnline);
    this.library.doc.off('update', this.onUpdate);
    this.provider.destroy();
    this.listeners.clear();
  }
}
