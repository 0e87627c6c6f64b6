// Curio's own Markdown export read back: one file per link, with the link's fields as front matter
// (`key: value`, each value written as JSON, which YAML also reads) and the note as the body.
import { DraftCollector, type RawEntry } from './collect';
import type { ImportRun } from './result';

function frontMatter(text: string): { fields: Map<string, unknown>; body: string } | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) return null;
  const fields = new Map<string, unknown>();
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(line);
    if (!kv) continue;
    const raw = (kv[2] ?? '').trim();
    try {
      fields.set(kv[1]!, JSON.parse(raw));
    } catch {
      // A value edited by hand into plain YAML: take it as written.
      fields.set(kv[1]!, raw);
    }
  }
  return { fields, body: text.slice(match[0].length) };
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export async function parseCurioMarkdownFiles(
  files: ReadonlyArray<readonly [string, string]>,
  run: ImportRun,
): Promise<DraftCollector> {
  const out = new DraftCollector();
  for (const [i, [name, text]] of files.entries()) {
    const parsed = frontMatter(text);
    if (!parsed) {
      out.problem(name, 'it has no front matter (the block between --- lines) naming the link');
      continue;
    }
    const f = parsed.fields;
    const tags = f.get('tags');
    const highlights = f.get('highlights');
    const read = f.get('read');
    const entry: RawEntry = {
      url: str(f.get('url')),
      title: str(f.get('title')),
      description: str(f.get('description')),
      tags: Array.isArray(tags) ? tags.map(String) : (str(tags) ?? '').split(','),
      addedAt: f.get('added'),
      read: read !== undefined && read !== null && read !== false,
      readAt: read,
      note: parsed.body.trim(),
      highlights: Array.isArray(highlights)
        ? highlights.map((h: { quote?: string; note?: string; createdAt?: number }) => ({
            quote: str(h?.quote),
            note: str(h?.note),
            createdAt: h?.createdAt,
          }))
        : [],
    };
    out.add(name, entry);
    if ((i + 1) % 2_000 === 0) await run.checkpoint(i + 1, files.length);
  }
  return out;
}
