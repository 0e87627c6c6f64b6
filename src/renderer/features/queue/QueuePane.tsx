// The Queue view: the picks waiting to be posted, in order, each with the time it goes out; drag
// or Alt+Arrow keys reorder, "Post now" and "Remove from queue" act on one, "Pause queue" holds
// every slot. Every maintainer sees and edits this one queue.
import {
  useEffect,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import { useReadOnlyReason } from '../../data/hooks';
import type { Schedule, Weekday } from '../../../shared/publish';
import { useQueue, useQueueActions, type QueueActions, type QueueEntry } from './useQueue';
import { describeTiming } from './timing';
import './queue.css';

const TITLE_ID = 'queue-pane-title';
const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** "Posts Mon, Wed, Fri at 11:00 and 17:00 (Europe/Berlin)". */
export function scheduleSummary(schedule: Schedule): string {
  const days =
    schedule.days.length === 7
      ? 'every day'
      : schedule.days.map((day) => DAY_NAMES[day]).join(', ') || 'on no day';
  const times = schedule.times.length ? schedule.times.join(' and ') : 'no time';
  return `Posts ${days} at ${times} (${schedule.timeZone})`;
}

/**
 * Reordering by drag and by Alt+Arrow keys. A moved row is a moved DOM node, which loses focus:
 * it gets it back so Alt+Arrow can repeat.
 */
function useQueueReorder(
  entries: readonly QueueEntry[],
  move: QueueActions['move'],
  listRef: RefObject<HTMLOListElement | null>,
) {
  const focusAfterMove = useRef<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);

  useEffect(() => {
    const moved = focusAfterMove.current;
    if (!moved) return;
    focusAfterMove.current = null;
    listRef.current?.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(moved)}"]`)?.focus();
  }, [entries, listRef]);

  const moveBy = (index: number, delta: -1 | 1) => {
    const entry = entries[index];
    const neighbour = entries[index + delta];
    if (!entry || !neighbour) return;
    move(entry.itemId, delta < 0 ? { before: neighbour.itemId } : { after: neighbour.itemId });
    focusAfterMove.current = entry.itemId;
  };

  const drop = (event: DragEvent, target: QueueEntry) => {
    event.preventDefault();
    const moving = event.dataTransfer.getData('application/x-curio-queue') || dragging;
    setDragging(null);
    if (!moving || moving === target.itemId) return;
    const from = entries.findIndex((e) => e.itemId === moving);
    const to = entries.findIndex((e) => e.itemId === target.itemId);
    move(moving, from < to ? { after: target.itemId } : { before: target.itemId });
  };

  return { dragging, setDragging, moveBy, drop };
}

type QueueReorder = ReturnType<typeof useQueueReorder>;

export function QueuePane({ onOpenSettings }: { onOpenSettings: () => void }) {
  const { ready, entries, schedule, problems } = useQueue();
  const actions = useQueueActions();
  const editable = useReadOnlyReason() === null;
  const listRef = useRef<HTMLOListElement>(null);
  const reorder = useQueueReorder(entries, actions.move, listRef);
  return (
    <main className="queue-pane">
      <QueueHeader
        count={entries.length}
        schedule={schedule}
        editable={editable}
        actions={actions}
        onOpenSettings={onOpenSettings}
      />
      {problems.length > 0 && (
        <p className="queue-pane__problem" role="alert">
          Part of the schedule could not be read ({problems.join('; ')}); the queue posts nothing it
          cannot read. Save the schedule again in Settings.
        </p>
      )}
      {!ready ? (
        <p className="queue-pane__empty" role="status">
          Opening the queue…
        </p>
      ) : entries.length === 0 ? (
        <p className="queue-pane__empty" role="status">
          The queue is empty. Select links, press Publish (p) and choose Add to queue: they go out
          one per slot, in the order you give them here.
        </p>
      ) : (
        <ol className="queue-pane__list" aria-labelledby={TITLE_ID} ref={listRef}>
          {entries.map((entry, index) => (
            <QueueItem
              key={entry.itemId}
              entry={entry}
              index={index}
              schedule={schedule}
              editable={editable}
              actions={actions}
              reorder={reorder}
            />
          ))}
        </ol>
      )}
    </main>
  );
}

