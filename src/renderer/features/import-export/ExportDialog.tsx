// Export: everything, the view on screen or the selection, as Curio JSON, bookmarks HTML, CSV or
// Markdown (one list, or a ZIP with a file per link), saved as a download.
import { useId, useState } from 'react';
import { useLocalLibraryHandle, useWorkspace } from '../../data/hooks';
import { EXPORT_FORMATS, exportFile, saveFile, type ExportFormat } from '../../data/export-file';
import type { LocalLibrary } from '../../data/library';
import type { ItemRow } from '../../data/types';
import { useSelection } from '../library/selection';
import { Dialog, DialogActions, DialogError } from '../shell/Dialog';
import { useToast } from '../shell/Toast';
import type { ViewOnScreen } from './context';
import './import-export.css';
import { linkCount } from './labels';

type Scope = 'all' | 'view' | 'selection';

export function ExportDialog({ view, onClose }: { view: ViewOnScreen; onClose: () => void }) {
  const library = useLocalLibraryHandle();
  const { collection } = useWorkspace();
  const { selected } = useSelection();
  const toast = useToast();
  const id = useId();
  const [format, setFormat] = useState<ExportFormat>('curio-json');
  const [scope, setScope] = useState<Scope>(selected.size > 0 ? 'selection' : 'all');
  const [markdownFiles, setMarkdownFiles] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const scopes = exportScopes(library, format, view, selected);
  const current = scopes.find((s) => s.value === scope) ?? scopes[0]!;

  const run = () => {
    setError(null);
    try {
      const title = current.value === 'all' ? collection.name : `${collection.name} ${view.title}`;
      const file = exportFile(library, { format, rows: current.rows, markdownFiles, title });
      saveFile(file);
      toast({ text: `Exported ${linkCount(current.rows.length)} as ${file.name}` });
      onClose();
    } catch (e) {
      setError(`The export could not be made: ${(e as Error).message}`);
    }
  };

  return (
    <Dialog title="Export" onClose={onClose}>
      <div className="field">
        <label htmlFor={`${id}-format`}>Format</label>
        <select
          id={`${id}-format`}
          value={format}
          onChange={(e) => setFormat(e.target.value as ExportFormat)}
        >
          {(Object.keys(EXPORT_FORMATS) as ExportFormat[]).map((key) => (
            <option key={key} value={key}>
              {EXPORT_FORMATS[key].label}
            </option>
          ))}
        </select>
        <p className="field__hint">{FORMAT_HINTS[format]}</p>
      </div>
      {format === 'markdown' && (
        <MarkdownChoice markdownFiles={markdownFiles} onChange={setMarkdownFiles} />
      )}
      <fieldset className="export__choices">
        <legend>Links</legend>
        {scopes.map((s) => (
          <label key={s.value}>
            <input
              type="radio"
              checked={current.value === s.value}
              onChange={() => setScope(s.value)}
            />
            {s.label}
          </label>
        ))}
      </fieldset>
      <DialogError>{error}</DialogError>
      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--primary"
          onClick={run}
          disabled={current.rows.length === 0}
        >
          Export
        </button>
      </DialogActions>
    </Dialog>
  );
}

/** The links each choice exports, with the label that counts them. */
function exportScopes(
  library: LocalLibrary,
  format: ExportFormat,
  view: ViewOnScreen,
  selected: ReadonlySet<string>,
): Array<{ value: Scope; label: string; rows: readonly ItemRow[] }> {
  // Curio JSON is the whole collection, Trash too; a bookmarks file or a list is what is live.
  const everything = library.store
    .all()
    .filter((row) => format === 'curio-json' || row.status !== 'trash');
  const chosen = [...selected]
    .map((itemId) => library.store.get(itemId))
    .filter((row): row is ItemRow => row !== undefined);
  return [
    {
      value: 'all',
      label: `Everything (${linkCount(everything.length)}${format === 'curio-json' ? ', Trash too' : ''})`,
      rows: everything,
    },
    {
      value: 'view',
      label: `This view: ${view.title} (${linkCount(view.rows.length)})`,
      rows: view.rows,
    },
    ...(chosen.length
      ? [
          {
            value: 'selection' as const,
            label: `Selected (${linkCount(chosen.length)})`,
            rows: chosen,
          },
        ]
      : []),
  ];
}

function MarkdownChoice({
  markdownFiles,
  onChange,
}: {
  markdownFiles: boolean;
  onChange: (markdownFiles: boolean) => void;
}) {
  return (
    <fieldset className="export__choices">
      <legend>Markdown as</legend>
      <label>
        <input type="radio" checked={!markdownFiles} onChange={() => onChange(false)} />
        One list
      </label>
      <label>
        <input type="radio" checked={markdownFiles} onChange={() => onChange(true)} />
        One file per link, in a ZIP
      </label>
    </fieldset>
  );
}

const FORMAT_HINTS: Record<ExportFormat, string> = {
  'curio-json': 'Everything about each link: tags, notes, read marks, posts. Curio reads it back.',
  netscape: 'The bookmarks file every browser and bookmarking service imports.',
  csv: 'One row per link, for spreadsheets.',
  markdown: 'Links and titles to paste, or a file per link with its note for a notes app.',
};
