// Matter's CSV export: `Title,Author,Publisher,URL,Tags,Word Count,In Queue,Favorited,Read,
// Highlight_Count,Last Interaction Date,File Id`. Booleans are `True`/`False`, tags are separated
// by `;`. Matter exports no saved date, so the last interaction date stands in for it.
import { DraftCollector } from './collect';
import { readCsv } from './csv';
import type { ImportRun } from './result';

const yes = (cell: string) => cell.toLowerCase() === 'true';

export async function parseMatterCsv(text: string, run: ImportRun): Promise<DraftCollector> {
  const out = new DraftCollector();
  await readCsv(text, run, out, (row) => {
    const at = `line ${row.line}`;
    if (!row.get('url')) return void out.problem(at, 'the URL column is empty');
    const byline = [row.get('author'), row.get('publisher')].filter(Boolean).join(' · ');
    out.add(at, {
      url: row.get('url'),
      title: row.get('title'),
      description: byline,
      tags: [...row.get('tags').split(';'), ...(yes(row.get('favorited')) ? ['favorite'] : [])],
      addedAt: row.get('last interaction date'),
      read: yes(row.get('read')),
    });
  });
  return out;
}
