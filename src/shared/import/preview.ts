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
 * Builds a preview draft by draft, so a caller can spread 100,000 drafts over several tasks.
 * `key`, when given, is the draft's urlKey worked out where the file was read (the import worker):
 * the draft's URL is then taken as already cleaned, and not parsed again here.
 */
export class PreviewBuilder {
  readonly preview: ImportPreview = {
    entries: [],
    new: 0,
    merged: 0,
    skipped: 0,
    skippedReasons: {},
  };
  private readonly seen = new Set<string>();

  constructor(private readonly existing: ExistingLookup) {}

  private skip(item: ImportedItem, reason: string): void {
    const { preview } = this;
    preview.entries.push({ item, status: 'skip', reason });
    preview.skipped++;
    preview.skippedReasons[reason] = (preview.skippedReasons[reason] ?? 0) + 1;
  }

  add(item: ImportedItem, knownKey?: string): void {
    const { preview } = this;
    let url: string;
    let key: string;
    try {
      url = knownKey === undefined ? cleanUrl(item.url) : item.url;
      key = knownKey ?? urlKey(url);
    } catch (error) {
      this.skip(item, error instanceof Error ? error.message : 'not a link');
      return;
    }
    if (this.seen.has(key)) return this.skip(item, LISTED_TWICE);
    this.seen.add(key);
    const found = this.existing(url, key);
    if (!found) {
      preview.entries.push({ item, status: 'new' });
      preview.new++;
      return;
    }
    if (found === true) {
      preview.entries.push({ item, status: 'merge', existingId: null, adds: null });
      preview.merged++;
      return;
    }
    const adds = addsFor(found, item);
    if (bringsNothing(adds)) return this.skip(item, ALREADY_SAVED);
    preview.entries.push({ item, status: 'merge', existingId: found.id, adds });
    preview.merged++;
  }
}

/** The preview of every draft at once; `keys` as for PreviewBuilder.add. */
export function previewImport(
  existing: ExistingLookup,
  drafts: readonly ImportedItem[],
  keys?: readonly string[],
): ImportPreview {
  const builder = new PreviewBuilder(existing);
  drafts.forEach((item, index) => builder.add(item, keys?.[index]));
  return builder.preview;
}
