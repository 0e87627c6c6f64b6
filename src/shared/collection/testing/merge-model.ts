// A reference model of the collection's merge semantics (docs/data-model.md), without Yjs. Each
// replica knows a set of operations; an operation records the writes it made and the operations
// its replica had seen. What a replica reads follows from that history alone:
//   - a key holds the value of a write that no other write of that key has seen; of concurrent
//     writes one wins (Yjs's choice: the model asks the replica's document which one it kept and
//     checks that it is one of them); a delete removes the writes it has seen;
//   - a note is every appended paragraph that no clearing of the note has seen, in some order;
//   - an item is read together with the ids that moved into it, whose values win.
// Each mutation is modelled by what it writes, given what its replica reads.
import type * as Y from 'yjs';
import { expect } from 'vitest';

export type MapName = 'items' | 'tags' | 'reads' | 'publications' | 'moves';
type Write =
  | { kind: 'set'; map: MapName; key: string; value: unknown }
  | { kind: 'delete'; map: MapName; key: string }
  | { kind: 'append'; id: string; paragraphs: readonly string[] }
  | { kind: 'clear'; id: string };

interface Op {
  n: number;
  seen: ReadonlySet<number>;
  /** The last write of each key (or note): what the operation's transaction left. */
  writes: readonly Write[];
}

const ABSENT = Symbol('absent');
/** Equal values, plain data compared by content whatever the order of its keys. */
const same = (a: unknown, b: unknown): boolean => a === b || stable(a) === stable(b);
const stable = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  );

/** The operations of every replica. */
export class History {
  readonly ops: Op[] = [];
}

/** One replica's knowledge, and the writes of the operation it is making. */
export class ModelReplica {
  private readonly known = new Set<number>();
  private pending: Write[] = [];

  constructor(
    private readonly history: History,
    /** The real replica, asked which of concurrent writes it kept. */
    private readonly doc: Y.Doc,
  ) {}

  /** Learns every operation the other replica knows (a sync). */
  merge(other: ModelReplica): void {
    for (const n of other.known) this.known.add(n);
  }

  /** Records the writes since the last commit as one operation. Reads never see pending writes. */
  commit(): void {
    const last = new Map<string, Write>();
    for (const w of this.pending) {
      const slot = 'key' in w ? `${w.map}\n${w.key}` : `note\n${w.id}\n${w.kind}`;
      const before = last.get(slot);
      last.set(
        slot,
        w.kind === 'append' && before?.kind === 'append'
          ? { ...w, paragraphs: [...before.paragraphs, ...w.paragraphs] }
          : w,
      );
    }
    this.pending = [];
    if (!last.size) return;
    const op: Op = {
      n: this.history.ops.length,
      seen: new Set(this.known),
      writes: [...last.values()],
    };
    this.history.ops.push(op);
    this.known.add(op.n);
  }

  private writes<W extends Write>(match: (w: Write) => w is W): Array<{ op: Op; write: W }> {
    const out: Array<{ op: Op; write: W }> = [];
    for (const n of this.known) {
      const op = this.history.ops[n]!;
      for (const write of op.writes) if (match(write)) out.push({ op, write });
    }
    return out;
  }

  get(map: MapName, key: string): unknown {
    const writes = this.writes(
      (w): w is Extract<Write, { map: MapName }> => 'map' in w && w.map === map && w.key === key,
    );
    const sets = writes.filter((w) => w.write.kind === 'set');
    const latest = sets.filter((s) => !sets.some((o) => o.op.seen.has(s.op.n)));
    const outcomes = latest.map((s) =>
      writes.some((d) => d.write.kind === 'delete' && d.op.seen.has(s.op.n))
        ? ABSENT
        : (s.write as { value: unknown }).value,
    );
    if (!outcomes.length) return undefined;
    if (outcomes.every((o) => same(o, outcomes[0])))
      return outcomes[0] === ABSENT ? undefined : outcomes[0];
    const real = this.doc.getMap(map);
    const kept = real.has(key) ? real.get(key) : ABSENT;
    // The replica kept one of the concurrent writes (or the deletion of the one that won).
    expect(outcomes.some((o) => same(o, kept))).toBe(true);
    return kept === ABSENT ? undefined : kept;
  }

  /** Keys of a map that hold a value. */
  keys(map: MapName): string[] {
    const keys = new Set<string>();
    for (const { write } of this.writes(
      (w): w is Extract<Write, { map: MapName }> => 'map' in w && w.map === map,
    ))
      keys.add(write.key);
    return [...keys].filter((key) => this.get(map, key) !== undefined);
  }

  /** The note's paragraphs that no clearing has seen. */
  note(id: string): string[] {
    const writes = this.writes(
      (w): w is Extract<Write, { id: string }> => 'id' in w && w.id === id,
    );
    const out: string[] = [];
    for (const { op, write } of writes) {
      if (write.kind !== 'append') continue;
      if (!writes.some((c) => c.write.kind === 'clear' && c.op.seen.has(op.n)))
        out.push(...write.paragraphs);
    }
    return out;
  }

  set(map: MapName, key: string, value: unknown): void {
    this.pending.push({ kind: 'set', map, key, value });
  }
  delete(map: MapName, key: string): void {
    if (this.get(map, key) !== undefined) this.pending.push({ kind: 'delete', map, key });
  }
  append(id: string, paragraphs: readonly string[]): void {
    if (paragraphs.length) this.pending.push({ kind: 'append', id, paragraphs });
  }
  clear(id: string): void {
    if (this.note(id).length) this.pending.push({ kind: 'clear', id });
  }
}
