// Turns loosely typed entries from any format into ImportedItems: cleans the URL, normalises tags,
// reads timestamps, truncates what is too long, and folds entries with the same link (same
// urlKey) into one, so a file that lists a link in two folders yields one item with both tags.
import { InvalidUrlError, MAX_DESCRIPTION, MAX_TAGS_PER_ITEM, MAX_TITLE, cleanUrl } from '../model';
import { normalizeTag, urlKeyOfClean } from '../model';
import {
  MAX_HIGHLIGHTS_PER_ITEM,
  MAX_NOTE,
  MAX_QUOTE,
  toEpochMs,
  type HighlightDraft,
  type ImportProblem,
  type ImportedItem,
  type ProblemKind,
  type PublicationDraft,
} from './draft';
import {
  IMPORT_FORMATS,
  MAX_KEPT_PROBLEMS,
  type ImportFormat,
  type ImportResult,
  type TextEncoding,
} from './result';

/** An entry as a parser read it; every field but the URL is optional and unchecked. */
export interface RawEntry {
  url?: string | null;
  title?: string | null;
  description?: string | null;
  image?: string | null;
  tags?: Iterable<string>;
  note?: string | null;
  /** Number in s/ms/µs or a date string; see toEpochMs. */
  addedAt?: unknown;
  read?: boolean;
  readAt?: unknown;
  highlights?: Array<{ quote?: string | null; note?: string | null; createdAt?: unknown }>;
  publications?: PublicationDraft[];
}

/** The urlKey each collected item is filed under, so whoever gives the drafts ids does not work it out twice. */
const collectedKeys = new WeakMap<ImportedItem, string>();

