// Exports as files: the rows chosen (everything, the view on screen or the selection) in one of
// the formats Curio writes, named after the collection and the day, and saved through the
// browser's download, which Electron turns into a save dialog.
import {
  documentExport,
  serializeCurioJson,
  slug,
  toCsv,
  toMarkdownList,
  toMarkdownZip,
  toNetscapeBookmarks,
  withWholeNotes,
} from '../../shared/export';
import type { ItemRow } from '../../shared/model';
import type { LocalLibrary } from './library';

export const EXPORT_FORMATS = {
  'curio-json': { label: 'Curio JSON', extension: 'json', type: 'application/json' },
  netscape: { label: 'Bookmarks HTML', extension: 'html', type: 'text/html' },
  csv: { label: 'CSV', extension: 'csv', type: 'text/csv' },
  markdown: { label: 'Markdown', extension: 'md', type: 'text/markdown' },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

export interface ExportRequest {
  format: ExportFormat;
  rows: readonly ItemRow[];
  /** Markdown only: one file per link in a ZIP, with front matter, rather than one list. */
  markdownFiles?: boolean;
  /** Names the file and heads the Markdown list. */
  title: string;
}

export interface ExportedFile {
  name: string;
  blob: Blob;
}

export function exportFile(
  library: LocalLibrary,
  request: ExportRequest,
  now = Date.now(),
): ExportedFile {
  const day = new Date(now).toISOString().slice(0, 10);
  const base = `${slug(request.title, 'links')}-${day}`;
  const { format } = request;
  // A row's note is cut to what the list shows; a file takes every word.
  const rows = format === 'curio-json' ? request.rows : withWholeNotes(library.doc, request.rows);
  const text = (content: string, extension: string = EXPORT_FORMATS[format].extension) => ({
    name: `${base}.${extension}`,
    blob: new Blob([content], { type: `${EXPORT_FORMATS[format].type};charset=utf-8` }),
  });
  switch (format) {
    case 'curio-json':
      return text(
        serializeCurioJson(
          documentExport(library.doc, {
            collectionId: library.collectionId,
            exportedAt: now,
            rows,
          }),
        ),
      );
    case 'netscape':
      return text(toNetscapeBookmarks(rows, request.title));
    case 'csv':
      return text(toCsv(rows));
    case 'markdown':
      if (!request.markdownFiles) return text(toMarkdownList(rows, request.title));
      return {
        name: `${base}.zip`,
        blob: new Blob([toMarkdownZip(rows) as Uint8Array<ArrayBuffer>], {
          type: 'application/zip',
        }),
      };
  }
}

/** Saves a file through a download link, as both the browser and Electron understand it. */
export function saveFile({ name, blob }: ExportedFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; the URL only needs to outlive this task.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
