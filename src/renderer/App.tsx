// The window: sidebar, list and detail, plus the dialogs and the keyboard layer that tie them.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useCounts, useLibrary, useReadOnlyReason, useRow } from './data/hooks';
import { jobItemIds } from './data/outbox';
import type { LibraryView } from './data/types';
import { AddLinkDialog, type AddOutcome } from './features/add/AddLinkDialog';
import { EditLinkDialog } from './features/add/EditLinkDialog';
import { usePasteLinks } from './features/add/usePasteLinks';
import { DETAIL_TITLE_ID, DetailPane } from './features/detail/DetailPane';
import { TAG_INPUT_ID } from './features/detail/TagInput';
import { BulkTagDialog } from './features/library/BulkTagDialog';
import { LibraryPane } from './features/library/LibraryPane';
import { SelectionProvider, useSelection } from './features/library/selection';
import { Sidebar } from './features/library/Sidebar';
import { TagDialog } from './features/library/TagDialog';
import { useLibraryActions } from './features/library/useLibraryActions';
import { useVisibleRows } from './features/library/useVisibleRows';
import { searchAhead } from './features/search/useSearch';
import { PublishDialog } from './features/publish/PublishDialog';
import { PublishProvider } from './features/publish/PublishProvider';
import { SettingsDialog } from './features/settings/SettingsDialog';
import { ConfirmDialog } from './features/shell/ConfirmDialog';
import { useStableCallback } from './features/shell/useStableCallback';
import { SaveState } from './features/shell/SaveState';
import { SyncStatusIndicator } from './features/sync/SyncStatusIndicator';
import { ToastProvider, useToast } from './features/shell/Toast';
import { ShortcutsDialog } from './features/shortcuts/ShortcutsDialog';
import { useShortcuts } from './features/shortcuts/useShortcuts';
import { ThemeToggle } from './features/theme/ThemeToggle';

type OpenDialog =
  | { kind: 'add'; urls: string }
  | { kind: 'edit'; id: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'bulkTag'; ids: string[] }
  | { kind: 'emptyTrash' }
  | { kind: 'publish'; ids: string[] }
  | { kind: 'help' }
  | { kind: 'settings' };

export function App() {
  return (
    <ToastProvider>
      <PublishProvider>
        <SelectionProvider>
          <LibraryWindow />
        </SelectionProvider>
      </PublishProvider>
    </ToastProvider>
  );
}

function focusById(id: string): void {
  document.getElementById(id)?.focus();
}

const openDetail = () => focusById(DETAIL_TITLE_ID);
const focusList = () => document.querySelector<HTMLElement>('[role="grid"]')?.focus();

