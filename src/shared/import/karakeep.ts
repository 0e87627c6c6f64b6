// Karakeep's (formerly Hoarder's) JSON backup: `{ bookmarks: [...], lists: [...] }`. A bookmark
// has `createdAt` in seconds, `title`, `tags` (names), `note`, `archived`, `lists` (ids) and a
// `content` that is a link, a text note or null (an uploaded file). Archived means done: read.
import { z } from 'zod';
import { DraftCollector } from './collect';
import type { ImportRun } from './result';

const ListSchema = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullish(),
  type: z.string().optional(),
});

const BookmarkSchema = z.object({
  createdAt: z.union([z.number(), z.string()]).nullish(),
  title: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  lists: z.array(z.string()).nullish(),
  content: z
    .object({ type: z.string(), url: z.string().optional(), text: z.string().optional() })
    .nullish(),
  note: z.string().nullish(),
  archived: z.boolean().nullish(),
});

/** Manual lists become tags, with the names of the lists above them. */
function listTags(lists: unknown): Map<string, string[]> {
  const parsed = z.array(z.unknown()).safeParse(lists);
  const byId = new Map<string, z.infer<typeof ListSchema>>();
  for (const raw of parsed.success ? parsed.data : []) {
    const list = ListSchema.safeParse(raw);
    if (list.success && list.data.type !== 'smart') byId.set(list.data.id, list.data);
  }
  const paths = new Map<string, string[]>();
  for (const id of byId.keys()) {
    const path: string[] = [];
    const seen = new Set<string>();
    for (
      let at = byId.get(id);
      at && !seen.has(at.id) && path.length < 20;
      at = byId.get(at.parentId ?? '')
    ) {
      seen.add(at.id);
      path.unshift(at.name);
    }
    paths.set(id, path);
  }
  return paths;
}

export async function parseKarakeep(json: unknown, run: ImportRun): Promise<DraftCollector> {
  const out = new DraftCollector();
  const root = z.object({ bookmarks: z.array(z.unknown()), lists: z.unknown() }).safeParse(json);
  if (!root.success) {
    out.problem('', 'the file has no "bookmarks" list, so it is not a Karakeep backup');
    return out;
  }
  const lists = listTags(root.data.lists);
  const bookmarks = root.data.bookmarks;
  for (let i = 0; i < bookmarks.length; i++) {
    const where = `bookmark ${i + 1}`;
    const parsed = BookmarkSchema.safeParse(bookmarks[i]);
    if (!parsed.success) {
      out.problem(
        where,
        `it is not a bookmark Curio can read (${parsed.error.issues[0]?.message ?? 'malformed'})`,
      );
      continue;
    }
    const b = parsed.data;
    if (b.content?.type !== 'link') {
      out.skip(b.content?.type === 'text' ? 'text note' : 'file');
      continue;
    }
    out.add(where, {
      url: b.content.url,
      title: b.title,
      tags: [...(b.tags ?? []), ...(b.lists ?? []).flatMap((id) => lists.get(id) ?? [])],
      note: b.note,
      addedAt: b.createdAt,
      read: b.archived === true,
    });
    if ((i + 1) % 2_000 === 0) await run.checkpoint(i + 1, bookmarks.length);
  }
  return out;
}
