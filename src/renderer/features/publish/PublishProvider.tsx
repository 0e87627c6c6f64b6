// Runs the collection's publishing outbox and the posting queue's runner while the window is open
// (in the desktop app, also while it waits in the tray), and tells the curator how each job
// ended: a toast when it is done, and one with Retry when it failed.
import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { useLocalLibraryHandle, useWorkspace } from '../../data/hooks';
import { Outbox, PUBLISH_ORIGIN, type OutboxRow } from '../../data/outbox';
import { loadPublishSettings } from '../../data/publish-settings';
import { QueueRunner, hubCoordination } from '../../data/queue-runner';
import { getDesktopApi } from '../../platform/desktop';
import { useToast } from '../shell/Toast';
import { jobSummary } from './labels';

const OutboxContext = createContext<Outbox | null>(null);

export function PublishProvider({ children }: { children: ReactNode }) {
  const library = useLocalLibraryHandle();
  const { app } = useWorkspace();
  const outbox = useMemo(
    () =>
      new Outbox({
        collectionId: library.collectionId,
        ready: library.whenReady,
        db: library.db,
        doc: library.doc,
        actor: { memberId: library.me.id, origin: PUBLISH_ORIGIN },
        api: getDesktopApi(),
        settings: () => loadPublishSettings(app, library.collectionId, library.doc),
        rows: () => library.store.all(),
      }),
    [library, app],
  );

  const runner = useMemo(
    () =>
      new QueueRunner({
        collectionId: library.collectionId,
        doc: library.doc,
        ready: library.whenReady,
        actor: { memberId: library.me.id, origin: PUBLISH_ORIGIN },
        outbox,
        row: (id) => library.store.get(id),
        coordination: hubCoordination(library),
        canWrite: () => !library.readOnly,
      }),
    [library, outbox],
  );

  useEffect(() => {
    void outbox.start();
    runner.start();
    return () => {
      runner.stop();
      outbox.stop();
    };
  }, [outbox, runner]);

  return (
    <OutboxContext.Provider value={outbox}>
      <OutcomeToasts outbox={outbox} />
      {children}
    </OutboxContext.Provider>
  );
}

/** The collection's outbox (null only outside a PublishProvider). */
export function useOutbox(): Outbox | null {
  return useContext(OutboxContext);
}

const NO_JOBS: OutboxRow[] = [];
const noop = () => () => undefined;

export function useOutboxJobs(): OutboxRow[] {
  const outbox = useOutbox();
  return useSyncExternalStore(outbox?.subscribe ?? noop, outbox?.list ?? (() => NO_JOBS));
}

function OutcomeToasts({ outbox }: { outbox: Outbox }) {
  const toast = useToast();
  const jobs = useOutboxJobs();
  const seen = useRef<Map<string, OutboxRow['state']> | null>(null);
  useEffect(() => {
    // Jobs that ended before this window opened were reported then; only report changes.
    const before = seen.current;
    seen.current = new Map(jobs.map((row) => [row.id, row.state]));
    if (!before) return;
    for (const row of jobs) {
      const was = before.get(row.id);
      if (was === undefined || was === row.state) continue;
      if (row.state === 'done') toast({ text: jobSummary(row) });
      else if (row.state === 'failed')
        toast({
          text: jobSummary(row),
          action: { label: 'Retry', run: () => void outbox.retry(row.id) },
        });
      else if (row.state === 'queued' && was === 'running' && row.error)
        // A failed attempt waits for its next try; say so now rather than after the last one.
        toast({
          text: jobSummary(row),
          action: { label: 'Retry now', run: () => void outbox.retry(row.id) },
        });
    }
  }, [jobs, outbox, toast]);
  return null;
}
