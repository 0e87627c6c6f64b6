// One collection's room: its document and stored log, its members' connections (room-peers.ts)
// and presence (room-presence.ts).
//
// Everything a room does runs through one serial queue, starting with loading the stored log.
// That gives the hub its guarantees without locks: a client that connects while the room loads
// waits in the queue and never sees an empty document. An update is applied and handed to the
// group commit, and the queue moves on; everything the room sends waits behind the commits
// started before it (commit-order.ts), so no client can receive, by broadcast, confirmation or
// sync reply, anything not yet on disk. With several hubs on one database, updates other hubs
// committed come with their announcements or are fetched by number (room-catch-up.ts); being on
// disk already, they are forwarded at once. Whatever goes wrong with one connection's message
// closes that connection, not the room.
import * as Y from 'yjs';
import { AppliedLog } from './applied-log';
import { ClusterConfirmations } from './cluster-confirmations';
import { CommitOrder } from './commit-order';
import type { CommitLane } from './group-commit';
import { LogFolding } from './log-folding';
import {
  ProtocolError,
  encodeConfirmed,
  encodeSyncStep1,
  encodeUpdate,
  readClientMessage,
} from './protocol';
import { CatchUp, applyStored } from './room-catch-up';
import { FROM_CLUSTER, type Peer, type RoomDeps } from './room-deps';
import { CLOSE, RoomPeers } from './room-peers';
import { RoomPresence } from './room-presence';
import type { LogEntry } from './room-store';
import { SyncAnswers } from './sync-answers';
import { WaitingUpdates } from './waiting-updates';

export type { Peer, RoomCluster, RoomDeps } from './room-deps';

export class Room {
  readonly doc = new Y.Doc();
  private readonly peers: RoomPeers;
  private readonly answers: SyncAnswers;
  private readonly waiting: WaitingUpdates<Peer | typeof FROM_CLUSTER>;
  private readonly presence: RoomPresence;
  private queue: Promise<void>;
  private readonly lane: CommitLane;
  private readonly order = new CommitOrder();
  private readonly log: AppliedLog;
  private readonly folding: LogFolding;
  private readonly catchUps: CatchUp;
  private broken = false;
  private destroyed = false;
  /** The number of this hub's newest stored commit to the room. */
  private ownHead = 0;
  /** In a cluster: what the room owes its members once it holds the log without a gap. */
  private readonly confirmations = new ClusterConfirmations<Peer>();

  /** `after`: the previous instance of this room, still writing its final snapshot. */
  constructor(
    readonly name: string,
    private readonly deps: RoomDeps,
    after: Promise<void> = Promise.resolve(),
  ) {
    const { metrics } = deps;
    this.peers = new RoomPeers(deps.clock, metrics);
    this.answers = new SyncAnswers(this.doc, () => metrics.stateEncodes++);
    this.waiting = new WaitingUpdates(this.doc, deps.maxWaitingBytes, (delta) => {
      metrics.waitingBytes += delta;
    });
    this.presence = new RoomPresence(this.doc, {
      metrics,
      broadcast: (message) => this.order.whenStored(() => this.peers.sendAll(message)),
      publish: (update) => deps.cluster?.publishPresence(name, update),
    });
    this.lane = deps.commits.lane(name);
    this.log = new AppliedLog(deps.cluster !== undefined);
    this.folding = new LogFolding(deps.store, name, deps.compactAfter, deps.log);
    this.catchUps = new CatchUp({
      name,
      cluster: deps.cluster,
      log: this.log,
      usable: () => !this.destroyed && !this.broken,
      enqueue: (task) => this.enqueue(task),
      apply: (entries, how) => this.applyFetched(entries, how),
      note: deps.log,
    });
    this.queue = after.catch(() => undefined).then(() => this.load());
  }

  /** Connected peers; one that has left counts no more, though its queued messages still run. */
  get peerCount(): number {
    return this.peers.count;
  }

