// CSV rows with the line each starts on, for every CSV export (Pocket, Raindrop, Instapaper,
// Matter, Curio). papaparse does the quoting (quoted commas, doubled quotes, newlines inside
// fields, CRLF); this module adds line numbers, ragged-row and unclosed-quote problems, and pauses
// between batches of rows so a long file can be cancelled.
import Papa from 'papaparse';
import type { DraftCollector } from './collect';
import type { ImportRun } from './result';

const ROWS_PER_BATCH = 2_000;

export interface CsvRow {
  /** Line of the file the row starts on (1-based; the header is line 1). */
  line: number;
  /** The cell under a header name (case-insensitive), '' when absent. */
  get(column: string): string;
}

/** The header row, lower-cased and trimmed, as detection compares it. */
export function csvHeader(text: string): string[] {
  const firstLine = text.slice(0, 4096).split(/\r?\n/, 1)[0] ?? '';
  const parsed = Papa.parse<string[]>(firstLine, { delimitersToGuess: [',', '\t', ';'] });
  return (parsed.data[0] ?? []).map((h) => h.trim().toLowerCase());
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Calls `onRow` for every data row. `where` prefixes problems ("part_000001.csv line 5") when one
 * import reads several files.
 */
export function readCsv(
  text: string,
  run: ImportRun,
  out: DraftCollector,
  onRow: (row: CsvRow) => void,
  where = '',
): Promise<void> {
  const at = (line: number) => `${where}line ${line}`;
  let header: string[] | null = null;
  let index = new Map<string, number>();
  /** papaparse restarts its cursor at 0 on each resume, from where it paused. */
  let base = 0;
  let cursor = 0;
  let line = 1;
  let rows = 0;
  return new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(text, {
      delimitersToGuess: [',', '\t', ';'],
      skipEmptyLines: 'greedy',
      step: (result, parser) => {
        const next = base + result.meta.cursor;
        // Blank lines papaparse skipped sit between the previous row's end and this row's start.
        const skipped = text.slice(cursor, next).match(/^(?:[ \t]*\r?\n)*/)?.[0] ?? '';
        const rowLine = line + countNewlines(skipped, 0, skipped.length);
        line += countNewlines(text, cursor, next);
        cursor = next;
        if (result.errors.some((error) => error.code === 'MissingQuotes')) {
          out.problem(
            at(rowLine),
            'a quoted field is never closed, so the rest of the file reads as one cell',
          );
          return;
        }
        const cells = result.data;
        if (!header) {
          header = cells.map((h) => h.trim().toLowerCase());
          index = new Map(header.map((h, i) => [h, i]));
          return;
        }
        if (cells.length !== header.length) {
          out.problem(
            at(rowLine),
            `the row has ${cells.length} cells where the header has ${header.length}; ${cells.length < header.length ? 'the missing ones are read as empty' : 'the extra ones are ignored'}`,
            'warning',
          );
        }
        onRow({ line: rowLine, get: (column) => (cells[index.get(column) ?? -1] ?? '').trim() });
        if (++rows % ROWS_PER_BATCH === 0) {
          parser.pause();
          base = cursor;
          run.checkpoint(cursor, text.length).then(
            () => parser.resume(),
            (error: unknown) => {
              // Reject first: abort() calls `complete` at once, which would resolve instead.
              reject(error);
              parser.abort();
            },
          );
        }
      },
      complete: () => resolve(),
    });
  });
}
