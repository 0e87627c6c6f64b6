// Answers to sync step 1 ("send me what I lack") for one room. Encoding the document costs time
// linear in its size (half a second at 50,000 links) however little the asker lacks, so each
// answer is encoded once and kept: a later asker with the same state gets the updates stored
// since, merged into one, and then the kept answer. Its step 2 comes last, so a client counts
// itself in sync only once it holds everything.
import * as Y from 'yjs';
import { encodeSyncStep2, encodeUpdate } from './protocol';

interface Kept {
  /** How many updates the room had stored when this was encoded. */
  generation: number;
  message: Uint8Array;
}

interface Stored {
  generation: number;
  update: Uint8Array;
}

const LIMITS = {
  /** Distinct answers kept per room, and their bytes together (the newest is always kept). */
  answers: 8,
  answerBytes: 64 * 1024 * 1024,
  /** Updates stored since the oldest kept answer; beyond these, answers are encoded afresh. */
  tailBytes: 1024 * 1024,
  tailUpdates: 500,
};

export class SyncAnswers {
  private readonly kept = new Map<string, Kept>();
  /** Updates stored after generation `tailBase`, oldest first. */
  private tail: Stored[] = [];
  private tailBase = 0;
  private tailBytes = 0;
  private generation = 0;
  /** The last catch-up message merged from the tail, for the next asker of the same answer. */
  private catchUp: { from: number; to: number; message: Uint8Array } | null = null;

  constructor(
    private readonly doc: Y.Doc,
    private readonly onEncode: () => void,
  ) {}

  /** Every update the room stores, as it stored it. */
  stored(update: Uint8Array): void {
    this.generation++;
    if (this.kept.size === 0) {
      this.tailBase = this.generation;
      return;
    }
    this.tail.push({ generation: this.generation, update });
    this.tailBytes += update.length;
    while (this.tail.length > LIMITS.tailUpdates || this.tailBytes > LIMITS.tailBytes) {
      const oldest = this.tail.shift() as Stored;
      this.tailBytes -= oldest.update.length;
      this.tailBase = oldest.generation;
    }
    for (const [key, answer] of this.kept) {
      if (answer.generation < this.tailBase) this.kept.delete(key);
    }
  }

  /** A whole-document update taken now for another purpose (loading, compacting). */
  keepWhole(update: Uint8Array): void {
    this.keep('', encodeSyncStep2(update));
  }

  /** The messages that bring a client with `stateVector` up to date, its step 2 last. */
  answer(stateVector: Uint8Array): Uint8Array[] {
    const key = this.keyFor(stateVector);
    let answer = this.kept.get(key);
    if (answer) {
      // Most recently used last, so that the least recently used is evicted first.
      this.kept.delete(key);
      this.kept.set(key, answer);
    } else {
      this.onEncode();
      answer = this.keep(key, encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector)));
    }
    const since = this.catchUpSince(answer.generation);
    return since ? [since, answer.message] : [answer.message];
  }

  private catchUpSince(from: number): Uint8Array | null {
    if (from === this.generation) return null;
    if (this.catchUp?.from !== from || this.catchUp.to !== this.generation) {
      const later = this.tail.filter((t) => t.generation > from).map((t) => t.update);
      const merged = later.length === 1 ? (later[0] as Uint8Array) : Y.mergeUpdates(later);
      this.catchUp = { from, to: this.generation, message: encodeUpdate(merged) };
    }
    return this.catchUp.message;
  }

  private keep(key: string, message: Uint8Array): Kept {
    if (this.kept.size === 0) {
      this.tail = [];
      this.tailBytes = 0;
      this.tailBase = this.generation;
    }
    const answer = { generation: this.generation, message };
    this.kept.delete(key);
    this.kept.set(key, answer);
    let bytes = 0;
    for (const kept of this.kept.values()) bytes += kept.message.length;
    // Least recently used first out.
    for (const [oldest, kept] of this.kept) {
      if (this.kept.size <= LIMITS.answers && bytes <= LIMITS.answerBytes) break;
      if (oldest === key) break;
      this.kept.delete(oldest);
      bytes -= kept.message.length;
    }
    return answer;
  }

  /**
   * Two state vectors get the same answer when they agree on every client up to what the room
   * has: clocks beyond the room's, and clients it has never seen, change nothing.
   */
  private keyFor(stateVector: Uint8Array): string {
    const parts: string[] = [];
    for (const [client, clock] of Y.decodeStateVector(stateVector)) {
      const known = Math.min(clock, Y.getState(this.doc.store, client));
      if (known > 0) parts.push(`${client}:${known}`);
    }
    return parts.sort().join(',');
  }
}
