// The posting queue's pure core: the schedule and its slots, queue order keys, and what a running
// Curio should do and the Queue view should say. The document side is src/shared/collection/queue.ts.
export * from './schedule';
export { isKnownTimeZone } from './zone-clock';
export { latestSlot, nextSlot, nextSlots } from './slots';
export { ORDER_KEY_PATTERN, orderKeyBetween } from './order-key';
export { queueOrder, slotCandidates, unservedPick } from './queue-state';
export type { QueueState, QueuedPick, SlotClaim, StateVector, StructId } from './queue-state';
export * from './decide';
export * from './timeline';
