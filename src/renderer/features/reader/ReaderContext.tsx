// Which link the reader shows, shared by the window (which swaps the list for the reader), the
// detail pane (its Read button and its highlights, which scroll the reader) and the keyboard.
import { createContext, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export interface Reader {
  /** The link open in the reader, or null when the list shows. */
  openId: string | null;
  open: (id: string) => void;
  close: () => void;
  /** Opens the link's article (if it is not open) and scrolls it to the highlight. */
  showHighlight: (itemId: string, highlightId: string) => void;
  /** The highlight to scroll to once the article is drawn, taken once. */
  takePendingHighlight: () => string | null;
  /** The reader view registers how it scrolls; only one is open at a time. */
  setScroller: (scroll: ((highlightId: string) => boolean) | null) => void;
}

const ReaderContext = createContext<Reader | null>(null);

export function ReaderProvider({ children }: { children: ReactNode }) {
  const [openId, setOpenId] = useState<string | null>(null);
  const scroller = useRef<((highlightId: string) => boolean) | null>(null);
  const pending = useRef<string | null>(null);
  const reader = useMemo<Reader>(
    () => ({
      openId,
      open: setOpenId,
      close: () => setOpenId(null),
      showHighlight: (itemId, highlightId) => {
        if (openId === itemId && scroller.current?.(highlightId)) return;
        pending.current = highlightId;
        setOpenId(itemId);
      },
      takePendingHighlight: () => {
        const id = pending.current;
        pending.current = null;
        return id;
      },
      setScroller: (scroll) => {
        scroller.current = scroll;
      },
    }),
    [openId],
  );
  return <ReaderContext.Provider value={reader}>{children}</ReaderContext.Provider>;
}

export function useReader(): Reader {
  const reader = useContext(ReaderContext);
  if (!reader) throw new Error('useReader must be used inside <ReaderProvider>');
  return reader;
}
