// Instapaper's CSV export: `URL,Title,Selection,Folder,Timestamp,Tags`. Timestamp is in seconds;
// Folder is `Unread`, `Archive` (read), `Starred` or a folder of the curator's; Tags, where
// present, is a JSON array in one cell (`["a","b"]`). Selection is the text chosen when saving.
import { DraftCollector } from './collect';
import { readCsv } from './csv';
import type { ImportRun } from './result';

function tagsCell(cell: string): string[] {
  if (!cell) return [];
  try {
    const parsed: unknown = JSON.parse(cell);
    if (Array.isArray(parsed)) return parsed.map((t) => String(t));
  } catch {
    // Older exports and hand edits: a plain comma-separated list.
  }
  return cell.split(',');
}

export async function parseInstapaperCsv(text: string, run: ImportRun): Promise<DraftCollector> {
  const out = new DraftCollector();
  await readCsv(text, run, out, (row) => {
    const at = `line ${row.line}`;
    if (!row.get('url')) return void out.problem(at, 'the URL column is empty');
    const folder = row.get('folder');
    const lower = folder.toLowerCase();
    const folderTags = lower === 'unread' || lower === 'archive' || !folder ? [] : [folder];
    out.add(at, {
      url: row.get('url'),
      title: row.get('title'),
      description: row.get('selection'),
      addedAt: row.get('timestamp'),
      tags: [...folderTags, ...tagsCell(row.get('tags'))],
      read: lower === 'archive',
    });
  });
  return out;
}
