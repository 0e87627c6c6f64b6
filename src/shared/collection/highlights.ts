// Highlights: passages of an article a maintainer marked, with an optional note. They live in the
// root map `highlights` under flat keys `<itemId>/<highlightId>`, each a plain JSON value (never a
// nested shared type), so two maintainers highlighting at once add two keys and both survive. The
// anchor is a W3C TextQuoteSelector with a TextPositionSelector hint (../annotate); every value is
// parsed on the way out, because any editor of the collection can write anything under any key.
import type * as Y from 'yjs';
import { z } from 'zod';
import {
  TextPositionSelectorSchema,
  TextQuoteSelectorSchema,
  type TextPositionSelector,
  type TextQuoteSelector,
} from '../annotate';
import { nextTid } from '../model';
import { itemAt, type Actor } from './write';
import { compositeKey, ROOT, splitKey } from './schema';

export const HIGHLIGHTS_ROOT = ROOT.highlights;
export const MAX_HIGHLIGHT_NOTE = 10_000;
const HIGHLIGHT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const HighlightRecordSchema = z.object({
  quote: TextQuoteSelectorSchema,
  position: TextPositionSelectorSchema.nullable(),
  note: z.string().max(MAX_HIGHLIGHT_NOTE),
  by: z.string().min(1).max(64),
  at: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type HighlightRecord = z.infer<typeof HighlightRecordSchema>;

export interface Highlight extends HighlightRecord {
  id: string;
  itemId: string;
}

export interface NewHighlight {
  quote: TextQuoteSelector;
  position: TextPositionSelector | null;
  note?: string;
}

export function highlightsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(HIGHLIGHTS_ROOT);
}

/** The highlight stored under `key` with `value`, or null when either is not one Curio wrote. */
export function readHighlight(key: string, value: unknown): Highlight | null {
  const [itemId, id] = splitKey(key);
  if (!itemId || !HIGHLIGHT_ID.test(id)) return null;
  const parsed = HighlightRecordSchema.safeParse(value);
  return parsed.success ? { ...parsed.data, id, itemId } : null;
}

/** Adds a highlight to a saved link; returns its id, or null when the link is not in the collection. */
export function addHighlight(
  doc: Y.Doc,
  itemId: string,
  highlight: NewHighlight,
  actor: Actor,
): string | null {
  const at = itemAt(doc, itemId);
  if (!at) return null;
  const record = HighlightRecordSchema.parse({
    quote: highlight.quote,
    position: highlight.position,
    note: (highlight.note ?? '').trim(),
    by: actor.memberId,
    at: (actor.now ?? Date.now)(),
  });
  const id = nextTid();
  doc.transact(() => highlightsMap(doc).set(compositeKey(at.id, id), record), actor.origin ?? null);
  return id;
}

export function deleteHighlight(doc: Y.Doc, itemId: string, id: string, actor: Actor): void {
  const key = compositeKey(itemId, id);
  const map = highlightsMap(doc);
  if (map.has(key)) doc.transact(() => map.delete(key), actor.origin ?? null);
}

const oldestFirst = (a: Highlight, b: Highlight) =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The highlights of each link, kept in step with the document: a change costs the links it
 * touched, not a scan of every highlight. Values that do not parse are left out, not thrown on.
 */
export class HighlightIndex {
  private readonly byItem = new Map<string, Map<string, Highlight>>();
  private readonly sorted = new Map<string, readonly Highlight[]>();
  private readonly listeners = new Set<(itemIds: ReadonlySet<string>) => void>();
  private readonly map: Y.Map<unknown>;

  constructor(doc: Y.Doc) {
    this.map = highlightsMap(doc);
    for (const [key, value] of this.map.entries()) this.index(key, value);
    this.map.observe(this.onChange);
  }

  private readonly onChange = (event: Y.YMapEvent<unknown>): void => {
    const touched = new Set<string>();
    for (const key of event.keysChanged) {
      touched.add(splitKey(key)[0]);
      this.index(key, this.map.get(key));
    }
    for (const id of touched) this.sorted.delete(id);
    for (const listener of this.listeners) listener(touched);
  };

  private index(key: string, value: unknown): void {
    const [itemId, id] = splitKey(key);
    const highlight = value === undefined ? null : readHighlight(key, value);
    const forItem = this.byItem.get(itemId) ?? new Map<string, Highlight>();
    if (highlight) forItem.set(id, highlight);
    else forItem.delete(id);
    if (forItem.size) this.byItem.set(itemId, forItem);
    else this.byItem.delete(itemId);
  }

  /** The link's highlights, oldest first; the same array until they change. */
  of(itemId: string): readonly Highlight[] {
    let list = this.sorted.get(itemId);
    if (!list) {
      list = [...(this.byItem.get(itemId)?.values() ?? [])].sort(oldestFirst);
      this.sorted.set(itemId, list);
    }
    return list;
  }

  /** Links that have at least one highlight. */
  itemIds(): string[] {
    return [...this.byItem.keys()];
  }

  subscribe(listener: (itemIds: ReadonlySet<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.map.unobserve(this.onChange);
    this.listeners.clear();
  }
}
