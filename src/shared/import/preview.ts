// What an import would do, computed before anything is written: which drafts are new links, which
// are already in the collection (they merge: tags and notes are united, highlights and read marks
// added, nothing the collection has is overwritten), and which are skipped and why.
import { cleanUrl, urlKey, type ItemRow, type PublishTarget } from '../model';
import type { ImportedItem } from './draft';

/** Finds the saved item with this identity; `true` when it exists but its row is not at hand. */
export type ExistingLookup = (url: string, key: string) => ItemRow | boolean | null | undefined;

export interface MergeAdds {
  tags: string[];
  /** The draft's note is not yet in the item's note and will be appended. */
  note: boolean;
  highlights: number;
  /** The draft says read and the curator has not read it here. */
  read: boolean;
  publications: PublishTarget[];
  /** The item is in Trash and comes back. */
  restore: boolean;
}

export type PreviewEntry =
  | { item: ImportedItem; status: 'new' }
  | { item: ImportedItem; status: 'merge'; existingId: string | null; adds: MergeAdds | null }
  | { item: ImportedItem; status: 'skip'; reason: string };

export interface ImportPreview {
  entries: PreviewEntry[];
  new: number;
  merged: number;
  skipped: number;
  /** Skipped drafts by reason: { "already in the collection, nothing new": 12 }. */
  skippedReasons: Record<string, number>;
}

export const ALREADY_SAVED = 'already in the collection, nothing new';
export const LISTED_TWICE = 'listed twice in this import';

function addsFor(row: ItemRow, item: ImportedItem): MergeAdds {
  const has = new Set(row.tags);
  return {
    tags: item.tags.filter((t) => !has.has(t)),
    note: item.note !== '' && !row.note.includes(item.note),
    highlights: item.highlights.length,
    read: item.read && row.readAt === null,
    publications: item.publications.map((p) => p.target).filter((t) => !row.publications[t]),
    restore: row.status === 'trash',
  };
}

const bringsNothing = (a: MergeAdds) =>
  !a.tags.length && !a.note && !a.highlights && !a.read && !a.publications.length && !a.restore;

/**
 * `keys`, when given, are the drafts' urlKeys worked out where the file was read (the import
 * worker): the drafts' URLs are then taken as already cleaned, and no URL is parsed again here.
 */
export function previewImport(
  existing: ExistingLookup,
  drafts: readonly ImportedItem[],
  keys?: readonly string[],
): ImportPreview {
  const preview: ImportPreview = { entries: [], new: 0, merged: 0, skipped: 0, skippedReasons: {} };
  const seen = new Set<string>();
  const skip = (item: ImportedItem, reason: string) => {
    preview.entries.push({ item, status: 'skip', reason });
    preview.skipped++;
    preview.skippedReasons[reason] = (preview.skippedReasons[reason] ?? 0) + 1;
  };
  for (const [index, item] of drafts.entries()) {
    let url: string;
    let key: string;
    try {
      url = keys ? item.url : cleanUrl(item.url);
      key = keys?.[index] ?? urlKey(url);
    } catch (error) {
      skip(item, error instanceof Error ? error.message : 'not a link');
      continue;
    }
    if (seen.has(key)) {
      skip(item, LISTED_TWICE);
      continue;
    }
    seen.add(key);
    const found = existing(url, key);
    if (!found) {
      preview.entries.push({ item, status: 'new' });
      preview.new++;
      continue;
    }
    if (found === true) {
      preview.entries.push({ item, status: 'merge', existingId: null, adds: null });
      preview.merged++;
      continue;
    }
    const adds = addsFor(found, item);
    if (bringsNothing(adds)) {
      skip(item, ALREADY_SAVED);
      continue;
    }
    preview.entries.push({ item, status: 'merge', existingId: found.id, adds });
    preview.merged++;
  }
  return preview;
}
