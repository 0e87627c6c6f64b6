// The curator's vocabulary: an item is a saved link; rows are what the list views show.
import { z } from 'zod';
import { isHttpUrl } from './url';

export const MAX_URL = 4000;
export const MAX_TITLE = 500;
export const MAX_DESCRIPTION = 5000;
/**
 * How much of a note a row carries (for search, the list's excerpt and the default blurb): about
 * 3,000 words. The note itself can be longer; its editor shows all of it.
 */
export const MAX_NOTE = 20_000;
export const MAX_TAG = 64;
export const MAX_TAGS_PER_ITEM = 50;
/** More tags than this on one row would be someone's mistake or malice; the rest are not shown. */
export const MAX_ROW_TAGS = 100;
export const MAX_MEMBER_ID = 64;
/** The last millisecond of the year 9999: later dates have no four-digit ISO 8601 year. */
export const MAX_TIME = 253_402_300_799_999;

/** An absolute http(s) URL: the only kind Curio stores, links to, opens or publishes. */
export const HttpUrlSchema = z.string().max(MAX_URL).refine(isHttpUrl, 'must be an http(s) URL');
/** A time in ms since the epoch that every date formatter accepts. */
export const TimestampSchema = z.number().int().min(0).max(MAX_TIME);

export const PUBLISH_TARGETS = ['bluesky', 'site'] as const;
export type PublishTarget = (typeof PUBLISH_TARGETS)[number];

/** `removed`: taken down by a curator ("Remove from site", "Remove from Bluesky"); never re-posted. */
export const PublicationStateSchema = z.enum(['publishing', 'published', 'failed', 'removed']);
export type PublicationState = z.infer<typeof PublicationStateSchema>;

/** Lives in the shared document under `publications`, written before any network call. */
export const PublicationRecordSchema = z.object({
  target: z.enum(PUBLISH_TARGETS),
  /** Record key fixed before the first attempt: a TID for Bluesky, the entry slug for the site. */
  key: z.string().min(1).max(200),
  by: z.string().min(1).max(64),
  at: TimestampSchema,
  state: PublicationStateSchema,
  /** Where the published thing can be seen (post URL, page URL), once known. */
  url: HttpUrlSchema.optional(),
  /** AT URI / commit id / other target-specific reference. */
  ref: z.string().max(2000).optional(),
  error: z.string().max(2000).optional(),
  /** The words that went out with the link (the site shows them), when the curator edited them. */
  blurb: z.string().max(5000).optional(),
});
export type PublicationRecord = z.infer<typeof PublicationRecordSchema>;

/** The parts of a row that held a value Curio could not read and shows a safe default for. */
export const UNREADABLE_PARTS = [
  'title',
  'description',
  'image',
  'addedAt',
  'addedBy',
  'deletedAt',
  'deletedBy',
  'tags',
  'readBy',
  'publications',
] as const;
export type UnreadablePart = (typeof UNREADABLE_PARTS)[number];

export const ItemStatusSchema = z.enum(['unread', 'read', 'trash']);
export type ItemStatus = z.infer<typeof ItemStatusSchema>;

/**
 * One materialised item: everything a list row, the detail pane or a publisher needs. Rows are
 * built only by the materialiser, which checks every value it reads from the shared document, so
 * a row always satisfies this schema; the schema checks rows again where they cross a process.
 */
export const ItemRowSchema = z.object({
  id: z.string().min(1).max(64),
  url: HttpUrlSchema,
  /** The URL's identity key (see urlKey). */
  key: z.string().max(MAX_URL),
  host: z.string().max(300),
  /** Empty when no title was typed or found: show `displayTitle(row)`. */
  title: z.string().max(MAX_TITLE),
  description: z.string().max(MAX_DESCRIPTION),
  image: HttpUrlSchema.nullable(),
  tags: z.array(z.string().min(1).max(MAX_TAG)).max(MAX_ROW_TAGS),
  note: z.string().max(MAX_NOTE),
  addedAt: TimestampSchema,
  addedBy: z.string().max(MAX_MEMBER_ID),
  deletedAt: TimestampSchema.nullable(),
  /** memberId -> when that member marked it read. */
  readBy: z.record(z.string(), TimestampSchema),
  /** When the local member read it, or null. */
  readAt: TimestampSchema.nullable(),
  status: ItemStatusSchema,
  publications: z.partialRecord(z.enum(PUBLISH_TARGETS), PublicationRecordSchema),
  /** Present when some stored values could not be read; the row shows defaults for them. */
  unreadable: z.array(z.enum(UNREADABLE_PARTS)).optional(),
});
export type ItemRow = z.infer<typeof ItemRowSchema>;

/** The title to show: the one typed or found, else the URL. */
export function displayTitle(row: Pick<ItemRow, 'title' | 'url'>): string {
  return row.title.trim() || row.url;
}

/** Tags compare case-insensitively and read as typed words: "Distributed Systems" -> "distributed-systems". */
export function normalizeTag(raw: string): string {
  return raw
    .trim()
    .replace(/^#+/, '')
    .toLowerCase()
    .replace(/[\s,]+/g, '-')
    .replace(/[^\p{L}\p{N}\-_.+/#]/gu, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, MAX_TAG);
}

/** Splits a free-text tag field ("a, b c") into distinct normalised tags. */
export function parseTagList(raw: string): string[] {
  const out = new Set<string>();
  for (const part of raw.split(/[,\n]/)) {
    const tag = normalizeTag(part);
    if (tag) out.add(tag);
  }
  return [...out];
}

export const ItemDraftSchema = z.object({
  url: z.string().min(1).max(MAX_URL),
  title: z.string().max(MAX_TITLE).optional(),
  description: z.string().max(MAX_DESCRIPTION).optional(),
  image: z.string().max(MAX_URL).nullable().optional(),
  tags: z.array(z.string().max(200)).max(MAX_TAGS_PER_ITEM).optional(),
  note: z.string().max(200_000).optional(),
  addedAt: TimestampSchema.optional(),
});
/** What an add form, an import or an unfurl produces before it becomes an item. */
export type ItemDraft = z.infer<typeof ItemDraftSchema>;

export const ItemPatchSchema = z.object({
  title: z.string().max(MAX_TITLE).optional(),
  description: z.string().max(MAX_DESCRIPTION).optional(),
  image: z.string().max(MAX_URL).nullable().optional(),
});
export type ItemPatch = z.infer<typeof ItemPatchSchema>;

export const MemberSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  color: z.string().regex(/^#[0-9a-f]{6}$/i),
});
export type Member = z.infer<typeof MemberSchema>;
