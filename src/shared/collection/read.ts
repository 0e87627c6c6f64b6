// Reading the shared document. Any member's client (another version, a bug, malice) can write any
// value under any key, so every value read from the document passes through here: checked with
// zod, then repaired to a safe default or skipped. Nothing here throws on what it reads.
import type * as Y from 'yjs';
import { z } from 'zod';
import type { FieldKeys } from './field-keys';
import {
  HttpUrlSchema,
  MAX_DESCRIPTION,
  MAX_MEMBER_ID,
  MAX_TAG,
  MAX_TIME,
  MAX_TITLE,
  MAX_URL,
  PUBLISH_TARGETS,
  PublicationRecordSchema,
  TimestampSchema,
  isHttpUrl,
  normalizeTag,
  type Member,
  type PublicationRecord,
  type PublishTarget,
  type UnreadablePart,
} from '../model';
import { SAVED, compositeKey, maps, splitKey, type ItemField, type ItemFields } from './schema';

/** Cuts a string to at most `max` UTF-16 units without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

const MemberIdSchema = z.string().min(1).max(MAX_MEMBER_ID);

/** How each item field must look. Long text is cut to what a row shows rather than refused. */
export const FIELD_SCHEMAS: { [F in ItemField]: z.ZodType<ItemFields[F], unknown> } = {
  url: HttpUrlSchema,
  key: z.string().max(MAX_URL),
  title: z.string().transform((s) => clip(s, MAX_TITLE)),
  description: z.string().transform((s) => clip(s, MAX_DESCRIPTION)),
  image: HttpUrlSchema.nullable(),
  addedAt: TimestampSchema,
  addedBy: z.string().max(MAX_MEMBER_ID),
  deletedAt: TimestampSchema.nullable(),
  deletedBy: z.string().max(MAX_MEMBER_ID).nullable(),
};

/** What a missing or unreadable item field reads as. */
export const FIELD_DEFAULTS: Omit<ItemFields, 'url' | 'key'> = {
  title: '',
  description: '',
  image: null,
  addedAt: 0,
  addedBy: '',
  deletedAt: null,
  deletedBy: null,
};
const ROW_FIELDS = Object.keys(FIELD_DEFAULTS) as Array<keyof typeof FIELD_DEFAULTS>;

/** One stored field: absent, readable, or there but unreadable. */
export type FieldRead<F extends ItemField> =
  { state: 'absent' } | { state: 'ok'; value: ItemFields[F] } | { state: 'unreadable' };

const ABSENT = { state: 'absent' } as const;
const UNREADABLE = { state: 'unreadable' } as const;

const isTime = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_TIME;
const isShort = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/**
 * The values Curio itself writes, accepted without zod: reading 100,000 new rows passes through
 * here nine times a row. Each accepts only what its schema accepts and returns what the schema
 * would (read.test.ts holds them to it); anything else goes to the schema.
 */
const WELL_FORMED: { [F in ItemField]: (value: unknown) => ItemFields[F] | undefined } = {
  url: (v) => (isShort(v, MAX_URL) && isHttpUrl(v) ? v : undefined),
  key: (v) => (isShort(v, MAX_URL) ? v : undefined),
  title: (v) => (typeof v === 'string' ? clip(v, MAX_TITLE) : undefined),
  description: (v) => (typeof v === 'string' ? clip(v, MAX_DESCRIPTION) : undefined),
  image: (v) => (v === null || (isShort(v, MAX_URL) && isHttpUrl(v)) ? v : undefined),
  addedAt: (v) => (isTime(v) ? v : undefined),
  addedBy: (v) => (isShort(v, MAX_MEMBER_ID) ? v : undefined),
  deletedAt: (v) => (v === null || isTime(v) ? v : undefined),
  deletedBy: (v) => (v === null || isShort(v, MAX_MEMBER_ID) ? v : undefined),
};

/** A saved record as stored: any plain object (its fields are checked as they are read). */
export type SavedRecord = Readonly<Record<string, unknown>>;

/** The item's saved record (schema.ts, SAVED), or undefined when there is none or it is no object. */
export function readSaved(items: Y.Map<unknown>, id: string): SavedRecord | undefined {
  const value = items.get(compositeKey(id, SAVED));
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as SavedRecord)
    : undefined;
}

/**
 * What the document holds for a field of the item saved under `id`, unchecked: the field's own
 * key, else its saved record's value (`saved`: the record, when the caller has read it already;
 * null to read the key alone, as for an id that moved into another). `keyed` false: the item has
 * no field keys (field-keys.ts), so only the record is read.
 */
export function storedField(
  items: Y.Map<unknown>,
  id: string,
  field: ItemField,
  saved: SavedRecord | null | undefined = readSaved(items, id),
  keyed = true,
): unknown {
  // One lookup: a key holding `undefined` reads as absent.
  const value = keyed ? items.get(compositeKey(id, field)) : undefined;
  if (value !== undefined || !saved) return value;
  // Only the record's own fields: a record decoded from `{"__proto__": …}` has a prototype.
  return Object.hasOwn(saved, field) ? saved[field] : undefined;
}

/** Whether an item is saved under `id` (whatever its URL looks like): it has a `url`. */
export function hasUrl(items: Y.Map<unknown>, id: string): boolean {
  return storedField(items, id, 'url') !== undefined;
}

/** Every id an item is saved under (with a `url`, in its own key or its record), each once. */
export function savedItemIds(items: Y.Map<unknown>): string[] {
  const ids: string[] = [];
  for (const key of items.keys()) {
    const [id, part] = splitKey(key);
    if (part === 'url') ids.push(id);
    else if (part === SAVED && !items.has(compositeKey(id, 'url')) && hasUrl(items, id))
      ids.push(id);
  }
  return ids;
}

