// One per-item map of the document (`<itemId>/<part>` keys) indexed by item, so that reading an
// item's tags, read marks or publication records costs its own keys, not a scan of the map.
// Keys whose value cannot be read are noted per item, for the row's mark.
import type * as Y from 'yjs';
import { isItemId, splitKey } from './schema';

export class PartIndex<V> {
  private readonly values = new Map<string, Map<string, V>>();
  private readonly unreadable = new Map<string, Set<string>>();

  constructor(
    private readonly map: Y.Map<unknown>,
    /** The value a part holds, or undefined when it holds none that can be read. */
    private readonly read: (part: string, value: unknown) => V | undefined,
    /** Parts that share the map but are not this index's to read (neither values nor unreadable). */
    private readonly skips: (part: string) => boolean = () => false,
  ) {
    for (const [key, value] of map.entries()) this.index(key, value);
  }

  /** Re-reads one key; returns its item id, or undefined when the key names no item. */
  update(key: string): string | undefined {
    return this.index(key, this.map.get(key));
  }

  private index(key: string, stored: unknown): string | undefined {
    const [id, part] = splitKey(key);
    if (!isItemId(id)) return undefined;
    if (this.skips(part)) return id;
    // A key holding `undefined` is as good as absent.
    const present = stored !== undefined;
    const value = present ? this.read(part, stored) : undefined;
    const parts = this.values.get(id);
    if (value !== undefined) {
      if (parts) parts.set(part, value);
      else this.values.set(id, new Map([[part, value]]));
    } else if (parts?.delete(part) && !parts.size) {
      this.values.delete(id);
    }
    const bad = this.unreadable.get(id);
    if (present && value === undefined) {
      if (bad) bad.add(part);
      else this.unreadable.set(id, new Set([part]));
    } else if (bad?.delete(part) && !bad.size) {
      this.unreadable.delete(id);
    }
    return id;
  }

  /** The readable parts under one id, with their values. */
  get(id: string): ReadonlyMap<string, V> {
    return this.values.get(id) ?? EMPTY;
  }

  hasUnreadable(id: string): boolean {
    return this.unreadable.has(id);
  }

  /** Every id with a readable part. */
  ids(): IterableIterator<string> {
    return this.values.keys();
  }
}

const EMPTY: ReadonlyMap<string, never> = new Map<string, never>();
