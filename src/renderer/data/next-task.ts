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

/**
 * Resolves once the window has painted a frame. Work that yields only through `nextTask` can hold
 * the frame back for as long as it keeps queueing slices (Chromium puts rendering first only after
 * about 100 ms), so long work asks for a paint now and then. A hidden window paints nothing: there
 * it is a task, and a window that stops painting meanwhile is let go after `limit` ms.
 */
export function nextPaint(limit = 100): Promise<void> {
  const hidden = typeof document === 'undefined' || document.visibilityState === 'hidden';
  if (hidden || typeof requestAnimationFrame !== 'function') return nextTask();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, limit);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}