/** The title, how many picks wait, the pause switch, and the schedule they wait for. */
function QueueHeader(props: {
  count: number;
  schedule: Schedule | null;
  editable: boolean;
  actions: QueueActions;
  onOpenSettings: () => void;
}) {
  const { schedule, actions } = props;
  const paused = schedule?.paused ?? false;
  return (
    <>
      <div className="queue-pane__header">
        <h1 id={TITLE_ID} className="queue-pane__title">
          Queue
        </h1>
        <span className="queue-pane__count">
          {props.count === 1 ? '1 pick' : `${props.count} picks`}
        </span>
        {schedule && (
          <button
            type="button"
            className="button queue-pane__pause"
            disabled={!props.editable}
            onClick={paused ? actions.resume : actions.pause}
          >
            {paused ? 'Resume queue' : 'Pause queue'}
          </button>
        )}
      </div>
      <p className="queue-pane__schedule">
        {schedule ? (
          <>
            {paused ? 'Paused. ' : ''}
            {scheduleSummary(schedule)}.{' '}
          </>
        ) : (
          'No publishing schedule yet: picks wait here until you choose days and times. '
        )}
        <button type="button" className="queue-pane__link" onClick={props.onOpenSettings}>
          {schedule ? 'Change the schedule' : 'Set a schedule'}
        </button>
      </p>
    </>
  );
}

/** One waiting pick: its place, when it goes out, and "Post now" / "Remove from queue". */
function QueueItem(props: {
  entry: QueueEntry;
  index: number;
  schedule: Schedule | null;
  editable: boolean;
  actions: QueueActions;
  reorder: QueueReorder;
}) {
  const { entry, index, editable, actions, reorder } = props;
  const { dragging, setDragging } = reorder;
  const when = describeTiming(entry.timing, props.schedule);
  return (
    <li
      data-item-id={entry.itemId}
      className={dragging === entry.itemId ? 'queue-item queue-item--dragging' : 'queue-item'}
      aria-label={`${entry.title}. ${when}`}
      tabIndex={0}
      draggable={editable}
      title={editable ? 'Drag, or press Alt+↑ / Alt+↓, to reorder' : undefined}
      onKeyDown={(event: KeyboardEvent) => {
        if (!editable || !event.altKey || event.target !== event.currentTarget) return;
        if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
        event.preventDefault();
        reorder.moveBy(index, event.key === 'ArrowUp' ? -1 : 1);
      }}
      onDragStart={(event) => {
        event.dataTransfer.setData('application/x-curio-queue', entry.itemId);
        event.dataTransfer.effectAllowed = 'move';
        setDragging(entry.itemId);
      }}
      onDragEnd={() => setDragging(null)}
      onDragOver={(event) => {
        if (dragging) event.preventDefault();
      }}
      onDrop={(event) => reorder.drop(event, entry)}
    >
      <span className="queue-item__position" aria-hidden="true">
        {index + 1}
      </span>
      <div className="queue-item__text">
        <span className="queue-item__title">{entry.title}</span>
        <span
          className={
            entry.timing.kind === 'overdue' || entry.timing.kind === 'failed'
              ? 'queue-item__when queue-item__when--attention'
              : 'queue-item__when'
          }
        >
          {when}
        </span>
      </div>
      <div className="queue-item__actions">
        <button
          type="button"
          className="button"
          disabled={!editable || entry.timing.kind === 'post-now'}
          onClick={() => actions.postNow(entry.itemId)}
        >
          Post now
        </button>
        <button
          type="button"
          className="button button--quiet"
          disabled={!editable}
          onClick={() => actions.remove(entry.itemId)}
        >
          Remove from queue
        </button>
      </div>
    </li>
  );
}
