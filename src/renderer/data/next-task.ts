/**
 * Lets the window paint and take input between two slices of work: `scheduler.yield()` where
 * the browser has it, since a chain of `setTimeout(0)` waits at least 4 ms a link.
 */
export function nextTask(): Promise<void> {
  const { scheduler } = globalThis as { scheduler?: { yield?: () => Promise<void> } };
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Called between units of work, lets the window paint and take input once `ms` have gone by since
 * it last did: long work in slices of about that length.
 */
export function timeSlices(ms: number): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart <= ms) return;
    await nextTask();
    sliceStart = performance.now();
  };
}
