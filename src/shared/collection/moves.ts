// Items whose URL changed. An item's id follows its URL's identity, so a new URL means a new id:
// the item is written there and `moves` maps its old id to the new one. A replica that had not
// heard of the move can still write under the old id; what it writes is read as part of the item
// the old id moved to (see docs/data-model.md, "Changing a link's URL").
import type * as Y from 'yjs';
import { hasUrl } from './read';
import { isItemId, maps, perDocument } from './schema';

export class Moves {
  /** Old id -> the id it moved to (readable entries only). */
  private readonly target = new Map<string, string>();
  /** Id -> the ids that moved to it directly. */
  private readonly into = new Map<string, Set<string>>();

  constructor(
    private readonly moves: Y.Map<unknown>,
    private readonly items: Y.Map<unknown>,
  ) {
    for (const id of moves.keys()) this.refresh(id);
    // Type observers run before `afterTransaction`, so readers listening there see moves current.
    moves.observe((event) => event.keysChanged.forEach((id) => this.refresh(id)));
  }

  /** Re-reads where one id moved to. */
  refresh(id: string): void {
    const before = this.target.get(id);
    const to = this.moves.get(id);
    const after = isItemId(id) && isItemId(to) && to !== id ? to : undefined;
    if (before === after) return;
    if (before !== undefined) {
      const sources = this.into.get(before);
      sources?.delete(id);
      if (!sources?.size) this.into.delete(before);
    }
    if (after === undefined) {
      this.target.delete(id);
    } else {
      this.target.set(id, after);
      const sources = this.into.get(after) ?? new Set<string>();
      sources.add(id);
      this.into.set(after, sources);
    }
  }

  /** Ids that moved. */
  sources(): IterableIterator<string> {
    return this.target.keys();
  }

  /** Whether anything moved to `id` or from it. */
  involves(id: string): boolean {
    return this.target.has(id) || this.into.has(id);
  }

  /**
   * The id that holds what was saved under `id`: itself, unless it moved to an item that exists.
   * Moves made concurrently can form a cycle; the smallest id on it then holds the item, so
   * every replica picks the same one.
   */
  resolve(id: string): string {
    const path = [id];
    let at = id;
    for (;;) {
      const next = this.target.get(at);
      if (next === undefined || !hasUrl(this.items, next)) return at;
      const seen = path.indexOf(next);
      if (seen >= 0) return path.slice(seen).reduce((a, b) => (b < a ? b : a));
      path.push(next);
      at = next;
    }
  }

  /** Every id that moved to `id` directly or through other moves, in any order. */
  movedInto(id: string): string[] {
    const out: string[] = [];
    const seen = new Set([id]);
    const queue = [id];
    for (let at = queue.pop(); at !== undefined; at = queue.pop()) {
      for (const source of this.into.get(at) ?? []) {
        if (seen.has(source)) continue;
        seen.add(source);
        out.push(source);
        queue.push(source);
      }
    }
    return out;
  }

  /** The ids read as part of the item `root` (not `root` itself), sorted. */
  group(root: string): string[] {
    if (!this.into.size) return [];
    return this.movedInto(root)
      .filter((id) => this.resolve(id) === root)
      .sort();
  }
}

/** The document's moves, indexed once and kept current. */
export const movesOf = perDocument((doc) => {
  const m = maps(doc);
  return new Moves(m.moves, m.items);
});
