// The posting queue as the Queue view and the sidebar read it: the picks waiting, in order, with
// the time each goes out (the same rules the runner follows), the schedule, and the actions.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import {
  moveQueued,
  pauseQueue,
  postNow,
  readQueue,
  readSchedule,
  removeFromQueue,
  resumeQueue,
  type Actor,
  type QueuePlace,
} from '../../../shared/collection';
import { queueTimeline, type PickTiming, type Schedule } from '../../../shared/publish';
import { useLocalLibraryHandle, useRowLookup } from '../../data/hooks';
import { onDocChange } from '../../data/doc-changes';
import type { LocalLibrary } from '../../data/library';

/** How often the times shown are read again: "Overdue" appears within this of a missed slot. */
const TICK_MS = 30_000;

export interface QueueEntry {
  itemId: string;
  title: string;
  url: string;
  timing: PickTiming;
}

/**
 * The document's version (it stands for its contents) and the time it was last read at: both move
 * on every change to the document, and the time also every TICK_MS.
 */
function useDocAndTime(library: LocalLibrary): { version: number; now: number } {
  const [state, setState] = useState(() => ({ version: 0, now: Date.now() }));
  useEffect(() => {
    const bump = () => setState((s) => ({ version: s.version + 1, now: Date.now() }));
    const tick = () => setState((s) => ({ ...s, now: Date.now() }));
    const stop = onDocChange(library.doc, bump);
    const timer = setInterval(tick, TICK_MS);
    return () => {
      stop();
      clearInterval(timer);
    };
  }, [library]);
  return state;
}

/** Whether the document has replayed from disk: until then the queue would read as empty. */
function useReady(library: LocalLibrary): boolean {
  const subscribe = useCallback(
    (listener: () => void) => {
      void library.whenReady.then(listener, listener);
      return () => undefined;
    },
    [library],
  );
  return useSyncExternalStore(subscribe, () => library.ready);
}

export interface QueueView {
  ready: boolean;
  entries: QueueEntry[];
  schedule: Schedule | null;
  problems: string[];
}

export function useQueue(): QueueView {
  const library = useLocalLibraryHandle();
  const { version, now } = useDocAndTime(library);
  const ready = useReady(library);
  const row = useRowLookup();
  return useMemo(() => {
    const { schedule, problems } = readSchedule(library.doc);
    const state = readQueue(library.doc);
    const timeline = queueTimeline(state, schedule, now);
    const entries = timeline.map(({ itemId, timing }) => {
      const item = row(itemId);
      return { itemId, title: item?.title || item?.url || 'A link', url: item?.url ?? '', timing };
    });
    return { ready, entries, schedule, problems };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version stands for the document.
  }, [library, version, ready, now, row]);
}

/** How many picks wait in the queue, for the sidebar. */
export function useQueueLength(): number {
  const library = useLocalLibraryHandle();
  const { version } = useDocAndTime(library);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version stands for the document.
  return useMemo(() => readQueue(library.doc).picks.length, [library, version]);
}

export interface QueueActions {
  move: (itemId: string, place: QueuePlace) => void;
  postNow: (itemId: string) => void;
  remove: (itemId: string) => void;
  pause: () => void;
  resume: () => void;
}

export function useQueueActions(): QueueActions {
  const library = useLocalLibraryHandle();
  return useMemo(() => {
    const actor: Actor = { memberId: library.me.id };
    return {
      move: (itemId, place) => void moveQueued(library.doc, itemId, place, actor),
      postNow: (itemId) => void postNow(library.doc, itemId, actor),
      remove: (itemId) => removeFromQueue(library.doc, [itemId], actor),
      pause: () => pauseQueue(library.doc, actor),
      resume: () => resumeQueue(library.doc, actor),
    };
  }, [library]);
}
