// Curio's own CSV export read back (see ../export/csv.ts for the columns).
import { uncsvCell } from '../export/csv';
import { DraftCollector } from './collect';
import { readCsv } from './csv';
import type { ImportRun } from './result';

export async function parseCurioCsv(text: string, run: ImportRun): Promise<DraftCollector> {
  const out = new DraftCollector();
  await readCsv(text, run, out, (row) => {
    const get = (column: string) => uncsvCell(row.get(column));
    const at = `line ${row.line}`;
    if (!get('url')) return void out.problem(at, 'the url column is empty');
    out.add(at, {
      url: get('url'),
      title: get('title'),
      description: get('description'),
      tags: get('tags').split(','),
      note: get('note'),
      addedAt: get('added_at'),
      read: get('read_at') !== '',
      readAt: get('read_at'),
      image: get('image'),
    });
  });
  return out;
}
