// The posting queue in the shared document, and every change to it. Root maps, flat keys only
// (docs/data-model.md, "The posting queue"): `queue` holds the picks waiting, keyed
// `<itemId>/<field>`; `slotClaims` holds which replica took which slot, keyed `<slot>/<replica>`;
// the schedule's map is queue-schedule.ts's. The decisions themselves are pure and live in
// src/shared/publish/schedule.
import * as Y from 'yjs';
import { z } from 'zod';
import { PUBLISH_TARGETS, type PublishTarget } from '../model';
import {
  ORDER_KEY_PATTERN,
  decideDue,
  orderKeyBetween,
  queueOrder,
  type Coordination,
  type QueueDecision,
  type QueueState,
  type QueuedPick,
  type SlotClaim,
} from '../publish/schedule';
import { getPublication } from './mutations';
import { hasUrl, storedField } from './read';
import type { Actor } from './write';
import { QueueError, SCHEDULE_ROOT, readSchedule } from './queue-schedule';
import { ROOT, compositeKey, maps, splitKey } from './schema';

export const QUEUE_ROOT = {
  queue: ROOT.queue,
  slotClaims: ROOT.slotClaims,
  schedule: SCHEDULE_ROOT,
} as const;

/** Claims older than this are dropped when a new one is written: no decision looks back a week. */
export const CLAIM_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

const TargetsSchema = z.array(z.enum(PUBLISH_TARGETS)).min(1).max(PUBLISH_TARGETS.length);
const ClaimSchema = z.object({
  itemId: z.string().min(1).max(64),
  targets: TargetsSchema,
  by: z.string().max(64),
  at: z.number().int().nonnegative(),
});
const FailureSchema = z.object({ at: z.number().int().nonnegative(), error: z.string().max(2000) });
const time = z.number().int().nonnegative();
const ENTRY_FIELDS = ['pos', 'targets', 'queuedAt', 'queuedBy', 'now', 'failed'];

interface QueueMaps {
  queue: Y.Map<unknown>;
  slotClaims: Y.Map<unknown>;
}

function queueMaps(doc: Y.Doc): QueueMaps {
  return { queue: doc.getMap(QUEUE_ROOT.queue), slotClaims: doc.getMap(QUEUE_ROOT.slotClaims) };
}

const clock = (actor: Actor) => (actor.now ?? Date.now)();

function change(doc: Y.Doc, actor: Actor, fn: () => void): void {
  doc.transact(fn, actor.origin ?? null);
}

function deleteKeys(map: Y.Map<unknown>, keys: readonly string[]): void {
  for (const key of keys) if (map.has(key)) map.delete(key);
}

// ---- reading ----
function isLive(doc: Y.Doc, itemId: string): boolean | null {
  const items = maps(doc).items;
  if (!hasUrl(items, itemId)) return null;
  return storedField(items, itemId, 'deletedAt') == null;
}

function isStarted(doc: Y.Doc, itemId: string, target: PublishTarget): boolean {
  if (!maps(doc).publications.has(compositeKey(itemId, target))) return false;
  const state = getPublication(doc, itemId, target)?.state;
  return state === 'publishing' || state === 'published';
}

