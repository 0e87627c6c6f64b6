// What every importer produces: an ImportedItem per link, richer than an ItemDraft (read state,
// highlights, publications), plus the problems met on the way. Parsers never throw on bad input;
// they describe it.
import { z } from 'zod';
import {
  MAX_DESCRIPTION,
  MAX_TAGS_PER_ITEM,
  MAX_TITLE,
  PUBLISH_TARGETS,
  PublicationStateSchema,
} from '../model';

export const MAX_NOTE = 200_000;
export const MAX_QUOTE = 20_000;
export const MAX_HIGHLIGHTS_PER_ITEM = 1_000;

const time = z.number().int().nonnegative();

/** A highlighted passage. Curio anchors it later as a W3C TextQuoteSelector on the article text. */
export const HighlightDraftSchema = z.object({
  quote: z.string().min(1).max(MAX_QUOTE),
  note: z.string().max(MAX_QUOTE).optional(),
  createdAt: time.optional(),
});
export type HighlightDraft = z.infer<typeof HighlightDraftSchema>;

/** A publication that already happened elsewhere (a Bluesky post); `by` is filled in on confirm. */
export const PublicationDraftSchema = z.object({
  target: z.enum(PUBLISH_TARGETS),
  key: z.string().min(1).max(200),
  at: time,
  state: PublicationStateSchema,
  url: z.string().max(2000).optional(),
  ref: z.string().max(2000).optional(),
});
export type PublicationDraft = z.infer<typeof PublicationDraftSchema>;

export const ImportedItemSchema = z.object({
  /** Cleaned with cleanUrl: http(s) only, no tracking parameters. */
  url: z.string().min(1).max(4000),
  title: z.string().max(MAX_TITLE),
  description: z.string().max(MAX_DESCRIPTION),
  image: z.string().max(4000).optional(),
  /** Normalised with normalizeTag, distinct. */
  tags: z.array(z.string().min(1).max(200)).max(MAX_TAGS_PER_ITEM),
  note: z.string().max(MAX_NOTE),
  /** Milliseconds since the epoch, whatever unit the file used. */
  addedAt: time.optional(),
  read: z.boolean(),
  readAt: time.optional(),
  highlights: z.array(HighlightDraftSchema).max(MAX_HIGHLIGHTS_PER_ITEM),
  publications: z.array(PublicationDraftSchema).max(PUBLISH_TARGETS.length),
  /** Where in the file it came from ("line 14", "entry 3"), for the preview. */
  origin: z.string().max(300),
});
export type ImportedItem = z.infer<typeof ImportedItemSchema>;

export type ProblemKind = 'skipped' | 'warning';

/** One thing the importer could not take as it was. `where` is "line 14", "entry 3", … */
export interface ImportProblem {
  where: string;
  message: string;
  kind: ProblemKind;
}

export function describeProblem(problem: ImportProblem): string {
  return problem.where ? `${problem.where}: ${problem.message}` : problem.message;
}

// Timestamps: exports write seconds (Netscape ADD_DATE, Pocket, Karakeep), milliseconds (some
// bookmark tools) or microseconds (Chrome's internal clock, Firefox's places), all as plain
// numbers. A date after 5138 in seconds is read as milliseconds, and after 5138 in milliseconds
// as microseconds, which no real bookmark reaches.
const MS_THRESHOLD = 1e11;
const US_THRESHOLD = 1e14;
/** Dates after this are rejected as nonsense (year 2500). */
const LATEST = Date.UTC(2500, 0, 1);

/** Milliseconds since the epoch from a number in s/ms/µs or a date string; null if unusable. */
export function toEpochMs(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  let ms: number;
  if (
    typeof value === 'number' ||
    (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value))
  ) {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) return null;
    ms = n >= US_THRESHOLD ? n / 1000 : n >= MS_THRESHOLD ? n : n * 1000;
  } else if (typeof value === 'string') {
    // A date and time with no zone ("2023-02-01 09:30:00") is read as UTC, so an import gives
    // the same dates on every machine.
    const bare = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/.exec(value.trim());
    ms = Date.parse(bare ? `${bare[1]}T${bare[2]}Z` : value.trim());
  } else {
    return null;
  }
  if (!Number.isFinite(ms) || ms <= 0 || ms > LATEST) return null;
  return Math.floor(ms);
}
