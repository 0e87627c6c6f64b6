// The posting queue's pure core: the schedule and its slots, queue order keys, and what a running
// Curio should do and the Queue view should say. The document side is src/shared/collection/queue.ts.
export * from './schedule';
export * from './zone-clock';
export * from './slots';
export * from './order-key';
export * from './queue-state';
export * from './decide';
export * from './timeline';
