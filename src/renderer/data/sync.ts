// A collection's connection to its hub: a stock y-websocket provider for sync and awareness, plus
// what the status indicator needs — offline / connecting / synced, and how many local changes the
// hub has not yet confirmed. Confirmation uses one extra message type the hub sends only to clients
// that ask for it (`confirm=1`): the room's state vector after an update from us was stored.
// It also keeps the collection's access current: the hub is asked what the invite allows as soon
// as the connection starts, and again whenever a connection is refused.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import {
  CONFIRM_PARAMS,
  MESSAGE_CONFIRMED,
  keepPresenceAs,
  readTokenClaims,
  refusalOfClose,
} from '../../shared/sync';
import { checkInvite, type AccessControl } from './access';
import { Observable } from './observable';

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

/** What a connection syncs: one collection's document and presence, and who may change it. */
export interface SyncedCollection {
  collectionId: string;
  doc: Y.Doc;
  awareness: Awareness;
  access: AccessControl;
}

export interface SyncOptions {
  WebSocketPolyfill?: typeof WebSocket;
  connect?: boolean;
  fetch?: typeof fetch;
}

interface PendingChange {
  client: number;
  clock: number;
}

export class SyncConnection extends Observable {
  readonly provider: WebsocketProvider;
  private status: SyncStatus = { state: 'connecting', unconfirmed: 0, error: null };
  private pending: PendingChange[] = [];
  /** The room's state vector in the hub's latest "stored" confirmation, null before the first. */
  private confirmedVector: Map<number, number> | null = null;
  private readonly confirmedListeners = new Set<() => void>();
  private failures = 0;
  private destroyed = false;
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
    private readonly collection: SyncedCollection,
    private readonly hub: HubAddress,
    private readonly options: SyncOptions = {},
  ) {
    super();
    this.provider = new WebsocketProvider(
      hub.url.replace(/\/+$/, ''),
      collection.collectionId,
      collection.doc,
      {
        params: { token: hub.token, ...CONFIRM_PARAMS },
        awareness: collection.awareness,
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
    this.stopPresence = member ? keepPresenceAs(collection.awareness, member) : () => {};
    this.provider.messageHandlers[MESSAGE_CONFIRMED] = (_encoder, decoder) => {
      this.confirm(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
    };
    this.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') this.failures = 0;
      if (this.status.state === 'refused') return;
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
      const refusal = event ? refusalOfClose(event.code) : null;
      if (refusal) {
        this.refuse(event?.reason || 'The hub no longer accepts this invite.');
        collection.access.withdraw(refusal);
        return;
      }
      if (this.status.state !== 'refused') this.set({ state: 'offline' });
      this.failures += 1;
      // A refused upgrade looks like any failed connection from here; ask the hub why, once.
      if (this.failures === 2) void this.checkAccess();
    });
    collection.doc.on('update', this.onUpdate);
    // The system knows before a socket times out: go offline at once, and retry when it is back.
    globalThis.addEventListener?.('offline', this.onOffline);
    globalThis.addEventListener?.('online', this.onOnline);
    if (options.connect ?? true) void this.checkAccess();
  }

  private readonly onOffline = () => {
    this.provider.disconnect();
    if (this.status.state !== 'refused') this.set({ state: 'offline' });
  };

  private readonly onOnline = () => {
    if (this.status.state === 'refused') return;
    void this.provider.connect();
    if (this.collection.access.get().kind === 'checking') void this.checkAccess();
  };

  /**
   * Asks the hub what the invite allows: the role it confirms, or why it refuses (a browser cannot
   * read why a WebSocket upgrade was refused; the check endpoint can say).
   */
  private async checkAccess(): Promise<void> {
    const { access, collectionId } = this.collection;
    try {
      const answer = await checkInvite(
        this.hub.url,
        collectionId,
        this.hub.token,
        this.options.fetch,
      );
      if (this.destroyed) return;
      if (answer.ok) return access.confirm(answer.role);
      this.refuse(answer.error);
      access.withdraw(answer.reason);
    } catch {
      // Unreachable hub: the token's own word stands; stay offline and keep retrying.
    }
  }

  private refuse(error: string): void {
    this.set({ state: 'refused', error });
    this.provider.shouldConnect = false;
    this.provider.disconnect();
  }

  private confirm(serverVector: Map<number, number>): void {
    this.confirmedVector = serverVector;
    for (const listener of [...this.confirmedListeners]) listener();
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
    this.changed();
  }

  getStatus = (): SyncStatus => this.status;

  /**
   * The state vector of the hub's latest "stored" confirmation: the room as it was right after an
   * update of ours was stored. The posting queue decides slot claims by it (decide.ts), which
   * assumes the vector covers every update the hub stored before ours.
   */
  getConfirmed = (): ReadonlyMap<number, number> | null => this.confirmedVector;

  /** Calls back whenever a confirmation arrives. */
  onConfirmed(listener: () => void): () => void {
    this.confirmedListeners.add(listener);
    return () => this.confirmedListeners.delete(listener);
  }

  override destroy(): void {
    this.destroyed = true;
    this.confirmedListeners.clear();
    this.stopPresence();
    globalThis.removeEventListener?.('offline', this.onOffline);
    globalThis.removeEventListener?.('online', this.onOnline);
    this.collection.doc.off('update', this.onUpdate);
    this.provider.destroy();
    super.destroy();
  }
}
