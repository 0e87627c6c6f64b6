// Everything the reader does inside the article's frame from the outside: the frame runs no
// script, so this window listens to its clicks (links leave for the system browser), its
// selection (for Highlight), its scrolling (reading to the end marks the link read), and draws
// the highlights into it.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import {
  anchorQuote,
  describeRange,
  type TextPositionSelector,
  type TextQuoteSelector,
} from '../../../shared/annotate';
import type { Highlight } from '../../../shared/collection';
import { isHttpUrl } from '../../../shared/model';
import { getDesktopApi } from '../../platform/desktop';
import { ARTICLE_BODY_ID } from './article-document';
import { HIGHLIGHT_ATTRIBUTE, drawHighlights, selectionOffsets } from './text-offsets';

export interface Selected {
  quote: TextQuoteSelector;
  position: TextPositionSelector;
}

/** How close to the end counts as having read to the end, in CSS pixels. */
const END_SLACK = 48;

/** Scrolls the frame to a drawn highlight and outlines it; false when it is not drawn. */
function scrollToMark(doc: Document, highlightId: string): boolean {
  const marks = doc.querySelectorAll(`mark[${HIGHLIGHT_ATTRIBUTE}="${CSS.escape(highlightId)}"]`);
  const first = marks[0];
  if (!first) return false;
  for (const mark of doc.querySelectorAll('mark.curio-highlight--focus'))
    mark.classList.remove('curio-highlight--focus');
  for (const mark of marks) mark.classList.add('curio-highlight--focus');
  first.scrollIntoView({ block: 'center' });
  return true;
}

function articleBody(frame: HTMLIFrameElement | null): HTMLElement | null {
  return frame?.contentDocument?.getElementById(ARTICLE_BODY_ID) ?? null;
}

type Frame = RefObject<HTMLIFrameElement | null>;

/** Light or dark, text size and line width, set on the frame's root. */
interface FrameLook {
  theme: 'light' | 'dark';
  size: string;
  width: string;
}

export function useArticleFrame(
  frameRef: Frame,
  {
    highlights,
    onReadToEnd,
    takePending,
    look,
  }: {
    look: FrameLook;
    highlights: readonly Highlight[];
    onReadToEnd: () => void;
    /** The highlight to scroll to once drawn, if one is waiting. */
    takePending: () => string | null;
  },
) {
  const [loaded, setLoaded] = useState(0);
  const [selected, setSelected] = useState<Selected | null>(null);
  const readToEnd = useRef(onReadToEnd);
  const pending = useRef(takePending);
  useEffect(() => {
    readToEnd.current = onReadToEnd;
    pending.current = takePending;
  });

  const onLoad = useCallback(() => setLoaded((n) => n + 1), []);
  useFrameEvents(frameRef, loaded, readToEnd, setSelected);
  useFrameLook(frameRef, loaded, look);
  useDrawnHighlights(frameRef, loaded, highlights, pending);

  const scrollTo = useCallback(
    (highlightId: string): boolean => {
      const doc = frameRef.current?.contentDocument;
      return doc ? scrollToMark(doc, highlightId) : false;
    },
    [frameRef],
  );

  const clearSelection = useCallback(() => {
    frameRef.current?.contentWindow?.getSelection()?.removeAllRanges();
    setSelected(null);
  }, [frameRef]);

  return { onLoad, loaded: loaded > 0, selected, clearSelection, scrollTo };
}

/** Listens inside the loaded article: links, the selection, and scrolling to the end. */
function useFrameEvents(
  frameRef: Frame,
  loaded: number,
  readToEnd: RefObject<() => void>,
  setSelected: (selected: Selected | null) => void,
) {
  useEffect(() => {
    const frame = frameRef.current;
    const doc = frame?.contentDocument;
    const win = frame?.contentWindow;
    if (!loaded || !doc || !win) return;
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href]');
      if (!link) return;
      const href = link.getAttribute('href') ?? '';
      event.preventDefault();
      if (href.startsWith('#')) {
        doc.getElementById(decodeURIComponent(href.slice(1)))?.scrollIntoView();
        return;
      }
      // Only http(s) ever leaves the app; the sanitiser kept mailto: too, which goes nowhere.
      if (isHttpUrl(href)) void getDesktopApi().openExternal(href);
    };
    const onSelection = () => {
      const body = articleBody(frame);
      const range = body ? selectionOffsets(body, win.getSelection()) : null;
      setSelected(range && body ? describeRange(body.textContent ?? '', range) : null);
    };
    let ended = false;
    const onScroll = () => {
      const root = doc.scrollingElement ?? doc.documentElement;
      if (ended || root.scrollHeight <= win.innerHeight) return;
      if (root.scrollTop + win.innerHeight >= root.scrollHeight - END_SLACK) {
        ended = true;
        readToEnd.current();
      }
    };
    doc.addEventListener('click', onClick);
    // A middle click would try to open a window; the sandbox refuses, this says where it goes.
    doc.addEventListener('auxclick', onClick);
    doc.addEventListener('selectionchange', onSelection);
    win.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      doc.removeEventListener('click', onClick);
      doc.removeEventListener('auxclick', onClick);
      doc.removeEventListener('selectionchange', onSelection);
      win.removeEventListener('scroll', onScroll);
    };
  }, [frameRef, loaded, readToEnd, setSelected]);
}

function useFrameLook(frameRef: Frame, loaded: number, look: FrameLook) {
  // Set on the frame's root rather than written into its document, so the scroll place stays.
  const { theme, size, width } = look;
  useEffect(() => {
    const root = frameRef.current?.contentDocument?.documentElement;
    if (!loaded || !root) return;
    root.setAttribute('data-theme', theme);
    root.style.setProperty('--size', size);
    root.style.setProperty('--width', width);
  }, [frameRef, loaded, theme, size, width]);
}

function useDrawnHighlights(
  frameRef: Frame,
  loaded: number,
  highlights: readonly Highlight[],
  pending: RefObject<() => string | null>,
) {
  // Drawn again whenever the highlights change or the article is loaded again.
  useEffect(() => {
    const body = articleBody(frameRef.current);
    if (!loaded || !body) return;
    const text = body.textContent ?? '';
    const ranges: Array<{ id: string; start: number; end: number }> = [];
    for (const h of highlights) {
      const range = anchorQuote(text, h.quote, h.position);
      if (range) ranges.push({ id: h.id, ...range });
    }
    drawHighlights(body, ranges);
    const waiting = pending.current();
    if (waiting) scrollToMark(body.ownerDocument, waiting);
  }, [frameRef, loaded, highlights, pending]);
}
