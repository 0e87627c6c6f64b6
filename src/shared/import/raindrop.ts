// Raindrop.io's CSV backup: `id,title,note,excerpt,url,folder,tags,created,cover,highlights,favorite`.
// `created` is ISO 8601, tags are comma-separated inside one quoted cell, folders are paths
// ("Reading / Longform"), and highlights are one cell of `Highlight:` lines, each optionally
// followed by a `Note:` line.
import { DraftCollector, type RawEntry } from './collect';
import { readCsv } from './csv';
import type { ImportRun } from './result';

/** Raindrop's default collection: where links go when the curator chose no folder. */
const UNSORTED = 'unsorted';

export function raindropHighlights(cell: string): NonNullable<RawEntry['highlights']> {
  const out: Array<{ quote: string; note: string }> = [];
  let field: 'quote' | 'note' | null = null;
  for (const line of cell.split(/\r?\n/)) {
    const highlight = /^\s*Highlight:\s?(.*)$/i.exec(line);
    const note = /^\s*Note:\s?(.*)$/i.exec(line);
    if (highlight) {
      out.push({ quote: highlight[1] ?? '', note: '' });
      field = 'quote';
    } else if (note && out.length) {
      out[out.length - 1]!.note = note[1] ?? '';
      field = 'note';
    } else if (field && out.length) {
      const last = out[out.length - 1]!;
      last[field] += `\n${line}`;
    }
  }
  return out;
}

export async function parseRaindropCsv(text: string, run: ImportRun): Promise<DraftCollector> {
  const out = new DraftCollector();
  await readCsv(text, run, out, (row) => {
    const at = `line ${row.line}`;
    if (!row.get('url')) return void out.problem(at, 'the url column is empty');
    const folders = row
      .get('folder')
      .split('/')
      .map((f) => f.trim())
      .filter((f) => f && f.toLowerCase() !== UNSORTED);
    const favorite = row.get('favorite').toLowerCase() === 'true';
    out.add(at, {
      url: row.get('url'),
      title: row.get('title'),
      note: row.get('note'),
      description: row.get('excerpt'),
      tags: [...folders, ...row.get('tags').split(','), ...(favorite ? ['favorite'] : [])],
      addedAt: row.get('created'),
      image: row.get('cover'),
      highlights: raindropHighlights(row.get('highlights')),
    });
  });
  return out;
}