function LibraryWindow() {
  const library = useLibrary();
  const counts = useCounts();
  const actions = useLibraryActions();
  const toast = useToast();
  const selection = useSelection();
  const { store } = selection;
  const [view, setViewState] = useState<LibraryView>('unread');
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const { rows, terms, searching, pending, total } = useVisibleRows(view, query);
  const current = useRow(selection.current);
  const order = useMemo(() => (rows ?? []).map((row) => row.id), [rows]);
  const readOnly = useReadOnlyReason();
  /** Runs an edit, or says why this collection cannot be changed here. */
  const editing =
    <A extends unknown[]>(edit: (...args: A) => void) =>
    (...args: A) =>
      readOnly ? toast({ text: readOnly }) : edit(...args);

  // Where the current row stood, so j/k continue from there after it leaves the list.
  const lastIndex = useRef(-1);
  useEffect(() => {
    const at = selection.current ? order.indexOf(selection.current) : -1;
    if (at >= 0) lastIndex.current = at;
  });

  // Rows that leave the list (trashed, read in Unread, filtered) leave the selection too.
  useEffect(() => {
    if (rows) store.retain(order);
  }, [rows, order, store]);

  // A new view keeps the open link when it is in that view too, and otherwise opens its first.
  const arriving = useRef(false);
  const setView = useCallback(
    (next: LibraryView) => {
      setViewState(next);
      setQuery('');
      store.clearSelected();
      arriving.current = true;
      // The keyboard follows the eye to the list, so Enter opens the link there (not the view
      // button again) and j/k move through it.
      requestAnimationFrame(focusList);
    },
    [store],
  );
  const showTag = useCallback((tag: string) => setView(`tag:${tag}`), [setView]);
  useEffect(() => {
    if (!arriving.current || !rows) return;
    arriving.current = false;
    if (!selection.current || !order.includes(selection.current)) store.focus(order[0] ?? null);
  }, [rows, order, selection, store]);

  const onQuery = useCallback(
    (next: string) => {
      searchAhead(library, next);
      setQuery(next);
    },
    [library],
  );

  const closeDialog = useCallback(() => setDialog(null), []);
  const editTag = useCallback((tag: string) => setDialog({ kind: 'tag', tag }), []);
  const openAdd = useCallback((urls = '') => setDialog({ kind: 'add', urls }), []);
  const pasteLinks = useCallback(
    (urls: string) => (readOnly ? toast({ text: readOnly }) : openAdd(urls)),
    [readOnly, toast, openAdd],
  );
  usePasteLinks(pasteLinks);

  const onAdded = (outcome: AddOutcome) => {
    setDialog(null);
    // Links saved together read in the order given, so the first of them is at the top.
    const target = outcome.existing[0] ?? outcome.saved[0];
    if (!target) return;
    if (outcome.existing.length > 0 || (view !== 'unread' && view !== 'all')) setViewState('all');
    setQuery('');
    // The new row shows in this frame; opening it (a fresh note editor) waits for the next one.
    requestAnimationFrame(() => store.focus(target));
    const saved = outcome.saved.length;
    const known = outcome.existing.length;
    if (known && !saved)
      toast({
        text:
          known === 1
            ? 'Already in your library — showing it'
            : `All ${known} links were already in your library`,
      });
    else if (known)
      toast({
        text: `Saved ${saved} ${saved === 1 ? 'link' : 'links'}; ${known} already in your library`,
      });
    else if (saved > 1) toast({ text: `Saved ${saved} links` });
  };

  // After Move to Trash the cursor steps to the next remaining row, ready for the next decision.
  const trash = useStableCallback((ids: string[]) => {
    const at = selection.current ? order.indexOf(selection.current) : -1;
    if (at >= 0 && ids.includes(selection.current ?? '')) {
      const remaining = (id: string) => !ids.includes(id);
      store.focus(
        order.slice(at + 1).find(remaining) ?? order.slice(0, at).reverse().find(remaining) ?? null,
      );
    } else {
      store.clearSelected();
    }
    actions.trash(ids);
  });

  const targetRows = () => {
    if (selection.selected.size === 0) return current ? [current] : [];
    return (rows ?? []).filter((row) => selection.selected.has(row.id));
  };

  const publish = useStableCallback((ids: string[]) => {
    if (ids.length) setDialog({ kind: 'publish', ids });
  });
  const editLink = useCallback((id: string) => setDialog({ kind: 'edit', id }), []);

  useShortcuts({
    move: (delta) => store.move(delta, order, lastIndex.current),
    toggleSelect: () => selection.current && store.toggle(selection.current),
    toggleRead: editing(() => view !== 'trash' && actions.toggleRead(targetRows())),
    edit: editing(() => selection.current && setDialog({ kind: 'edit', id: selection.current })),
    editTags: editing(() => focusById(TAG_INPUT_ID)),
    focusSearch: () => searchRef.current?.focus(),
    // Esc steps back one thing at a time: the multi-selection and the search first, then the
    // open link closes.
    escape: () => {
      if (selection.selected.size > 0 || query) {
        store.clearSelected();
        setQuery('');
      } else {
        store.close();
      }
    },
    open: () => {
      if (!selection.current && order[0]) store.focus(order[0]);
      else openDetail();
    },
    openInBrowser: () => current && window.open(current.url, '_blank', 'noopener,noreferrer'),
    fetchDetails: editing(() => current && library.fetchDetails([current])),
    trash: editing(() => view !== 'trash' && trash(selection.targetIds)),
    add: editing(() => openAdd()),
    publish: editing(() => view !== 'trash' && publish(targetRows().map((row) => row.id))),
    help: () => setDialog({ kind: 'help' }),
    undo: editing(actions.undo),
    redo: editing(actions.redo),
  });

  const editingTag =
    dialog?.kind === 'tag' ? counts.tags.find((t) => t.tag === dialog.tag) : undefined;

  return (
    <div className="app">
      <aside className="app__sidebar">
        <div className="app__brand">Curio</div>
        <Sidebar view={view} onChangeView={setView} onEditTag={editTag} />
        <footer className="app__footer">
          <div className="app__status">
            <SyncStatusIndicator />
            <SaveState />
          </div>
          <button
            type="button"
            className="button button--quiet icon-button"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={() => setDialog({ kind: 'help' })}
          >
            <span aria-hidden="true">⌨</span>
          </button>
          <ThemeToggle />
          <button
            type="button"
            className="button button--quiet icon-button"
            aria-label="Settings"
            title="Settings"
            onClick={() => setDialog({ kind: 'settings' })}
          >
            <span aria-hidden="true">⚙</span>
          </button>
        </footer>
      </aside>

      <LibraryPane
        view={view}
        rows={rows}
        terms={terms}
        query={query}
        searching={searching}
        pending={pending}
        total={total}
        searchRef={searchRef}
        onQuery={onQuery}
        onLeaveSearch={() => {
          if (!selection.current && order[0]) store.focus(order[0]);
          focusList();
        }}
        onShowTag={showTag}
        onAdd={() => openAdd()}
        onOpen={openDetail}
        onTag={(ids) => setDialog({ kind: 'bulkTag', ids })}
        onTrash={trash}
        onPublish={publish}
        onEmptyTrash={() => setDialog({ kind: 'emptyTrash' })}
      />

      <DetailPane id={selection.current} onEdit={editLink} onTrash={trash} onPublish={publish} />

      {dialog?.kind === 'add' && (
        <AddLinkDialog initialUrls={dialog.urls} onClose={closeDialog} onDone={onAdded} />
      )}
      {dialog?.kind === 'edit' && <EditLinkDialog id={dialog.id} onClose={closeDialog} />}
      {dialog?.kind === 'tag' && (
        <TagDialog
          tag={dialog.tag}
          count={editingTag?.count ?? 0}
          onClose={closeDialog}
          onChanged={(renamed) => {
            if (view === `tag:${dialog.tag}`) setView(renamed ? `tag:${renamed}` : 'all');
          }}
        />
      )}
      {dialog?.kind === 'bulkTag' && <BulkTagDialog ids={dialog.ids} onClose={closeDialog} />}
      {dialog?.kind === 'emptyTrash' && (
        <ConfirmDialog
          title="Empty Trash?"
          message={
            counts.trash === 1
              ? 'The link in Trash will be deleted for good, with its note. This cannot be undone.'
              : `All ${counts.trash} links in Trash will be deleted for good, with their notes. This cannot be undone.`
          }
          confirmLabel="Empty Trash"
          onConfirm={() => library.emptyTrash()}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'publish' && (
        <PublishDialog
          ids={dialog.ids}
          onClose={closeDialog}
          onOpenSettings={() => setDialog({ kind: 'settings' })}
          onQueued={(plan) => {
            setDialog(null);
            const n = new Set(plan.queued.flatMap((row) => jobItemIds(row.job))).size;
            toast({ text: n === 1 ? 'Publishing 1 link…' : `Publishing ${n} links…` });
          }}
        />
      )}
      {dialog?.kind === 'help' && <ShortcutsDialog onClose={closeDialog} />}
      {dialog?.kind === 'settings' && <SettingsDialog onClose={closeDialog} />}
    </div>
  );
}
