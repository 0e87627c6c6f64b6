// Curio's CSV: one row per link, RFC 4180 quoting and CRLF, UTF-8 with a byte order mark so
// spreadsheet programs pick the right encoding. A cell that a spreadsheet would run as a formula
// (starting with = + - @, a tab or a carriage return) is prefixed with `'`, which Curio's CSV
// reader removes again.
import type { ItemRow } from '../model';

export const CURIO_CSV_COLUMNS = [
  'url',
  'title',
  'description',
  'tags',
  'note',
  'added_at',
  'read_at',
  'image',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Undoes csvCell's formula guard. */
export function uncsvCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

export function toCsv(rows: readonly ItemRow[]): string {
  const lines = [CURIO_CSV_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.url,
        row.title,
        row.description,
        row.tags.join(', '),
        row.note,
        iso(row.addedAt),
        iso(row.readAt),
        row.image ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
