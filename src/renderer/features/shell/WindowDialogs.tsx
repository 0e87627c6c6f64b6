// The library window's dialogs: which one is open, and each one wired to what it changes.
import { useCounts, useLibrary } from '../../data/hooks';
import { jobItemIds } from '../../data/outbox';
import type { LibraryView } from '../../data/types';
import { AddLinkDialog, type AddOutcome } from '../add/AddLinkDialog';
import { EditLinkDialog } from '../add/EditLinkDialog';
import { useImportExport } from '../import-export/context';
import { BulkTagDialog } from '../library/BulkTagDialog';
import { TagDialog } from '../library/TagDialog';
import { PublishDialog } from '../publish/PublishDialog';
import { SettingsDialog } from '../settings/SettingsDialog';
import { ShortcutsDialog } from '../shortcuts/ShortcutsDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { useToast } from './Toast';

export type OpenDialog =
  | { kind: 'add'; urls: string; title?: string; note?: string }
  | { kind: 'edit'; id: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'bulkTag'; ids: string[] }
  | { kind: 'emptyTrash' }
  | { kind: 'publish'; ids: string[] }
  | { kind: 'help' }
  | { kind: 'settings' };

interface WindowDialogsProps {
  dialog: OpenDialog | null;
  open: (dialog: OpenDialog | null) => void;
  /** The view on screen, which renaming or deleting its tag changes. */
  view: LibraryView;
  setView: (view: LibraryView) => void;
  onAdded: (outcome: AddOutcome) => void;
}

export function WindowDialogs({ dialog, open, view, setView, onAdded }: WindowDialogsProps) {
  const library = useLibrary();
  const counts = useCounts();
  const toast = useToast();
  const { backUpBefore } = useImportExport();
  const close = () => open(null);
  switch (dialog?.kind) {
    case undefined:
      return null;
    case 'add':
      return (
        <AddLinkDialog
          initialUrls={dialog.urls}
          initialTitle={dialog.title}
          initialNote={dialog.note}
          onClose={close}
          onDone={onAdded}
        />
      );
    case 'edit':
      return <EditLinkDialog id={dialog.id} onClose={close} />;
    case 'tag':
      return (
        <TagDialog
          tag={dialog.tag}
          count={counts.tags.find((t) => t.tag === dialog.tag)?.count ?? 0}
          onClose={close}
          onChanged={(renamed) => {
            if (view === `tag:${dialog.tag}`) setView(renamed ? `tag:${renamed}` : 'all');
          }}
        />
      );
    case 'bulkTag':
      return <BulkTagDialog ids={dialog.ids} onClose={close} />;
    case 'emptyTrash':
      return (
        <ConfirmDialog
          title="Empty Trash?"
          message={
            counts.trash === 1
              ? 'The link in Trash will be deleted for good, with its note. This cannot be undone.'
              : `All ${counts.trash} links in Trash will be deleted for good, with their notes. This cannot be undone.`
          }
          confirmLabel="Empty Trash"
          onConfirm={() => void backUpBefore('before-empty-trash', () => library.emptyTrash())}
          onClose={close}
        />
      );
    case 'publish':
      return (
        <PublishDialog
          ids={dialog.ids}
          onClose={close}
          onOpenSettings={() => open({ kind: 'settings' })}
          onQueued={(plan) => {
            close();
            const n = new Set(plan.queued.flatMap((row) => jobItemIds(row.job))).size;
            toast({ text: n === 1 ? 'Publishing 1 link…' : `Publishing ${n} links…` });
          }}
          onAddedToQueue={(text) => {
            close();
            toast({ text });
          }}
        />
      );
    case 'help':
      return <ShortcutsDialog onClose={close} />;
    case 'settings':
      return <SettingsDialog onClose={close} />;
  }
}
