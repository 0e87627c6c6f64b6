// Undo import, from the toast after an import or from the list in Settings: a backup first, then
// the import taken back exactly (shared/collection/imports.ts), and what happened, said.
import { useCallback } from 'react';
import type { UndoOutcome } from '../../../shared/collection';
import { useLocalLibraryHandle } from '../../data/hooks';
import { useToast } from '../shell/Toast';
import { useImportExport } from './context';
import { linkCount } from './labels';

export function undoneText({ removed, kept, reverted }: UndoOutcome): string {
  const parts = [`Import undone: ${linkCount(removed)} removed`];
  if (reverted) parts.push(`${linkCount(reverted)} already in your library put back as they were`);
  if (kept) parts.push(`${linkCount(kept)} kept because someone changed them since`);
  return parts.join('; ');
}

export function useUndoImport(): (id: string) => void {
  const library = useLocalLibraryHandle();
  const toast = useToast();
  const { backUpBefore } = useImportExport();
  return useCallback(
    (id: string) =>
      void backUpBefore('before-undo-import', () => {
        try {
          toast({ text: undoneText(library.undoImport(id)) });
        } catch (error) {
          toast({ text: `The import was not undone: ${(error as Error).message}` });
        }
      }),
    [library, toast, backUpBefore],
  );
}
