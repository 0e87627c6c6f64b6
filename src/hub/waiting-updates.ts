// Changes that arrived before the changes they build on. Yjs keeps them in the document
// (`store.pendingStructs` and `pendingDs`), merges every later such update into them, retries
// them on every update and includes them in every state it encodes: one member could make the
// room slower for all, and have the hub hand out changes it never stored. The hub takes them out
// of the room's document after each update and holds them for the connection that sent them,
// up to a byte limit, handing them back to Yjs with that connection's next update.
import * as Y from 'yjs';

interface Waiting {
  structs: { missing: Map<number, number>; update: Uint8Array } | null;
  deletes: Uint8Array | null;
  /** Per client, the lowest clock the waiting changes need the room to reach. */
  needs: Map<number, number>;
  bytes: number;
}

export class WaitingUpdates<P> {
  private readonly byPeer = new Map<P, Waiting>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly maxBytes: number,
    /** Told how many bytes more (or fewer) are held, across the room. */
    private readonly onChange: (deltaBytes: number) => void,
  ) {}

  /**
   * Applies `peer`'s update together with what it left waiting, then takes out whatever still
   * waits, and retries other connections' changes whose dependencies have now arrived. Returns
   * the connections holding more than the limit: the caller closes them.
   */
  apply(peer: P, update: Uint8Array): P[] {
    this.restore(peer);
    Y.applyUpdate(this.doc, update, peer);
    this.takeFor(peer);
    for (const [other, waiting] of [...this.byPeer]) {
      if (other !== peer && this.canResume(waiting)) {
        this.restore(other);
        Y.applyUpdate(this.doc, new Uint8Array([0, 0]), other);
        this.takeFor(other);
      }
    }
    return [...this.byPeer].filter(([, w]) => w.bytes > this.maxBytes).map(([p]) => p);
  }

  /** Forgets what `peer` left waiting: a client sends it again when it resyncs. */
  drop(peer: P): void {
    const waiting = this.byPeer.get(peer);
    if (!waiting) return;
    this.byPeer.delete(peer);
    this.onChange(-waiting.bytes);
  }

  /** Forgets everything held (the room is going away). */
  clear(): void {
    for (const peer of [...this.byPeer.keys()]) this.drop(peer);
  }

  private restore(peer: P): void {
    const waiting = this.byPeer.get(peer);
    if (!waiting) return;
    this.drop(peer);
    this.doc.store.pendingStructs = waiting.structs;
    this.doc.store.pendingDs = waiting.deletes;
  }

  private takeFor(peer: P): void {
    const { pendingStructs: structs, pendingDs: deletes } = this.doc.store;
    this.doc.store.pendingStructs = null;
    this.doc.store.pendingDs = null;
    if (!structs && !deletes) return;
    const bytes = (structs?.update.length ?? 0) + (deletes?.length ?? 0);
    const needs = new Map(structs?.missing);
    if (deletes) {
      for (const [client, ranges] of Y.decodeUpdateV2(deletes).ds.clients) {
        const lowest = Math.min(...ranges.map((r) => r.clock));
        needs.set(client, Math.min(lowest, needs.get(client) ?? lowest));
      }
    }
    this.byPeer.set(peer, { structs, deletes, needs, bytes });
    this.onChange(bytes);
  }

  private canResume(waiting: Waiting): boolean {
    for (const [client, clock] of waiting.needs) {
      if (clock < Y.getState(this.doc.store, client)) return true;
    }
    return false;
  }
}
