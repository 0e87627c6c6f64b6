// Pocket's CSV export (2024 on): `title,url,time_added,tags,status`, time_added in seconds, tags
// separated by `|`, status `unread` or `archive` (read). Large libraries come as a ZIP of several
// such files of up to 10,000 rows each, read here in name order as one import.
import { DraftCollector } from './collect';
import { readCsv, type CsvRow } from './csv';
import type { ImportRun } from './result';

function pocketRow(out: DraftCollector, where: string) {
  return (row: CsvRow) => {
    const at = `${where}line ${row.line}`;
    if (!row.get('url')) return void out.problem(at, 'the url column is empty');
    const status = row.get('status').toLowerCase();
    if (status && status !== 'unread' && status !== 'archive') {
      out.problem(
        at,
        `the status "${status.slice(0, 40)}" is neither unread nor archive; read as unread`,
        'warning',
      );
    }
    out.add(at, {
      url: row.get('url'),
      title: row.get('title'),
      addedAt: row.get('time_added'),
      tags: row.get('tags').split('|'),
      read: status === 'archive',
    });
  };
}

export async function parsePocketCsv(text: string, run: ImportRun): Promise<DraftCollector> {
  const out = new DraftCollector();
  await readCsv(text, run, out, pocketRow(out, ''));
  return out;
}

/** Several CSV files of one Pocket export, as [file name, text] in the order to read them. */
export async function parsePocketCsvFiles(
  files: ReadonlyArray<readonly [string, string]>,
  run: ImportRun,
): Promise<DraftCollector> {
  const out = new DraftCollector();
  for (const [name, text] of files) {
    const where = `${name} `;
    await readCsv(text, run, out, pocketRow(out, where), where);
  }
  return out;
}
