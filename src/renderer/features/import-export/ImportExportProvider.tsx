// Import, export and backups for the library window: which of their dialogs is open, the view on
// screen (what "Export this view" means), files dropped on the window, the daily backup, and the
// backup taken before anything that cannot be undone.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { BackupReason } from '../../../shared/backups';
import { useLocalLibraryHandle, useWorkspace } from '../../data/hooks';
import { DailyBackups, backUp } from '../../data/backup';
import { useToast } from '../shell/Toast';
import { ImportExportContext, type ImportExport, type ViewOnScreen } from './context';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';
import { FileDrop } from './FileDrop';
import { RestoreDialog } from './RestoreDialog';

type Open =
  | { kind: 'import'; file?: File }
  | { kind: 'export'; view: ViewOnScreen }
  | { kind: 'restore' }
  | null;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function ImportExportProvider({ children }: { children: ReactNode }) {
  const library = useLocalLibraryHandle();
  const viewRef = useRef<ViewOnScreen>({ title: '', rows: [] });
  const { collection } = useWorkspace();
  const toast = useToast();
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => {
    const daily = new DailyBackups(library, () => collection.name, {
      onError: (error) => toast({ text: `Today's backup could not be written: ${message(error)}` }),
    });
    daily.start();
    return () => daily.stop();
  }, [library, collection.name, toast]);

  const backUpBefore = useCallback(
    async (reason: BackupReason, action: () => void) => {
      try {
        if (library.store.size > 0) await backUp(library, collection.name, reason);
      } catch (error) {
        toast({ text: `Nothing was changed: the backup before it failed (${message(error)}).` });
        return;
      }
      action();
    },
    [library, collection.name, toast],
  );

  const value = useMemo<ImportExport>(
    () => ({
      openImport: (file) => setOpen({ kind: 'import', file }),
      openExport: () => setOpen({ kind: 'export', view: viewRef.current }),
      openRestore: () => setOpen({ kind: 'restore' }),
      backUpBefore,
      showing: (view) => (viewRef.current = view),
    }),
    [backUpBefore],
  );
  const close = () => setOpen(null);

  return (
    <ImportExportContext.Provider value={value}>
      {children}
      <FileDrop onFile={(file) => setOpen({ kind: 'import', file })} />
      {open?.kind === 'import' && <ImportDialog file={open.file} onClose={close} />}
      {open?.kind === 'export' && <ExportDialog view={open.view} onClose={close} />}
      {open?.kind === 'restore' && <RestoreDialog onClose={close} />}
    </ImportExportContext.Provider>
  );
}
