// The curator's vocabulary: an item is a saved link; rows are what the list views show.
import { z } from 'zod';

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
  at: z.number().int().nonnegative(),
  state: PublicationStateSchema,
  /** Where the published thing can be seen (post URL, page URL), once known. */
  url: z.string().max(2000).optional(),
  /** AT URI / commit id / other target-specific reference. */
  ref: z.string().max(2000).optional(),
  error: z.string().max(2000).optional(),
  /** The words that went out with the link (the site shows them), when the curator edited them. */
  blurb: z.string().max(5000).optional(),
});
export type PublicationRecord = z.infer<typeof PublicationRecordSchema>;

export type ItemStatus = 'unread' | 'read' | 'trash';

/** One materialised item: everything a list row, the detail pane or a publisher needs. */
export interface ItemRow {
  id: string;
  url: string;
  /** The URL's identity key (see urlKey). */
  key: string;
  host: string;
  title: string;
  description: string;
  image: string | null;
  tags: string[];
  note: string;
  addedAt: number;
  addedBy: string;
  deletedAt: number | null;
  /** memberId -> when that member marked it read. */
  readBy: Record<string, number>;
  /** When the local member read it, or null. */
  readAt: number | null;
  status: ItemStatus;
  publications: Partial<Record<PublishTarget, PublicationRecord>>;
}

export const MAX_TITLE = 500;
export const MAX_DESCRIPTION = 5000;
export const MAX_TAG = 64;
export const MAX_TAGS_PER_ITEM = 50;

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
  url: z.string().min(1).max(4000),
  title: z.string().max(MAX_TITLE).optional(),
  description: z.string().max(MAX_DESCRIPTION).optional(),
  image: z.string().max(4000).nullable().optional(),
  tags: z.array(z.string().max(200)).max(MAX_TAGS_PER_ITEM).optional(),
  note: z.string().max(200_000).optional(),
  addedAt: z.number().int().nonnegative().optional(),
});
/** What an add form, an import or an unfurl produces before it becomes an item. */
export type ItemDraft = z.infer<typeof ItemDraftSchema>;

export const ItemPatchSchema = z.object({
  title: z.string().max(MAX_TITLE).optional(),
  description: z.string().max(MAX_DESCRIPTION).optional(),
  image: z.string().max(4000).nullable().optional(),
});
export type ItemPatch = z.infer<typeof ItemPatchSchema>;

export const MemberSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  color: z.string().regex(/^#[0-9a-f]{6}$/i),
});
export type Member = z.infer<typeof MemberSchema>;
