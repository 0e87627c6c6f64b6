// Actions that speak back: moving to Trash offers Undo (of that move and nothing else, for as long
// as it is the latest change), undo with nothing to undo says so, and an edit the collection does
// not allow says why.
import { useMemo } from 'react';
import { useLibrary, useReadOnlyReason } from '../../data/hooks';
import type { ItemRow } from '../../data/types';
import { useToast } from '../shell/Toast';

export function useLibraryActions() {
  const library = useLibrary();
  const toast = useToast();
  return useMemo(
    () => ({
      trash(ids: string[]) {
        if (ids.length === 0) return;
        const change = library.moveToTrash(ids);
        if (!library.canUndoChange(change)) return;
        toast({
          text: `Moved ${ids.length === 1 ? '1 item' : `${ids.length} items`} to Trash`,
          action: { label: 'Undo', run: () => library.undoChange(change) },
          until: (dismiss) =>
            library.onUndoHistoryChange(() => {
              if (!library.canUndoChange(change)) dismiss();
            }),
        });
      },
      /** Marks all read unless all already are, like a mail client's toggle. */
      toggleRead(rows: ItemRow[]) {
        if (rows.length === 0) return;
        const ids = rows.map((row) => row.id);
        if (rows.every((row) => row.readAt)) library.markUnread(ids);
        else library.markRead(ids);
      },
      undo() {
        if (!library.undo()) toast({ text: 'Nothing to undo' });
      },
      redo() {
        if (!library.redo()) toast({ text: 'Nothing to redo' });
      },
    }),
    [library, toast],
  );
}

/**
 * Wraps an edit so that, where the collection cannot be changed, it says why instead of running
 * (the data layer would refuse it anyway, with an error nobody sees).
 */
export function useEditing() {
  const readOnly = useReadOnlyReason();
  const toast = useToast();
  return <A extends unknown[]>(edit: (...args: A) => unknown) =>
    (...args: A): void => {
      if (readOnly) toast({ text: readOnly });
      else edit(...args);
    };
}
