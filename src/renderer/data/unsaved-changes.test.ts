// The page is held while a change is on its way to disk, and only then: a real collection on an
// in-memory IndexedDB, a window reduced to its beforeunload listeners.
import { describe, expect, it, vi } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Member } from '../../shared/model';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { InlineSearch } from './search-client';
import {
  guardUnsavedChanges,
  hasUnsavedChanges,
  type SavingCollection,
  type UnloadingWindow,
} from './unsaved-changes';

const me: Member = { id: 'me', name: 'Ana', color: '#2563eb' };

function fakeWindow() {
  const listeners = new Set<(event: BeforeUnloadEvent) => void>();
  const window = {
    addEventListener: (_type: 'beforeunload', listener: (event: BeforeUnloadEvent) => void) =>
      listeners.add(listener),
    removeEventListener: (_type: 'beforeunload', listener: (event: BeforeUnloadEvent) => void) =>
      listeners.delete(listener),
    close: vi.fn(),
    listeners,
    /** Dispatches beforeunload; true when a listener held the unload. */
    unload(): { held: boolean; returnValue: unknown } {
      let held = false;
      const event = { returnValue: undefined as unknown, preventDefault: () => (held = true) };
      for (const listener of listeners) listener(event as unknown as BeforeUnloadEvent);
      return { held, returnValue: event.returnValue };
    },
  };
  return window satisfies UnloadingWindow;
}

function collection(pending: number): SavingCollection & { save: () => void } {
  let save = () => {};
  const saved = pending ? new Promise<void>((resolve) => (save = resolve)) : Promise.resolve();
  return {
    pendingWrites: () => pending,
    saved: () => saved,
    save: () => {
      pending = 0;
      save();
    },
  };
}

async function openLibrary(): Promise<LocalLibrary> {
  return LocalLibrary.open({
    collectionId: 'c1',
    me,
    db: new CollectionDb('c1', new IDBFactory(), IDBKeyRange),
    search: new InlineSearch(),
  });
}

describe('hasUnsavedChanges', () => {
  it('is true while any open collection has a change not on disk yet', () => {
    expect(hasUnsavedChanges([])).toBe(false);
    expect(hasUnsavedChanges([collection(0), collection(0)])).toBe(false);
    expect(hasUnsavedChanges([collection(0), collection(3)])).toBe(true);
  });
});

describe('guardUnsavedChanges', () => {
  it('lets the page go when everything is saved', () => {
    const window = fakeWindow();
    guardUnsavedChanges(window, () => [collection(0)], { closeWhenSaved: true });
    expect(window.unload()).toEqual({ held: false, returnValue: undefined });
    expect(window.close).not.toHaveBeenCalled();
  });

  it('holds a browser tab while a change is being saved, and leaves the answer to the curator', async () => {
    const window = fakeWindow();
    const saving = collection(1);
    guardUnsavedChanges(window, () => [saving], { closeWhenSaved: false });
    expect(window.unload()).toEqual({ held: true, returnValue: true });
    saving.save();
    await saving.saved();
    expect(window.close).not.toHaveBeenCalled();
    expect(window.unload().held).toBe(false);
  });

  it('in the desktop app, closes the window itself once the change is saved, once', async () => {
    const window = fakeWindow();
    const saving = collection(2);
    guardUnsavedChanges(window, () => [collection(0), saving], { closeWhenSaved: true });
    expect(window.unload().held).toBe(true);
    // Closed again while still saving: still held, and still one close to come.
    expect(window.unload().held).toBe(true);
    expect(window.close).not.toHaveBeenCalled();
    saving.save();
    await vi.waitFor(() => expect(window.close).toHaveBeenCalledTimes(1));
    expect(window.unload().held).toBe(false);
  });

  it('stops guarding when asked', () => {
    const window = fakeWindow();
    const stop = guardUnsavedChanges(window, () => [collection(1)], { closeWhenSaved: false });
    stop();
    expect(window.listeners.size).toBe(0);
  });

  it('holds a real collection from a change until its log write is durable', async () => {
    const library = await openLibrary();
    const window = fakeWindow();
    guardUnsavedChanges(window, () => [library], { closeWhenSaved: true });
    await library.saved();
    expect(window.unload().held).toBe(false);
    library.addLink({ url: 'https://example.org/written-just-before-closing' });
    expect(library.pendingWrites()).toBeGreaterThan(0);
    expect(window.unload().held).toBe(true);
    await vi.waitFor(() => expect(window.close).toHaveBeenCalledTimes(1));
    expect(library.pendingWrites()).toBe(0);
    expect(await library.db.items.count()).toBe(1);
    await library.close();
  });

  it('does not hold the page for actions a collection that failed to open can never save', async () => {
    const db = new CollectionDb('c1', new IDBFactory(), IDBKeyRange);
    const library = LocalLibrary.create({ collectionId: 'c1', me, db, search: new InlineSearch() });
    library.addLink({ url: 'https://example.org/saved-before-opening' });
    expect(library.pendingWrites()).toBe(1);
    const window = fakeWindow();
    guardUnsavedChanges(window, () => [library], { closeWhenSaved: true });
    expect(window.unload().held).toBe(true);
    vi.spyOn(db.updates, 'limit').mockImplementation(() => {
      throw new Error('The disk is gone');
    });
    await expect(library.load()).rejects.toThrow('The disk is gone');
    expect(library.pendingWrites()).toBe(0);
    await vi.waitFor(() => expect(window.close).toHaveBeenCalledTimes(1));
    expect(window.unload().held).toBe(false);
  });
});
