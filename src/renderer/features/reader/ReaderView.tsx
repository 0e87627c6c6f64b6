// The reader: the article kept on this device, in a sandboxed frame that runs no script and loads
// nothing from the network, with the controls around it: back to the list, size, width, light or
// dark, the original link, "Fetch again", "Mark as read", and "Highlight" for the words selected.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { isHttpUrl } from '../../../shared/model';
import { useLocalLibraryHandle, useReadOnlyReason, useRow } from '../../data/hooks';
import type { ItemRow } from '../../data/types';
import { useArticleStatus, useHighlights } from '../../data/snapshots-hooks';
import { HighlightNoteDialog } from '../highlights/HighlightNoteDialog';
import { displayTitle } from '../library/format';
import { useToast } from '../shell/Toast';
import { useTheme } from '../theme/theme';
import { FetchAgain, OfflineState } from './OfflineState';
import { useReader } from './ReaderContext';
import { LINE_WIDTHS, useReaderPrefs, type ReaderPrefs } from './prefs';
import { useArticleFrame, type Selected } from './useArticleFrame';
import { useStoredArticle } from './useStoredArticle';
import './reader.css';

export function ReaderView({ id }: { id: string }) {
  const row = useRow(id);
  const reader = useReader();
  const status = useArticleStatus(id);
  // A new copy of the article (Fetch again) is read again from storage.
  const load = useStoredArticle(id, status?.state === 'saved' ? status.fetchedAt : 0);
  if (!row) return null;
  return (
    <section className="reader" aria-label="Article">
      {load.state === 'ready' ? (
        <ArticleFrame id={id} srcdoc={load.srcdoc} minutes={load.article.meta.readingMinutes} />
      ) : (
        <div className="reader__missing">
          <ReaderBar id={id} minutes={null} onClose={reader.close} />
          {load.state === 'missing' && (
            <div className="reader__why">
              <h2>{displayTitle(row)}</h2>
              <p>This article is not kept on this device.</p>
              <OfflineState id={id} />
              <OriginalLink url={row.url} />
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function OriginalLink({ url, label = 'Open the original' }: { url: string; label?: string }) {
  if (!isHttpUrl(url)) return null;
  return (
    <a
      className="button button--quiet reader__original"
      href={url}
      target="_blank"
      rel="noreferrer noopener"
      title={url}
    >
      {label} <span aria-hidden="true">↗</span>
    </a>
  );
}

function ArticleFrame({ id, srcdoc, minutes }: { id: string; srcdoc: string; minutes: number }) {
  const library = useLocalLibraryHandle();
  const row = useRow(id);
  const readOnly = useReadOnlyReason() !== null;
  const reader = useReader();
  const toast = useToast();
  const highlights = useHighlights(id);
  const frameRef = useRef<HTMLIFrameElement>(null);
  const [prefs] = useReaderPrefs();
  const { resolved } = useTheme();
  const theme = prefs.theme === 'app' ? resolved : prefs.theme;
  const [noteFor, setNoteFor] = useState<Selected | null>(null);
  const frame = useArticleFrame(frameRef, {
    highlights,
    onReadToEnd: () => {
      const current = library.store.get(id);
      if (!current || current.readAt || current.status === 'trash' || library.readOnly) return;
      library.markRead([id]);
      toast({ text: 'Read to the end: marked as read' });
    },
    takePending: reader.takePendingHighlight,
    look: { theme, size: `${prefs.size}px`, width: LINE_WIDTHS[prefs.width] },
  });

  const { scrollTo } = frame;
  useEffect(() => {
    reader.setScroller(scrollTo);
    return () => reader.setScroller(null);
  }, [reader, scrollTo]);

  const highlight = (selected: Selected, note = '') => {
    library.addHighlight(id, { ...selected, note });
    frame.clearSelection();
  };

  return (
    <>
      <ReaderBar
        id={id}
        minutes={minutes}
        onClose={reader.close}
        actions={
          row && row.status !== 'trash' ? <ReadToggle row={row} readOnly={readOnly} /> : null
        }
      >
        <HighlightButtons
          selected={frame.selected}
          readOnly={readOnly}
          onHighlight={highlight}
          onHighlightWithNote={setNoteFor}
        />
      </ReaderBar>
      <iframe
        ref={frameRef}
        className="reader__frame"
        title="Article text"
        // No allow-scripts: nothing in the article runs. allow-same-origin lets this window read
        // the selection and draw highlights; with no script inside, nothing can use it from there.
        sandbox="allow-same-origin"
        srcDoc={srcdoc}
        referrerPolicy="no-referrer"
        onLoad={frame.onLoad}
      />
      {noteFor && (
        <HighlightNoteDialog
          quote={noteFor.quote.exact}
          onClose={() => setNoteFor(null)}
          onSave={(note) => {
            highlight(noteFor, note);
            setNoteFor(null);
          }}
        />
      )}
    </>
  );
}

function ReadToggle({ row, readOnly }: { row: ItemRow; readOnly: boolean }) {
  const library = useLocalLibraryHandle();
  return (
    <button
      type="button"
      className="button"
      disabled={readOnly}
      onClick={() => (row.readAt ? library.markUnread([row.id]) : library.markRead([row.id]))}
    >
      {row.readAt ? 'Mark as unread' : 'Mark as read'}
    </button>
  );
}

/** Highlight the words selected in the article, with or without a note. */
function HighlightButtons({
  selected,
  readOnly,
  onHighlight,
  onHighlightWithNote,
}: {
  selected: Selected | null;
  readOnly: boolean;
  onHighlight: (selected: Selected) => void;
  onHighlightWithNote: (selected: Selected) => void;
}) {
  return (
    <div className="reader__highlight" role="group" aria-label="Highlight the selected words">
      <button
        type="button"
        className="button"
        disabled={!selected || readOnly}
        title={
          selected
            ? 'Highlight the selected words (h)'
            : 'Select words in the article to highlight them'
        }
        onClick={() => selected && onHighlight(selected)}
      >
        Highlight
      </button>
      <button
        type="button"
        className="button"
        disabled={!selected || readOnly}
        onClick={() => selected && onHighlightWithNote(selected)}
      >
        Highlight with note
      </button>
    </div>
  );
}

function ReaderBar({
  id,
  minutes,
  onClose,
  actions,
  children,
}: {
  id: string;
  minutes: number | null;
  onClose: () => void;
  /** Beside "Fetch again": what acts on the link (Mark as read). */
  actions?: ReactNode;
  /** The second row's start: the highlight buttons. */
  children?: ReactNode;
}) {
  const row = useRow(id);
  const [prefs, setPrefs] = useReaderPrefs();
  return (
    <div className="reader__bar" role="toolbar" aria-label="Reader">
      <div className="reader__row">
        <button
          type="button"
          className="button button--quiet"
          onClick={onClose}
          title="Back to the list (Esc)"
        >
          <span aria-hidden="true">←</span> Back to list
        </button>
        {minutes !== null && <span className="reader__minutes">{minutes} min read</span>}
        <span className="reader__spacer" />
        {row && <OriginalLink url={row.url} label="Original" />}
        {row && <FetchAgain link={row} />}
        {actions}
      </div>
      {children && (
        <div className="reader__row">
          {children}
          <span className="reader__spacer" />
          <div className="reader__type" role="group" aria-label="Text">
            <button
              type="button"
              className="button button--quiet"
              aria-label="Smaller text"
              disabled={prefs.size <= 14}
              onClick={() => setPrefs({ size: prefs.size - 1 })}
            >
              A−
            </button>
            <button
              type="button"
              className="button button--quiet"
              aria-label="Larger text"
              disabled={prefs.size >= 30}
              onClick={() => setPrefs({ size: prefs.size + 1 })}
            >
              A+
            </button>
            <select
              aria-label="Line width"
              value={prefs.width}
              onChange={(e) => setPrefs({ width: e.target.value as ReaderPrefs['width'] })}
            >
              <option value="narrow">Narrow</option>
              <option value="medium">Medium</option>
              <option value="wide">Wide</option>
            </select>
            <select
              aria-label="Reader theme"
              value={prefs.theme}
              onChange={(e) => setPrefs({ theme: e.target.value as ReaderPrefs['theme'] })}
            >
              <option value="app">As the app</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </div>
        </div>
      )}
    </div>
  );
}
