// Keeps the page from going while a change is still on its way to disk: unloading the page then
// would lose it. A browser asks "Leave site?" meanwhile; Electron cancels a held close without a
// word, so there the page closes itself as soon as everything is saved (the main process then
// finishes what the close was for: see src/main/electron/deferred-unload.ts).

/** What the guard needs of an open collection. */
export interface SavingCollection {
  /** Changes made but not yet on disk. */
  pendingWrites(): number;
  /** Resolves once every change made so far is on disk. */
  saved(): Promise<void>;
}

/** Whether any open collection has a change that is not on disk yet. */
export function hasUnsavedChanges(collections: Iterable<SavingCollection>): boolean {
  for (const collection of collections) if (collection.pendingWrites() > 0) return true;
  return false;
}

/** The page's window, as far as the guard uses it. */
export interface UnloadingWindow {
  addEventListener(type: 'beforeunload', listener: (event: BeforeUnloadEvent) => void): void;
  removeEventListener(type: 'beforeunload', listener: (event: BeforeUnloadEvent) => void): void;
  close(): void;
}

export interface GuardOptions {
  /** Close the window once saved: where a held unload is cancelled silently (Electron). */
  closeWhenSaved: boolean;
}

/**
 * Holds any unload of `target` while one of `collections()` has unsaved changes. Returns the
 * function that stops guarding.
 */
export function guardUnsavedChanges(
  target: UnloadingWindow,
  collections: () => readonly SavingCollection[],
  { closeWhenSaved }: GuardOptions,
): () => void {
  let closing = false;
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    const open = collections();
    if (!hasUnsavedChanges(open)) return;
    event.preventDefault();
    // Engines before the standard (Chrome before 119) ask only when returnValue is set.
    event.returnValue = true;
    if (!closeWhenSaved || closing) return;
    closing = true;
    Promise.all(open.map((collection) => collection.saved())).then(
      () => {
        closing = false;
        target.close();
      },
      (error: unknown) => {
        // Left open: closing again asks whether to close without saving.
        closing = false;
        console.error('Your latest changes could not be saved:', error);
      },
    );
  };
  target.addEventListener('beforeunload', onBeforeUnload);
  return () => target.removeEventListener('beforeunload', onBeforeUnload);
}