/** The urlKey of an item a DraftCollector made, or undefined for an item from anywhere else. */
export function collectedKey(item: ImportedItem): string | undefined {
  return collectedKeys.get(item);
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const paragraphs = (s: string) => s.replace(/\r\n?/g, '\n').trim();

export class DraftCollector {
  private readonly byKey = new Map<string, ImportedItem>();
  private readonly problems: ImportProblem[] = [];
  private omitted = 0;
  private entries = 0;
  private duplicates = 0;
  private readonly skipped: Record<string, number> = {};

  /** Adds one entry; false (with a problem recorded) when it cannot become an item. */
  add(where: string, raw: RawEntry): boolean {
    this.entries++;
    const rawUrl = (raw.url ?? '').trim();
    if (!rawUrl) {
      this.problem(where, 'it has no link', 'skipped');
      return false;
    }
    let url: string;
    let key: string;
    try {
      url = cleanUrl(rawUrl);
      key = urlKeyOfClean(url);
    } catch (error) {
      const reason = error instanceof InvalidUrlError ? error.message : `"${rawUrl}" is not a link`;
      this.problem(where, reason, 'skipped');
      return false;
    }
    const item = this.item(where, url, raw);
    const earlier = this.byKey.get(key);
    if (earlier) {
      this.duplicates++;
      mergeInto(earlier, item);
    } else {
      this.byKey.set(key, item);
      collectedKeys.set(item, key);
    }
    return true;
  }

  problem(where: string, message: string, kind: ProblemKind = 'skipped'): void {
    if (this.problems.length < MAX_KEPT_PROBLEMS) this.problems.push({ where, message, kind });
    else this.omitted++;
  }

  /** Counts an entry left out on purpose (a reply, a repost, a folder marker). */
  skip(reason: string): void {
    this.entries++;
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  get size(): number {
    return this.byKey.size;
  }

  finish(format: ImportFormat, encoding: TextEncoding | null = null): ImportResult {
    return {
      format,
      formatName: IMPORT_FORMATS[format],
      encoding,
      items: [...this.byKey.values()],
      problems: this.problems,
      omittedProblems: this.omitted,
      entries: this.entries,
      duplicates: this.duplicates,
      skipped: this.skipped,
    };
  }

  private item(where: string, url: string, raw: RawEntry): ImportedItem {
    const written = oneLine(raw.title ?? '');
    // Exports write a link's address where it has no title (a bookmark needs some text); that is
    // not a title, and Curio shows the address for an untitled link anyway.
    const untitled = written === url || written === (raw.url ?? '').trim();
    const title = untitled ? '' : this.clip(where, 'title', written, MAX_TITLE);
    const description = this.clip(
      where,
      'description',
      paragraphs(raw.description ?? ''),
      MAX_DESCRIPTION,
    );
    const note = this.clip(where, 'note', paragraphs(raw.note ?? ''), MAX_NOTE);
    const tags = distinctTags(raw.tags ?? []);
    if (tags.length > MAX_TAGS_PER_ITEM) {
      this.problem(
        where,
        `only the first ${MAX_TAGS_PER_ITEM} of its ${tags.length} tags are kept`,
        'warning',
      );
    }
    const addedAt = toEpochMs(raw.addedAt);
    if (
      raw.addedAt !== undefined &&
      raw.addedAt !== null &&
      raw.addedAt !== '' &&
      addedAt === null
    ) {
      this.problem(
        where,
        `the date "${String(raw.addedAt).slice(0, 40)}" is not a date; it is left out`,
        'warning',
      );
    }
    const readAt = raw.read ? toEpochMs(raw.readAt) : null;
    const image = raw.image?.trim();
    const item: ImportedItem = {
      url,
      title,
      description,
      tags: tags.slice(0, MAX_TAGS_PER_ITEM),
      note,
      read: raw.read === true,
      highlights: highlightsOf(raw.highlights ?? []),
      publications: raw.publications ?? [],
      origin: where.slice(0, 300),
    };
    if (addedAt !== null) item.addedAt = addedAt;
    if (readAt !== null) item.readAt = readAt;
    if (image && /^https?:\/\//i.test(image) && image.length <= 4000) item.image = image;
    return item;
  }

  private clip(where: string, field: string, value: string, max: number): string {
    if (value.length <= max) return value;
    this.problem(
      where,
      `the ${field} is longer than ${max.toLocaleString('en')} characters; the rest is cut`,
      'warning',
    );
    return value.slice(0, max);
  }
}

function distinctTags(raw: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const value of raw) {
    const tag = normalizeTag(String(value));
    if (tag) out.add(tag);
  }
  return [...out];
}

function highlightsOf(raw: NonNullable<RawEntry['highlights']>): HighlightDraft[] {
  const out: HighlightDraft[] = [];
  for (const h of raw) {
    const quote = (h.quote ?? '').trim().slice(0, MAX_QUOTE);
    if (!quote || out.length >= MAX_HIGHLIGHTS_PER_ITEM) continue;
    const highlight: HighlightDraft = { quote };
    const note = (h.note ?? '').trim().slice(0, MAX_QUOTE);
    if (note) highlight.note = note;
    const createdAt = toEpochMs(h.createdAt);
    if (createdAt !== null) highlight.createdAt = createdAt;
    out.push(highlight);
  }
  return out;
}

/**
 * The same link twice in one file: tags and highlights are united, distinct notes are joined,
 * the first non-empty title, description and image win, the earliest date is kept, and the link
 * counts as read when any entry says so.
 */
function mergeInto(target: ImportedItem, next: ImportedItem): void {
  target.title ||= next.title;
  target.description ||= next.description;
  target.image ??= next.image;
  target.tags = [...new Set([...target.tags, ...next.tags])].slice(0, MAX_TAGS_PER_ITEM);
  if (next.note && !target.note.includes(next.note)) {
    target.note = (target.note ? `${target.note}\n\n${next.note}` : next.note).slice(0, MAX_NOTE);
  }
  if (
    next.addedAt !== undefined &&
    (target.addedAt === undefined || next.addedAt < target.addedAt)
  ) {
    target.addedAt = next.addedAt;
  }
  if (next.read) {
    target.read = true;
    if (next.readAt !== undefined) target.readAt = Math.max(target.readAt ?? 0, next.readAt);
  }
  const quotes = new Set(target.highlights.map((h) => h.quote));
  for (const h of next.highlights) {
    if (!quotes.has(h.quote) && target.highlights.length < MAX_HIGHLIGHTS_PER_ITEM)
      target.highlights.push(h);
  }
  for (const p of next.publications) {
    if (!target.publications.some((q) => q.target === p.target)) target.publications.push(p);
  }
}
