// Curio JSON: the whole collection in one file, everything a curator needs to leave or to restore
// (items, tags, notes, read state per member, highlights, publications, members, import records).
// This zod schema is the single definition of the format; docs/curio-json.md describes it.
import { z } from 'zod';
import { MemberSchema, PublicationRecordSchema, type ItemRow, type Member } from '../model';

export const CURIO_JSON_FORMAT = 'curio-collection';
/** The longest note an item carries in the format: longer ones are cut there. */
export const CURIO_JSON_MAX_NOTE = 200_000;

export const CURIO_JSON_VERSION = 1;

const time = z.number().int().nonnegative();
const memberId = z.string().min(1).max(64);

/** A highlight as Curio stores it: a W3C TextQuoteSelector, with a TextPositionSelector hint. */
export const HighlightRecordSchema = z.object({
  id: z.string().min(1).max(64),
  by: memberId,
  at: time,
  exact: z.string().min(1).max(20_000),
  prefix: z.string().max(200).optional(),
  suffix: z.string().max(200).optional(),
  start: z.number().int().nonnegative().optional(),
  end: z.number().int().nonnegative().optional(),
  note: z.string().max(20_000).optional(),
});
export type HighlightRecord = z.infer<typeof HighlightRecordSchema>;

/** One import, so it can be listed and undone later. */
export const ImportRecordSchema = z.object({
  id: z.string().min(1).max(64),
  at: time,
  by: memberId,
  format: z.string().max(40),
  fileName: z.string().max(500).optional(),
  itemIds: z.array(z.string().max(64)),
});
export type ImportRecord = z.infer<typeof ImportRecordSchema>;

export const CurioItemSchema = z.object({
  id: z.string().min(1).max(64),
  url: z.string().min(1).max(4000),
  title: z.string().max(4000),
  description: z.string().max(10_000),
  image: z.string().max(4000).nullable(),
  addedAt: time,
  addedBy: z.string().max(64),
  deletedAt: time.nullable(),
  tags: z.array(z.string().max(200)).max(200),
  note: z.string().max(CURIO_JSON_MAX_NOTE),
  /** memberId -> when that member marked it read. */
  readBy: z.record(memberId, time),
  publications: z.array(PublicationRecordSchema).max(10),
  highlights: z.array(HighlightRecordSchema).default([]),
});
export type CurioItem = z.infer<typeof CurioItemSchema>;

export const CollectionInfoSchema = z.object({
  id: z.string().max(200).optional(),
  name: z.string().max(500).optional(),
  siteTitle: z.string().max(500).optional(),
  siteBaseUrl: z.string().max(2000).optional(),
  siteDescription: z.string().max(5000).optional(),
});
export type CollectionInfo = z.infer<typeof CollectionInfoSchema>;

export const CurioExportSchema = z.object({
  format: z.literal(CURIO_JSON_FORMAT),
  version: z.literal(CURIO_JSON_VERSION),
  exportedAt: time,
  collection: CollectionInfoSchema,
  members: z.array(MemberSchema),
  items: z.array(CurioItemSchema),
  imports: z.array(ImportRecordSchema).default([]),
});
export type CurioExport = z.infer<typeof CurioExportSchema>;

export interface CurioExportInput {
  rows: readonly ItemRow[];
  members: readonly Member[];
  collection: CollectionInfo;
  /** Highlights by item id; none yet in the collection document, so usually left out. */
  highlights?: ReadonlyMap<string, readonly HighlightRecord[]>;
  imports?: readonly ImportRecord[];
  exportedAt: number;
}

export function curioItem(row: ItemRow, highlights: readonly HighlightRecord[] = []): CurioItem {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    description: row.description,
    image: row.image,
    addedAt: row.addedAt,
    addedBy: row.addedBy,
    deletedAt: row.deletedAt,
    tags: [...row.tags],
    note: row.note,
    readBy: { ...row.readBy },
    publications: Object.values(row.publications).filter((p) => p !== undefined),
    highlights: [...highlights],
  };
}

export function toCurioExport(input: CurioExportInput): CurioExport {
  return {
    format: CURIO_JSON_FORMAT,
    version: CURIO_JSON_VERSION,
    exportedAt: input.exportedAt,
    collection: { ...input.collection },
    members: [...input.members],
    items: input.rows.map((row) => curioItem(row, input.highlights?.get(row.id))),
    imports: [...(input.imports ?? [])],
  };
}

/** The file's text: one item per line inside the list, so diffs and `grep` stay useful. */
export function serializeCurioJson(input: CurioExportInput): string {
  const data = toCurioExport(input);
  const { items, ...head } = data;
  const headText = JSON.stringify(head, null, 2);
  const itemsText = items.length
    ? `[\n    ${items.map((item) => JSON.stringify(item)).join(',\n    ')}\n  ]`
    : '[]';
  return `${headText.slice(0, -2)},\n  "items": ${itemsText}\n}\n`;
}
