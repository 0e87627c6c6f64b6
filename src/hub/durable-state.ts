// What a room in a cluster holds of the stored log, as a state vector: every update numbered up to
// `applied`, and nothing else. The document runs ahead of it (this hub's commits in flight are
// applied before they are numbered, and another hub may number an update below them), so a
// confirmation, which must cover every update stored before the one it confirms and no update
// stored after one it leaves out, is taken from here and not from the document.
import * as Y from 'yjs';

export class DurableState {
  private vector = new Map<number, number>();
  /** This hub's stored commits numbered beyond `applied` when they were stored: where each ends. */
  private readonly ahead = new Map<number, Map<number, number>>();

  /** The room loaded the log: the document is the log. */
  loaded(doc: Y.Doc): void {
    this.vector = Y.decodeStateVector(Y.encodeStateVector(doc));
    this.ahead.clear();
  }

  /** This hub's update was stored as `seq`; the room holds the log through `applied`. */
  stored(seq: number, update: Uint8Array, applied: number): void {
    this.ahead.set(seq, Y.parseUpdateMeta(update).to);
    this.settle(applied);
  }

  /** Updates fetched by number were applied; the room holds the log through `applied`. */
  fetched(updates: readonly Uint8Array[], applied: number): void {
    for (const update of updates) this.extend(Y.parseUpdateMeta(update).to);
    this.settle(applied);
  }

  /** The state vector of the log through `applied`, encoded as Yjs encodes one. */
  encode(): Uint8Array {
    return Y.encodeStateVector(this.vector);
  }

  private settle(applied: number): void {
    for (const [seq, to] of this.ahead) {
      if (seq > applied) continue;
      this.extend(to);
      this.ahead.delete(seq);
    }
  }

  private extend(to: Map<number, number>): void {
    for (const [client, clock] of to) {
      if (clock > (this.vector.get(client) ?? 0)) this.vector.set(client, clock);
    }
  }
}