export function readField<F extends ItemField>(
  items: Y.Map<unknown>,
  id: string,
  field: F,
  saved?: SavedRecord | null,
  keyed = true,
): FieldRead<F> {
  const value = storedField(items, id, field, saved, keyed);
  if (value === undefined) return ABSENT;
  const known = WELL_FORMED[field](value);
  if (known !== undefined) return { state: 'ok', value: known };
  const parsed = FIELD_SCHEMAS[field].safeParse(value);
  return parsed.success ? { state: 'ok', value: parsed.data } : UNREADABLE;
}

export interface StoredItem {
  fields: ItemFields;
  unreadable: Set<UnreadablePart>;
}

/**
 * An item's fields, or null when it has no readable http(s) URL (such an item is not shown: it
 * could be neither linked nor published). `movedIn` are the ids that moved into this one: a value
 * one of them holds was written there after (or unaware of) the move, so it wins. With
 * `fieldKeys`, an id that never had a field key is read from its record alone.
 */
export function readItem(
  items: Y.Map<unknown>,
  id: string,
  movedIn: readonly string[] = [],
  fieldKeys?: FieldKeys,
): StoredItem | null {
  const keyed = (source: string) => !fieldKeys || fieldKeys.has(source);
  const saved = readSaved(items, id) ?? null;
  const own = keyed(id);
  const url = readField(items, id, 'url', saved, own);
  if (url.state !== 'ok') return null;
  const key = readField(items, id, 'key', saved, own);
  const fields: ItemFields = {
    url: url.value,
    key: key.state === 'ok' ? key.value : '',
    ...FIELD_DEFAULTS,
  };
  const unreadable = new Set<UnreadablePart>();
  for (const source of [id, ...movedIn]) {
    // A record under an id that moved in is that id's old link, not a later edit of this one.
    const record = source === id ? saved : null;
    const hasKeys = keyed(source);
    for (const field of ROW_FIELDS) {
      const read = readField(items, source, field, record, hasKeys);
      if (read.state === 'ok') assign(fields, field, read.value);
      else if (read.state === 'unreadable') unreadable.add(field);
    }
  }
  return { fields, unreadable };
}

function assign<F extends ItemField>(fields: ItemFields, field: F, value: ItemFields[F]): void {
  fields[field] = value;
}

/** Tags already checked: a collection uses a few hundred names on tens of thousands of keys. */
const tagNames = new Map<string, boolean>();

/** Whether a tag key marks a tag: it holds `true` and names a tag Curio could have written. */
export function readTag(tag: string, value: unknown): boolean {
  if (value !== true || tag === '' || tag.length > MAX_TAG) return false;
  let normal = tagNames.get(tag);
  if (normal === undefined) {
    if (tagNames.size >= 10_000) tagNames.clear();
    normal = normalizeTag(tag) === tag;
    tagNames.set(tag, normal);
  }
  return normal;
}

/** When a member read an item, from a `reads` key's member part and value. */
export function readReadMark(memberId: string, value: unknown): number | undefined {
  if (!MemberIdSchema.safeParse(memberId).success) return undefined;
  const at = TimestampSchema.safeParse(value);
  return at.success ? at.data : undefined;
}

const LenientRecordSchema = PublicationRecordSchema.extend({ url: z.unknown().optional() });

/**
 * A publication record for `target`, or undefined when it cannot be read. A record whose `url`
 * is not an http(s) URL is kept (its state decides whether a pick is published again) without it.
 */
export function readPublication(
  target: string,
  value: unknown,
): { record: PublicationRecord; flawed: boolean } | undefined {
  if (!(PUBLISH_TARGETS as readonly string[]).includes(target)) return undefined;
  const parsed = LenientRecordSchema.safeParse(value);
  if (!parsed.success || parsed.data.target !== (target as PublishTarget)) return undefined;
  const { url, ...record } = parsed.data;
  const link = HttpUrlSchema.safeParse(url);
  if (link.success) return { record: { ...record, url: link.data }, flawed: false };
  return { record, flawed: url !== undefined };
}

const FALLBACK_COLOR = '#888888';
const MemberRecordSchema = z.object({
  id: MemberIdSchema,
  name: z
    .string()
    .transform((s) => clip(s.trim(), 80))
    .pipe(z.string().min(1)),
  color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i)
    .catch(FALLBACK_COLOR),
});

/** A member record stored under `memberId`, or null when it has no name or is someone else's. */
export function readMember(memberId: string, value: unknown): Member | null {
  const parsed = MemberRecordSchema.safeParse(value);
  return parsed.success && parsed.data.id === memberId ? parsed.data : null;
}

/** Every readable member in the `members` map, by name. */
export function readMembers(members: Y.Map<unknown>): Member[] {
  const out: Member[] = [];
  for (const [id, value] of members.entries()) {
    const member = readMember(id, value);
    if (member) out.push(member);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

export interface CollectionMeta {
  name?: string;
  siteTitle?: string;
  siteBaseUrl?: string;
  siteDescription?: string;
}

const MetaSchemas = {
  name: z.string().max(200),
  siteTitle: z.string().max(200),
  siteBaseUrl: HttpUrlSchema,
  siteDescription: z.string().max(1000),
} satisfies Record<keyof CollectionMeta, z.ZodType<string, unknown>>;

/** The collection's settings; a value that cannot be read is left out, as if never set. */
export function readCollectionMeta(doc: Y.Doc): CollectionMeta {
  const meta = maps(doc).meta;
  const out: CollectionMeta = {};
  for (const name of Object.keys(MetaSchemas) as Array<keyof CollectionMeta>) {
    const parsed = MetaSchemas[name].safeParse(meta.get(name));
    if (parsed.success) out[name] = parsed.data;
  }
  return out;
}
