// The collections on this device, which one is open, and joining a shared one with an invite.
import { nextTid, type Invite } from '../../shared/model';
import type { AppDb, CollectionEntry } from './db';

export async function listCollections(app: AppDb): Promise<CollectionEntry[]> {
  return app.collections.orderBy('createdAt').toArray();
}

export async function switchCollection(app: AppDb, id: string): Promise<void> {
  if (!(await app.collections.get(id))) throw new Error('That collection is not on this device.');
  await app.putSetting('currentCollection', id);
}

export async function createCollection(app: AppDb, name: string): Promise<CollectionEntry> {
  const entry: CollectionEntry = {
    id: nextTid(),
    name: name.trim() || 'Untitled collection',
    createdAt: Date.now(),
    hub: null,
  };
  await app.collections.put(entry);
  await app.putSetting('currentCollection', entry.id);
  return entry;
}

export interface JoinOutcome {
  entry: CollectionEntry;
  /** True when the invite is for the collection already open: connect it, no switch needed. */
  sameCollection: boolean;
}

/**
 * Records an invite: the open collection gets the hub when the invite is for it (the creator
 * sharing their own collection); otherwise the invited collection is added (or updated) and made
 * current, and syncs down from the hub when opened.
 */
export async function joinWithInvite(
  app: AppDb,
  currentId: string,
  invite: Invite,
): Promise<JoinOutcome> {
  const hub = { url: invite.hub, token: invite.token };
  const existing = await app.collections.get(invite.collection);
  const entry: CollectionEntry = existing
    ? { ...existing, hub }
    : { id: invite.collection, name: 'Shared collection', createdAt: Date.now(), hub };
  await app.collections.put(entry);
  await app.putSetting('currentCollection', entry.id);
  return { entry, sameCollection: entry.id === currentId };
}

export async function leaveHub(app: AppDb, id: string): Promise<void> {
  await app.collections.update(id, { hub: null });
}
