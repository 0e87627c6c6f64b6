// The window: sidebar, list and detail, plus the dialogs and the keyboard layer that tie them.
import { useCallback, useRef, useState, type RefObject } from 'react';
import type { ItemRow, LibraryView } from './data/types';
import { useLibrary, useLocalLibraryHandle, useRow } from './data/hooks';
import { addedMessage, type AddOutcome } from './features/add/AddLinkDialog';
import { usePasteLinks } from './features/add/usePasteLinks';
import { useLinksFromElsewhere } from './features/add/useLinksFromElsewhere';
import { DETAIL_TITLE_ID, DetailPane } from './features/detail/DetailPane';
import { useViewOnScreen } from './features/import-export/context';
import { ImportExportProvider } from './features/import-export/ImportExportProvider';
import { TAG_INPUT_ID } from './features/detail/TagInput';
import { LibraryPane } from './features/library/LibraryPane';
import { SelectionProvider, useSelection } from './features/library/selection';
import { Sidebar } from './features/library/Sidebar';
import { useEditing, useLibraryActions } from './features/library/useLibraryActions';
import { focusList, useLibraryView } from './features/library/useLibraryView';
import { PublishProvider } from './features/publish/PublishProvider';
import { QueuePane } from './features/queue/QueuePane';
import { ReaderProvider, useReader } from './features/reader/ReaderContext';
import { ReaderView } from './features/reader/ReaderView';
import { useStableCallback } from './features/shell/useStableCallback';
import { SaveState } from './features/shell/SaveState';
import { SyncStatusIndicator } from './features/sync/SyncStatusIndicator';
import { ToastProvider, useToast } from './features/shell/Toast';
import { WindowDialogs, type OpenDialog } from './features/shell/WindowDialogs';
import { useShortcuts } from './features/shortcuts/useShortcuts';
import { ThemeToggle } from './features/theme/ThemeToggle';

export function App() {
  return (
    <ToastProvider>
      <PublishProvider>
        <SelectionProvider>
          <ImportExportProvider>
            <ReaderProvider>
              <LibraryWindow />
            </ReaderProvider>
          </ImportExportProvider>
        </SelectionProvider>
      </PublishProvider>
    </ToastProvider>
  );
}

function focusById(id: string): void {
  document.getElementById(id)?.focus();
}

const openDetail = () => focusById(DETAIL_TITLE_ID);

