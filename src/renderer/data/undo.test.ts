// A change's handle undoes that change and nothing else: not after Ctrl+Z already undid it, not
// once a later change is on top, and not by reaching past it when it no longer changes anything.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { restoreFromTrash } from '../../shared/collection';
import type { Member } from '../../shared/model';
import { CollectionDb } from './db';
import { LocalLibrary } from './library';
import { InlineSearch } from './search-client';

const me: Member = { id: 'ana', name: 'Ana', color: '#2563eb' };

function create() {
  return LocalLibrary.create({
    collectionId: 'c1',
    me,
    db: new CollectionDb('c1', new IDBFactory(), IDBKeyRange),
    search: new InlineSearch(),
  });
}

async function withThreeLinks() {
  const lib = create();
  await lib.load();
  const [a, b, c] = lib
    .addLinks(['a', 'b', 'c'].map((x) => ({ url: `https://example.com/${x}` })))
    .map((r) => r.id) as [string, string, string];
  return { lib, a, b, c, status: (id: string) => lib.store.get(id)?.status };
}

describe('undoing one change', () => {
  it('after Ctrl+Z undid a trash, the trash’s Undo does nothing (not the earlier Mark read)', async () => {
    const { lib, a, b, c, status } = await withThreeLinks();
    lib.markRead([a, b]);
    const trash = lib.moveToTrash([c]);
    expect(lib.canUndoChange(trash)).toBe(true);
    expect(lib.undo()).toBe(true);
    expect(status(c)).toBe('unread');
    expect(lib.canUndoChange(trash)).toBe(false);
    expect(lib.undoChange(trash)).toBe(false);
    expect([status(a), status(b), status(c)]).toEqual(['read', 'read', 'unread']);
    await lib.close();
  });

  it('is no longer offered once a later change is on top', async () => {
    const { lib, a, c, status } = await withThreeLinks();
    const trash = lib.moveToTrash([c]);
    lib.markRead([a]);
    expect(lib.canUndoChange(trash)).toBe(false);
    expect(lib.undoChange(trash)).toBe(false);
    expect([status(a), status(c)]).toEqual(['read', 'trash']);
    await lib.close();
  });

  it('undoes exactly its own change while it is the latest', async () => {
    const { lib, a, c, status } = await withThreeLinks();
    lib.markRead([a]);
    const trash = lib.moveToTrash([c]);
    let told = 0;
    const off = lib.onUndoHistoryChange(() => told++);
    expect(lib.undoChange(trash)).toBe(true);
    off();
    expect(told).toBeGreaterThan(0);
    expect([status(a), status(c)]).toEqual(['read', 'unread']);
    expect(lib.canUndoChange(trash)).toBe(false);
    // Ctrl+Z goes on from there.
    expect(lib.undo()).toBe(true);
    expect(status(a)).toBe('unread');
    await lib.close();
  });

  it('does not reach past its change when another member already reverted it', async () => {
    const { lib, a, c, status } = await withThreeLinks();
    lib.markRead([a]);
    const trash = lib.moveToTrash([c]);
    // Another member restores the link: undoing the trash now changes nothing, and
    // Y.UndoManager.undo() alone would go on to undo the Mark read below it.
    restoreFromTrash(lib.doc, [c], { memberId: 'ben', origin: 'remote' });
    expect(lib.undoChange(trash)).toBe(false);
    expect([status(a), status(c)]).toEqual(['read', 'unread']);
    await lib.close();
  });

  it('takes back an action still waiting for the log, so it never happens', async () => {
    const lib = create();
    const early = lib.addLink({ url: 'https://example.com/early' });
    const trash = lib.moveToTrash([early.id]);
    expect(lib.canUndoChange(trash)).toBe(true);
    expect(lib.undoChange(trash)).toBe(true);
    await lib.load();
    expect(lib.store.get(early.id)?.status).toBe('unread');
    await lib.close();
  });
});
