// Linkwarden's JSON backup (Settings → Migration → Export): the account with its `collections`,
// each holding `links` (`name`, `url`, `description`, `createdAt` ISO, `tags: [{ name }]`).
// Collections become tags, with their parents' names; "Unorganized", Linkwarden's default, does not.
import { z } from 'zod';
import { DraftCollector } from './collect';
import type { ImportRun } from './result';

const DEFAULT_COLLECTION = 'unorganized';

const CollectionSchema = z.object({
  id: z.union([z.number(), z.string()]).nullish(),
  name: z.string().nullish(),
  parentId: z.union([z.number(), z.string()]).nullish(),
  links: z.array(z.unknown()).nullish(),
});

const LinkSchema = z.object({
  name: z.string().nullish(),
  url: z.string().nullish(),
  description: z.string().nullish(),
  createdAt: z.string().nullish(),
  importDate: z.string().nullish(),
  tags: z.array(z.object({ name: z.string() })).nullish(),
});

export async function parseLinkwarden(json: unknown, run: ImportRun): Promise<DraftCollector> {
  const out = new DraftCollector();
  const root = z.object({ collections: z.array(z.unknown()) }).safeParse(json);
  if (!root.success) {
    out.problem('', 'the file has no "collections" list, so it is not a Linkwarden backup');
    return out;
  }
  const collections = root.data.collections.map((c) => CollectionSchema.safeParse(c));
  const byId = new Map<string, z.infer<typeof CollectionSchema>>();
  for (const c of collections)
    if (c.success && c.data.id != null) byId.set(String(c.data.id), c.data);
  const pathOf = (c: z.infer<typeof CollectionSchema>): string[] => {
    const path: string[] = [];
    const seen = new Set<string>();
    for (
      let at: typeof c | undefined = c;
      at && path.length < 20;
      at = byId.get(String(at.parentId ?? ''))
    ) {
      const id = String(at.id);
      if (seen.has(id)) break;
      seen.add(id);
      const name = (at.name ?? '').trim();
      if (name && name.toLowerCase() !== DEFAULT_COLLECTION) path.unshift(name);
    }
    return path;
  };
  let done = 0;
  for (const [ci, c] of collections.entries()) {
    if (!c.success) {
      out.problem(`collection ${ci + 1}`, 'it is not a collection Curio can read');
      continue;
    }
    const folderTags = pathOf(c.data);
    for (const [li, raw] of (c.data.links ?? []).entries()) {
      const where = `collection "${(c.data.name ?? '').slice(0, 60)}", link ${li + 1}`;
      const link = LinkSchema.safeParse(raw);
      if (!link.success) {
        out.problem(
          where,
          `it is not a link Curio can read (${link.error.issues[0]?.message ?? 'malformed'})`,
        );
        continue;
      }
      const l = link.data;
      out.add(where, {
        url: l.url,
        title: l.name,
        description: l.description,
        tags: [...folderTags, ...(l.tags ?? []).map((t) => t.name)],
        addedAt: l.importDate ?? l.createdAt,
      });
      if (++done % 2_000 === 0) await run.checkpoint(ci, collections.length);
    }
  }
  return out;
}