  join(peer: Peer): void {
    this.peers.add(peer);
    // Hold everything stored before it joined, so that what it sends back holds only what the
    // log lacks (a member moving here from a hub that died must not store its edits twice).
    this.catchUps.fetchInQueue();
    this.enqueue(() => {
      const step1 = encodeSyncStep1(this.doc);
      const everyone = this.presence.anyone ? this.presence.everyoneMessage() : null;
      this.order.whenStored(() => {
        peer.send(step1);
        if (everyone) peer.send(everyone);
      });
    });
  }

  /** The newest number up to which this room holds every stored update. */
  get applied(): number {
    return this.log.applied;
  }

  /**
   * Another hub committed this room's updates through `seq` (`at`: when, in ms since the epoch,
   * if known; `updates`: the commit's updates to this room, numbered up to `seq`, if they came
   * along). A late, repeated or missing announcement costs only a fetch, or the next check.
   */
  heard(seq: number, at?: number, updates?: Uint8Array[]): void {
    this.catchUps.heard(seq, at, updates);
  }

  /** Fetches whatever other hubs stored after what the room holds (room-catch-up.ts). */
  catchUp(): void {
    this.catchUps.request();
  }

  /** Presence from a member connected to another hub. */
  heardPresence(update: Uint8Array): void {
    this.enqueue(() => this.presence.heard(update));
  }

  receive(peer: Peer, bytes: Uint8Array): void {
    this.enqueue(() => this.handleContained(peer, bytes));
  }

  /** The peer's connection ended: messages it sent before still count. */
  leave(peer: Peer): void {
    this.peers.markLeft(peer);
    this.enqueue(() => {
      this.peers.remove(peer);
      this.waiting.drop(peer);
      this.presence.release(peer);
    });
  }

  /** Resolves once every queued task has run and every commit it started is durable. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.queue || (this.catchUps.busy && !this.broken)) {
      await this.catchUps.settled();
      seen = this.queue;
      await seen;
      await this.order.settled();
    }
  }

  /** Folds the log into one snapshot and releases the document. */
  async shutdown(): Promise<void> {
    this.enqueue(async () => {
      await this.order.settled();
      if (this.broken) return;
      await this.folding.foldNow(this.log.applied, () => Y.encodeStateAsUpdate(this.doc));
    });
    await this.queue;
    this.destroy();
  }

