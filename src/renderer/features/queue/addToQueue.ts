// "Add to queue" in the Publish dialog: the words typed are kept in the shared document (so the
// Curio that posts the pick at its slot, on any maintainer's device, uses them), and each pick
// joins the end of the queue for the targets that follow it. Targets set to publish at once are
// returned for the dialog to publish now.
import type * as Y from 'yjs';
import {
  QueueError,
  enqueue,
  readSchedule,
  setPublicationBlurb,
  setPublicationHeadline,
  type Actor,
} from '../../../shared/collection';
import type { ItemRow, PublishTarget } from '../../../shared/model';
import { splitTargets } from '../../../shared/publish';

export interface QueueRequest {
  items: readonly ItemRow[];
  targets: readonly PublishTarget[];
  /** Typed in the dialog, by item id. */
  blurbs: Readonly<Record<string, string>>;
  headlines: Readonly<Record<string, string>>;
}

export interface QueueResult {
  /** Picks now waiting in the queue. */
  queued: string[];
  /** Picks that had nothing left to queue, with why. */
  skipped: Array<{ title: string; reason: string }>;
  /** Targets the schedule says publish at once: the dialog publishes these now. */
  immediate: PublishTarget[];
}

const started = (item: ItemRow, target: PublishTarget) => {
  const state = item.publications[target]?.state;
  return state === 'publishing' || state === 'published';
};

export function addToQueue(doc: Y.Doc, request: QueueRequest, actor: Actor): QueueResult {
  const { queued: following, immediate } = splitTargets(
    readSchedule(doc).schedule,
    request.targets,
  );
  const result: QueueResult = { queued: [], skipped: [], immediate };
  if (!following.length) return result;
  for (const item of request.items) {
    const targets = following.filter((target) => !started(item, target));
    const blurb = request.blurbs[item.id];
    for (const target of targets)
      if (blurb !== undefined) setPublicationBlurb(doc, item.id, target, blurb, actor);
    const headline = request.headlines[item.id];
    if (targets.includes('site') && headline !== undefined)
      setPublicationHeadline(doc, item.id, headline, actor);
    try {
      enqueue(doc, item.id, targets.length ? targets : following, actor);
      result.queued.push(item.id);
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
      result.skipped.push({ title: item.title || item.url, reason: error.message });
    }
  }
  return result;
}

/** The toast after "Add to queue". */
export function queuedMessage(result: QueueResult, publishingNow: number): string {
  const n = result.queued.length;
  const parts = [
    n === 1 ? 'Added 1 pick to the queue' : `Added ${n} picks to the queue`,
    ...(publishingNow ? [`publishing ${result.immediate.join(' and ')} now`] : []),
    ...(result.skipped.length ? [`${result.skipped.length} already published there`] : []),
  ];
  return `${parts.join('; ')}.`;
}