function LibraryWindow() {
  const selection = useSelection();
  const { store } = selection;
  const searchRef = useRef<HTMLInputElement>(null);
  const { view, setView, query, setQuery, onQuery, showTag, showSaved, stepPast, ...list } =
    useLibraryView();
  const { rows } = list;
  const current = useRow(selection.current);
  useViewOnScreen(view, query, rows);
  const reader = useReader();
  const { dialog, setDialog, openAdd, onAdded, editTag, editLink, publish } =
    useWindowDialogs(showSaved);

  const { queueOpen, showView, openQueue } = useQueueOnScreen(setView);
  const trash = useWindowTrash(stepPast);
  useWindowShortcuts({
    ...list,
    view,
    query,
    setQuery,
    current,
    searchRef,
    open: setDialog,
    openAdd,
    trash,
    publish,
  });

  return (
    <div className="app">
      <aside className="app__sidebar">
        <div className="app__brand">Curio</div>
        <Sidebar
          view={view}
          onChangeView={showView}
          onEditTag={editTag}
          queueOpen={queueOpen}
          onOpenQueue={openQueue}
        />
        <SidebarFooter open={setDialog} />
      </aside>

      {/* The list stays mounted while reading, so its place and the keyboard's are kept. */}
      {reader.openId && <ReaderView key={reader.openId} id={reader.openId} />}
      {queueOpen && !reader.openId && (
        <QueuePane onOpenSettings={() => setDialog({ kind: 'settings' })} />
      )}
      <div className="app__list-slot" hidden={reader.openId !== null || queueOpen}>
        <LibraryPane
          view={view}
          {...list}
          query={query}
          searchRef={searchRef}
          onQuery={onQuery}
          onLeaveSearch={() => {
            const first = rows?.[0]?.id;
            if (!selection.current && first) store.focus(first);
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
      </div>

      <DetailPane id={selection.current} onEdit={editLink} onTrash={trash} onPublish={publish} />

      <WindowDialogs
        dialog={dialog}
        open={setDialog}
        view={view}
        setView={setView}
        onAdded={onAdded}
      />
    </div>
  );
}

/** The publishing queue takes the list's place until a view is chosen again. */
function useQueueOnScreen(setView: ListOnScreen['setView']) {
  const reader = useReader();
  const [queueOpen, setQueueOpen] = useState(false);
  const showView = useCallback(
    (next: LibraryView) => {
      setQueueOpen(false);
      setView(next);
    },
    [setView],
  );
  const openQueue = useStableCallback(() => {
    reader.close();
    setQueueOpen(true);
  });
  return { queueOpen, showView, openQueue };
}

/** Which dialog is open, and the ways into it: buttons, pasted links and links sent from elsewhere. */
function useWindowDialogs(showSaved: ListOnScreen['showSaved']) {
  const toast = useToast();
  const editing = useEditing();
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const editTag = useCallback((tag: string) => setDialog({ kind: 'tag', tag }), []);
  const openAdd = useCallback((urls = '') => setDialog({ kind: 'add', urls }), []);
  usePasteLinks(useStableCallback(editing(openAdd)));

  const onAdded = (outcome: AddOutcome) => {
    setDialog(null);
    // Links saved together read in the order given, so the first of them is at the top.
    const target = outcome.existing[0] ?? outcome.saved[0];
    if (!target) return;
    showSaved(target, outcome.existing.length > 0);
    const text = addedMessage(outcome);
    if (text) toast({ text });
  };
  useLinksFromElsewhere({
    openAdd: (sent) => setDialog({ kind: 'add', ...sent }),
    onAdded: useStableCallback(onAdded),
  });

  const publish = useStableCallback((ids: string[]) => {
    if (ids.length) setDialog({ kind: 'publish', ids });
  });
  const editLink = useCallback((id: string) => setDialog({ kind: 'edit', id }), []);
  return { dialog, setDialog, openAdd, onAdded, editTag, editLink, publish };
}

/** Trashing moves the selection past the trashed rows first, so the keyboard keeps its place. */
function useWindowTrash(stepPast: ListOnScreen['stepPast']) {
  const actions = useLibraryActions();
  return useStableCallback((ids: string[]) => {
    stepPast(ids);
    actions.trash(ids);
  });
}

type ListOnScreen = ReturnType<typeof useLibraryView>;

interface WindowShortcutsProps extends Pick<
  ListOnScreen,
  'view' | 'query' | 'setQuery' | 'order' | 'lastIndex' | 'rows'
> {
  current: ItemRow | null;
  searchRef: RefObject<HTMLInputElement | null>;
  open: (dialog: OpenDialog) => void;
  openAdd: (urls?: string) => void;
  trash: (ids: string[]) => void;
  publish: (ids: string[]) => void;
}

/** The window's keyboard layer: each shortcut wired to the list, the reader or a dialog. */
function useWindowShortcuts(props: WindowShortcutsProps) {
  const { view, query, setQuery, order, lastIndex, rows, current, open } = props;
  const library = useLibrary();
  const actions = useLibraryActions();
  const selection = useSelection();
  const { store } = selection;
  const editing = useEditing();
  const reader = useReader();
  const { snapshots } = useLocalLibraryHandle();
  const hasArticle = (id: string | null) => id !== null && snapshots.has(id);

  const targetRows = () => {
    if (selection.selected.size === 0) return current ? [current] : [];
    return (rows ?? []).filter((row) => selection.selected.has(row.id));
  };

  useShortcuts({
    move: (delta) => store.move(delta, order(), lastIndex.current),
    toggleSelect: () => selection.current && store.toggle(selection.current),
    toggleRead: editing(() => view !== 'trash' && actions.toggleRead(targetRows())),
    edit: editing(() => selection.current && open({ kind: 'edit', id: selection.current })),
    editTags: editing(() => focusById(TAG_INPUT_ID)),
    focusSearch: () => props.searchRef.current?.focus(),
    // Esc steps back one thing at a time: the multi-selection and the search first, then the
    // open link closes.
    escape: () => {
      if (reader.openId) {
        reader.close();
        focusList();
      } else if (selection.selected.size > 0 || query) {
        store.clearSelected();
        setQuery('');
      } else {
        store.close();
      }
    },
    // Enter and o read the article where this device keeps one; otherwise Enter opens the
    // details and o the page in the browser, as they always did.
    open: () => {
      const first = rows?.[0]?.id;
      if (!selection.current && first) store.focus(first);
      else if (hasArticle(selection.current)) reader.open(selection.current!);
      else openDetail();
    },
    openInBrowser: () => {
      if (hasArticle(selection.current)) reader.open(selection.current!);
      else if (current) window.open(current.url, '_blank', 'noopener,noreferrer');
    },
    fetchDetails: editing(() => current && library.fetchDetails([current])),
    trash: editing(() => view !== 'trash' && props.trash(selection.targetIds)),
    add: editing(() => props.openAdd()),
    publish: editing(() => view !== 'trash' && props.publish(targetRows().map((row) => row.id))),
    help: () => open({ kind: 'help' }),
    undo: editing(actions.undo),
    redo: editing(actions.redo),
  });
}

/** Where the collection stands, and the buttons for help, theme and settings. */
function SidebarFooter({ open }: { open: (dialog: OpenDialog) => void }) {
  return (
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
        onClick={() => open({ kind: 'help' })}
      >
        <span aria-hidden="true">⌨</span>
      </button>
      <ThemeToggle />
      <button
        type="button"
        className="button button--quiet icon-button"
        aria-label="Settings"
        title="Settings"
        onClick={() => open({ kind: 'settings' })}
      >
        <span aria-hidden="true">⚙</span>
      </button>
    </footer>
  );
}