  private enqueue(task: () => void | Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.broken ? undefined : task()))
      .catch((error: unknown) => this.fail(`unexpected error: ${String(error)}`));
  }

  private async load(): Promise<void> {
    try {
      const log = await this.deps.store.load(this.name);
      this.doc.transact(() => {
        for (const update of log.updates) Y.applyUpdate(this.doc, update);
      });
      // The log holds only changes that were integrated when stored, so nothing should wait;
      // whatever would, stays out of every answer.
      this.doc.store.pendingStructs = null;
      this.doc.store.pendingDs = null;
      this.log.loaded(log.head);
      if (this.deps.cluster) this.confirmations.loaded(this.doc);
      this.folding.grew(log.updates.length);
      if (log.updates.length === 1) this.answers.keepWhole(log.updates[0] as Uint8Array);
      this.deps.log(`room ${this.name} loaded: ${log.updates.length} stored updates`);
    } catch (error) {
      this.fail(`could not load: ${String(error)}`);
    }
  }

  /** A message that makes the hub fail closes only its sender's connection. */
  private async handleContained(peer: Peer, bytes: Uint8Array): Promise<void> {
    try {
      await this.handle(peer, bytes);
    } catch (error) {
      if (this.broken) return;
      this.deps.log(`room ${this.name}: a message from ${peer.member} failed: ${String(error)}`);
      this.deps.metrics.close('internal-error');
      this.peers.reject(peer, 'the hub could not handle a message', CLOSE.internalError);
    }
  }

  private async handle(peer: Peer, bytes: Uint8Array): Promise<void> {
    if (!this.peers.heeds(peer)) return;
    this.deps.metrics.messages++;
    let message;
    try {
      message = readClientMessage(bytes, { checkUpdates: false });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.peers.reject(peer, `malformed message: ${error.message}`);
      return;
    }
    // Asking for the room's state or everyone's presence has a cost; a client asks once.
    const asks = message.type === 'sync-step1' || message.type === 'query-awareness';
    if (asks && !this.peers.mayAsk(peer)) {
      this.deps.metrics.syncRequestsDropped++;
      return;
    }
    switch (message.type) {
      case 'sync-step1': {
        const answers = this.answers.answer(message.stateVector);
        this.order.whenStored(() => answers.forEach((answer) => peer.send(answer)));
        return;
      }
      case 'sync-step2':
      case 'update':
        if (peer.role !== 'editor') {
          this.deps.metrics.readerUpdatesDropped++;
          return;
        }
        return this.receiveUpdate(peer, message.update);
      case 'awareness':
        return this.presence.receive(peer, message.entries);
      case 'query-awareness': {
        const everyone = this.presence.everyoneMessage();
        this.order.whenStored(() => peer.send(everyone));
        return;
      }
    }
  }

  private async receiveUpdate(peer: Peer, update: Uint8Array): Promise<void> {
    const stateVector = Y.encodeStateVector(this.doc);
    const problem = await this.deps.checker.check(update, stateVector);
    if (problem) this.peers.reject(peer, `malformed message: ${problem}`);
    else this.applyUpdate(peer, update);
  }

  /** Applies an editor's update, commits what it added, and shares it once it is durable. */
  private applyUpdate(peer: Peer, update: Uint8Array): void {
    const integrated: Uint8Array[] = [];
    const collect = (u: Uint8Array) => integrated.push(u);
    this.doc.on('update', collect);
    let overLimit: (Peer | typeof FROM_CLUSTER)[];
    try {
      overLimit = this.waiting.apply(peer, update);
    } catch (error) {
      // The update decoded but Yjs could not integrate it: the document in memory may hold part
      // of it. Refuse it and rebuild the room from storage, which never saw it.
      this.peers.reject(peer, `update could not be applied: ${String(error)}`);
      this.fail('an update failed half-way; reloading from storage');
      return;
    } finally {
      this.doc.off('update', collect);
    }
    this.closeOverLimit(overLimit);
    // Nothing new (a resync), or only changes still waiting for the ones they build on.
    if (integrated.length > 0) this.commit(integrated, peer);
    if (peer.confirms && !overLimit.includes(peer)) {
      if (this.deps.cluster) {
        // Confirmed once this hub's commits so far are durable and the room holds every update
        // numbered up to the newest of them (cluster-confirmations.ts).
        this.order.whenStored(() => {
          this.confirmations.owe(this.ownHead, peer);
          this.confirmHeld();
        });
      } else {
        // The state now, sent once it is durable: later updates may be in flight by then.
        const confirmed = encodeConfirmed(Y.encodeStateVector(this.doc));
        this.order.whenStored(() => peer.send(confirmed));
      }
    }
  }

  /** Sends the confirmations owed for updates the room now holds every predecessor of. */
  private confirmHeld(): void {
    const due = this.confirmations.takeDue(this.log.applied);
    for (const peer of due?.peers ?? []) {
      if (!this.peers.hasLeft(peer)) peer.send(due!.message);
    }
  }

  /** Hands what Yjs integrated to the group commit; it goes to the others once durable. */
  private commit(integrated: Uint8Array[], from: Peer | null): void {
    const merged =
      integrated.length === 1 ? (integrated[0] as Uint8Array) : Y.mergeUpdates(integrated);
    this.folding.grew(1);
    this.answers.stored(merged);
    // The first update of an empty room is the whole room: the answer to a new device.
    if (this.folding.count === 1) this.answers.keepWhole(merged);
    this.order.begin();
    this.lane.append(merged).then(
      (seq) => {
        this.deps.metrics.updates++;
        this.deps.metrics.updateBytes += merged.length;
        this.ownHead = Math.max(this.ownHead, seq);
        if (this.log.own(seq)) this.catchUp();
        if (this.deps.cluster) {
          this.confirmations.stored(seq, merged, this.log.applied);
          this.confirmHeld();
        }
        this.order.finish();
        this.compactIfDue();
      },
      (error: unknown) => this.fail(`could not store an update: ${String(error)}`),
    );
    const message = encodeUpdate(merged);
    this.order.whenStored(() => {
      this.peers.sendAll(message, from);
    });
  }

  /** Closes the connections holding more early updates than allowed. */
  private closeOverLimit(overLimit: (Peer | typeof FROM_CLUSTER)[]): void {
    for (const other of overLimit) {
      this.waiting.drop(other);
      if (other === FROM_CLUSTER) continue;
      this.deps.metrics.close('waiting-updates');
      this.peers.reject(other, 'sent changes that build on changes it never sent');
    }
  }

  /**
   * Applies updates fetched by number (they run without a gap), and forwards what is new. A fetch
   * and an announcement's updates may overlap: what the room already holds is skipped.
   */
  private applyFetched(fetched: LogEntry[], how: 'fetched' | 'carried'): void {
    const entries = fetched.filter((entry) => entry.seq > this.log.applied);
    if (entries.length === 0 || this.broken || this.destroyed) return;
    if (how === 'carried') this.deps.metrics.carriedCommits++;
    else this.deps.metrics.catchUpFetches++;
    let applied: ReturnType<typeof applyStored>;
    try {
      applied = applyStored(this.doc, entries, (update) => {
        // Through the waiting updates: another hub's change may be what a member's waited for.
        this.closeOverLimit(this.waiting.apply(FROM_CLUSTER, update));
        this.waiting.drop(FROM_CLUSTER);
      });
    } catch (error) {
      this.fail(`an update stored by another hub failed to apply: ${String(error)}`);
      return;
    }
    const { fromCluster, resumed } = applied;
    const last = entries.at(-1)!.seq;
    this.log.fetched(last);
    this.confirmations.fetched(
      entries.map((entry) => entry.update),
      this.log.applied,
    );
    this.confirmHeld();
    this.folding.grew(entries.length);
    this.observeLag();
    // Another hub's updates are durable already, and build on nothing this hub has in flight
    // (it only hears of what is committed): they need not wait behind this hub's commits.
    for (const update of fromCluster) {
      this.answers.stored(update);
      const message = encodeUpdate(update);
      this.peers.sendAll(message);
    }
    // Members' changes that were waiting for these are new to the log.
    if (resumed.length > 0) this.commit(resumed, null);
    this.compactIfDue();
  }

  private observeLag(): void {
    // Announcements carry the database's wall clock, so this is the wall clock too.
    for (const lag of this.log.lagsThrough(Date.now())) this.deps.metrics.crossHubLag.observe(lag);
  }

  /**
   * Folds the log into a snapshot once it has grown, when nothing is in flight: the document
   * then holds only durable updates, and every one numbered up to `applied`.
   */
  private compactIfDue(): void {
    if (this.broken || this.destroyed || this.order.inFlight > 0) return;
    if (!this.folding.due() || this.log.applied === 0) return;
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    this.answers.keepWhole(snapshot);
    this.folding.foldSoon(this.log.applied, snapshot);
  }

  private fail(reason: string): void {
    if (this.broken) return;
    this.broken = true;
    this.deps.log(`room ${this.name} closed: ${reason}`);
    this.order.clear();
    this.lane.broken ??= new Error(reason);
    this.peers.closeAll(CLOSE.internalError, 'room reloading');
    this.deps.onBroken(this);
    this.destroy();
  }

  private destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.waiting.clear();
    this.presence.destroy();
    this.doc.destroy();
  }
}