/** The value when it is set and valid, else null (a failed parse builds an error: skip it for unset keys). */
function ifValid<T>(schema: z.ZodType<T>, value: unknown): T | null {
  if (value === undefined) return null;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function readPick(doc: Y.Doc, itemId: string, fields: Map<string, unknown>): QueuedPick | null {
  const targets = TargetsSchema.safeParse(fields.get('targets'));
  const live = isLive(doc, itemId);
  if (!targets.success || live === null) return null;
  const position = fields.get('pos');
  const queuedBy = fields.get('queuedBy');
  return {
    itemId,
    position: typeof position === 'string' && ORDER_KEY_PATTERN.test(position) ? position : null,
    targets: PUBLISH_TARGETS.filter((t) => targets.data.includes(t)),
    pending: PUBLISH_TARGETS.filter((t) => targets.data.includes(t) && !isStarted(doc, itemId, t)),
    queuedAt: ifValid(time, fields.get('queuedAt')) ?? 0,
    queuedBy: typeof queuedBy === 'string' ? queuedBy : '',
    postNowAt: ifValid(time, fields.get('now')),
    failed: ifValid(FailureSchema, fields.get('failed')),
    inTrash: !live,
  };
}

/** Fields of every entry that is in the queue (has an order key), by item id. */
function queuedFields(doc: Y.Doc): Map<string, Map<string, unknown>> {
  const byItem = new Map<string, Map<string, unknown>>();
  for (const [key, value] of queueMaps(doc).queue.entries()) {
    const [itemId, field] = splitKey(key);
    let fields = byItem.get(itemId);
    if (!fields) byItem.set(itemId, (fields = new Map()));
    fields.set(field, value);
  }
  for (const [itemId, fields] of byItem) if (!fields.has('pos')) byItem.delete(itemId);
  return byItem;
}

function readClaims(doc: Y.Doc): SlotClaim[] {
  const claims: SlotClaim[] = [];
  const map = queueMaps(doc).slotClaims;
  for (const [key, value] of map.entries()) {
    const [slotText, replicaText] = splitKey(key);
    const slot = Number(slotText);
    const replica = Number(replicaText);
    const parsed = ClaimSchema.safeParse(value);
    const struct = map._map.get(key);
    if (!parsed.success || !Number.isSafeInteger(slot) || !Number.isSafeInteger(replica) || !struct)
      continue;
    claims.push({ slot, replica, ...parsed.data, stored: { ...struct.id } });
  }
  return claims.sort((a, b) => a.slot - b.slot || a.replica - b.replica);
}

/** The queue as the decisions and the Queue view read it. */
export function readQueue(doc: Y.Doc): QueueState {
  const picks: QueuedPick[] = [];
  for (const [itemId, fields] of queuedFields(doc)) {
    const pick = readPick(doc, itemId, fields);
    if (pick && pick.pending.length) picks.push(pick);
  }
  return {
    picks: picks.sort(queueOrder),
    claims: readClaims(doc),
    stateVector: Y.decodeStateVector(Y.encodeStateVector(doc)),
  };
}

// ---- changing the queue ----

/** Where a pick goes: an end of the queue, or next to another queued pick. */
export type QueuePlace = { at: 'start' | 'end' } | { before: string } | { after: string };

type Ranked = [itemId: string, key: string];

/** Same total order as queueOrder: by key, then item id. */
function before(a: Ranked, b: Ranked): boolean {
  return a[1] !== b[1] ? a[1] < b[1] : a[0] < b[0];
}

/** Order keys of the queue in order, leaving one pick out (the one being placed). */
function orderedKeys(doc: Y.Doc, leaving: string): Ranked[] {
  const out: Ranked[] = [];
  for (const [itemId, fields] of queuedFields(doc)) {
    const key = fields.get('pos');
    if (itemId !== leaving && typeof key === 'string' && ORDER_KEY_PATTERN.test(key)) {
      out.push([itemId, key]);
    }
  }
  return out.sort((a, b) => (before(a, b) ? -1 : 1));
}

function keyBetween(doc: Y.Doc, [lo, hi]: [Ranked | null, Ranked | null]): string {
  return orderKeyBetween(lo?.[1] ?? null, hi?.[1] ?? null, doc.clientID);
}

/** The neighbours a pick placed at `place` goes between (null: an end of the queue). */
function gapFor(
  doc: Y.Doc,
  place: QueuePlace,
  itemId: string,
): [lo: Ranked | null, hi: Ranked | null] {
  const keys = orderedKeys(doc, itemId);
  const anchor = 'before' in place ? place.before : 'after' in place ? place.after : null;
  let index = keys.findIndex(([id]) => id === anchor);
  if (index < 0) index = 'at' in place && place.at === 'start' ? 0 : keys.length;
  else if ('after' in place) index++;
  return [keys[index - 1] ?? null, keys[index] ?? null];
}

/** Whether the pick has a place in the queue (it may be on its way out already). */
export function isQueued(doc: Y.Doc, itemId: string): boolean {
  return queueMaps(doc).queue.has(compositeKey(itemId, 'pos'));
}

/**
 * "Add to queue": the pick waits for a slot to publish to `targets`. A pick already in the queue
 * keeps its place and gains the targets; one that had failed waits for a slot again.
 */
export function enqueue(
  doc: Y.Doc,
  itemId: string,
  targets: readonly PublishTarget[],
  actor: Actor,
  place: QueuePlace = { at: 'end' },
): void {
  const live = isLive(doc, itemId);
  if (live === null) throw new QueueError('This link is no longer in the collection.');
  if (!live) throw new QueueError('This link is in Trash: restore it to add it to the queue.');
  if (!TargetsSchema.safeParse([...new Set(targets)]).success) {
    throw new QueueError('Choose where the pick goes: Bluesky, the site, or both.');
  }
  const chosen = targets.filter((target) => !isStarted(doc, itemId, target));
  if (!chosen.length) {
    throw new QueueError('This pick is already published there: there is nothing left to queue.');
  }
  const queue = queueMaps(doc).queue;
  const at = clock(actor);
  change(doc, actor, () => {
    const key = (field: string) => compositeKey(itemId, field);
    deleteKeys(queue, [key('failed')]);
    const before = TargetsSchema.safeParse(queue.get(key('targets')));
    if (isQueued(doc, itemId) && before.success) {
      const union = PUBLISH_TARGETS.filter((t) => before.data.includes(t) || chosen.includes(t));
      if (union.length !== before.data.length) queue.set(key('targets'), union);
      return;
    }
    queue.set(
      key('targets'),
      PUBLISH_TARGETS.filter((t) => chosen.includes(t)),
    );
    queue.set(key('queuedAt'), at);
    queue.set(key('queuedBy'), actor.memberId);
    deleteKeys(queue, [key('now')]);
    queue.set(key('pos'), keyBetween(doc, gapFor(doc, place, itemId)));
  });
}

/** Drag or keyboard reorder. False when the pick is not in the queue. */
export function moveQueued(doc: Y.Doc, itemId: string, place: QueuePlace, actor: Actor): boolean {
  const queue = queueMaps(doc).queue;
  const current = queue.get(compositeKey(itemId, 'pos'));
  if (typeof current !== 'string') return false;
  if (
    ('before' in place && place.before === itemId) ||
    ('after' in place && place.after === itemId)
  )
    return true;
  const gap = gapFor(doc, place, itemId);
  const [lo, hi] = gap;
  const here: Ranked = [itemId, current];
  const alreadyThere =
    ORDER_KEY_PATTERN.test(current) &&
    (lo === null || before(lo, here)) &&
    (hi === null || before(here, hi));
  if (!alreadyThere)
    change(doc, actor, () => queue.set(compositeKey(itemId, 'pos'), keyBetween(doc, gap)));
  return true;
}

/**
 * "Remove from queue". Only the keys that put a pick in the queue go; its targets and when it was
 * queued stay, so a move made concurrently elsewhere brings back a complete entry.
 */
export function removeFromQueue(doc: Y.Doc, itemIds: readonly string[], actor: Actor): void {
  const queue = queueMaps(doc).queue;
  change(doc, actor, () => {
    for (const id of itemIds)
      deleteKeys(
        queue,
        ['pos', 'now', 'failed'].map((f) => compositeKey(id, f)),
      );
  });
}

/** "Post now": whichever Curio runs first publishes it at once, outside the slots. */
export function postNow(doc: Y.Doc, itemId: string, actor: Actor): boolean {
  if (!isQueued(doc, itemId)) return false;
  const queue = queueMaps(doc).queue;
  change(doc, actor, () => {
    deleteKeys(queue, [compositeKey(itemId, 'failed')]);
    queue.set(compositeKey(itemId, 'now'), clock(actor));
  });
  return true;
}

export type QueueOutcome = { state: 'published' } | { state: 'failed'; error: string };

/**
 * What became of a pick the queue posted (call it once the outbox settles its jobs). Published:
 * once every one of its targets is published, the pick leaves the queue and its keys go. Failed:
 * it stays, marked, and no slot takes it until the curator presses "Post now" or adds it again.
 */
export function settleQueued(
  doc: Y.Doc,
  itemId: string,
  outcome: QueueOutcome,
  actor: Actor,
): void {
  const queue = queueMaps(doc).queue;
  const key = (field: string) => compositeKey(itemId, field);
  if (!isQueued(doc, itemId)) return;
  change(doc, actor, () => {
    deleteKeys(queue, [key('now')]);
    if (outcome.state === 'failed') {
      queue.set(key('failed'), { at: clock(actor), error: outcome.error.slice(0, 2000) });
      return;
    }
    const targets = TargetsSchema.safeParse(queue.get(key('targets'))).data ?? [];
    if (targets.every((t) => getPublication(doc, itemId, t)?.state === 'published')) {
      // All of it goes, so the map does not grow with every pick ever posted. A move made
      // concurrently elsewhere brings back only `pos`, which readers ignore without `targets`.
      deleteKeys(queue, ENTRY_FIELDS.map(key));
    }
  });
}

/**
 * Writes this replica's claim on a slot (decideDue answered "claim"). Written once and never
 * changed: the exactly-one-winner argument depends on a claim's struct staying where it is.
 */
export function claimSlot(
  doc: Y.Doc,
  claim: { slot: number; itemId: string; targets: readonly PublishTarget[] },
  actor: Actor,
): void {
  const map = queueMaps(doc).slotClaims;
  const at = clock(actor);
  const key = `${claim.slot}/${doc.clientID}`;
  if (map.has(key)) return;
  const stale = [...map.keys()].filter((k) => Number(splitKey(k)[0]) < at - CLAIM_RETENTION_MS);
  change(doc, actor, () => {
    deleteKeys(map, stale);
    map.set(key, { itemId: claim.itemId, targets: [...claim.targets], by: actor.memberId, at });
  });
}

// ---- the runner's step ----

/**
 * Reads the queue, decides, and writes a claim when one is due; returns what is left to do. A
 * "post" must be acted on in the same task: plan its jobs (planBlueskyJob / planSitePublish write
 * "publishing" records) before awaiting anything, then call settleQueued when they settle.
 */
export function nextQueueAction(
  doc: Y.Doc,
  coordination: Coordination,
  actor: Actor,
): QueueDecision {
  const now = clock(actor);
  const runner = { replica: doc.clientID, coordination };
  const { schedule } = readSchedule(doc);
  const decision = decideDue(readQueue(doc), schedule, runner, now);
  if (decision.kind !== 'claim') return decision;
  claimSlot(doc, decision, actor);
  return decideDue(readQueue(doc), schedule, runner, now);
}
