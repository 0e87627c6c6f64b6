// What the import, export and backup features share in the window: opening their dialogs, the
// backup before a destructive action, and the view on screen (what "Export this view" means).
import { createContext, useContext, useLayoutEffect } from 'react';
import type { BackupReason } from '../../../shared/backups';
import type { ItemRow, LibraryView } from '../../data/types';
import { viewTitle } from '../library/views';

/** The rows the list shows now, and what to call them. */
export interface ViewOnScreen {
  title: string;
  rows: readonly ItemRow[];
}

export interface ImportExport {
  openImport: (file?: File) => void;
  openExport: () => void;
  openRestore: () => void;
  /** Writes a backup, then runs the action; if the backup fails, says why and does not run it. */
  backUpBefore: (reason: BackupReason, action: () => void) => Promise<void>;
  /** The window says what its list shows after each render (useViewOnScreen). */
  showing: (view: ViewOnScreen) => void;
}

export const ImportExportContext = createContext<ImportExport | null>(null);

export function useImportExport(): ImportExport {
  const value = useContext(ImportExportContext);
  if (!value) throw new Error('useImportExport must be used inside <ImportExportProvider>.');
  return value;
}

/** Tells exports what the list shows, as the window renders it. */
export function useViewOnScreen(
  view: LibraryView,
  query: string,
  rows: readonly ItemRow[] | undefined,
): void {
  const { showing } = useImportExport();
  useLayoutEffect(() => {
    showing({ title: query ? 'Search results' : viewTitle(view), rows: rows ?? [] });
  });
}
