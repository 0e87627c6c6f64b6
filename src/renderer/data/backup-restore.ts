// Restoring a backup opens it as a new collection on this device: it never replaces the one open.
// A backup from the data folder, or a file the curator picks (a backup's collection.yjs, or a
// Curio JSON export), becomes the first row of a new collection's update log; the items table is
// built from it when the collection opens.
import * as Y from 'yjs';
import {
  ROOT,
  readCollectionMeta,
  readMember,
  savedItemIds,
  type Actor,
} from '../../shared/collection';
import type { BackupInfo } from '../../shared/backups';
import { restoreCurioExport } from '../../shared/import';
import { nextTid, type Member } from '../../shared/model';
import { getDesktopApi } from '../platform/desktop';
import { backUp } from './backup';
import { CollectionDb, type AppDb, type CollectionEntry } from './db';
import { readImport } from './import-reader';
import type { LocalLibrary } from './library';

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

/** The roots a collection document may hold; a file with other roots is no Curio backup. */
const KNOWN_ROOTS = new Set<string>(Object.values(ROOT));

/** A collection document from a backup's bytes, or RestoreError when they are not one. */
export function documentFromBackup(bytes: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, bytes);
  } catch {
    doc.destroy();
    throw new RestoreError('This file is not a Curio backup: its contents cannot be read.');
  }
  const roots = [...doc.share.keys()];
  const foreign = roots.some((name) => !KNOWN_ROOTS.has(name) && !name.startsWith('note:'));
  // Pending structs mean the file lacks parts the rest depends on: it is cut short.
  if (!roots.length || foreign || doc.store.pendingStructs !== null) {
    doc.destroy();
    throw new RestoreError('This file is not a whole Curio backup.');
  }
  return doc;
}

/** A collection document from a chosen file: a backup's collection.yjs or a Curio JSON export. */
export async function documentFromFile(file: Blob & { name: string }, me: Member): Promise<Y.Doc> {
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  const text = new TextDecoder()
    .decode(head)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!text.startsWith('{')) return documentFromBackup(new Uint8Array(await file.arrayBuffer()));
  const read = await readImport({ kind: 'file', file });
  if (read.summary.format !== 'curio-json' || !read.summary.curio) {
    throw new RestoreError(
      read.summary.error ??
        `${file.name} is not a Curio backup: choose a backup's collection.yjs or a Curio JSON export.`,
    );
  }
  const doc = new Y.Doc();
  const actor: Actor = { memberId: me.id };
  restoreCurioExport(doc, read.summary.curio, actor);
  return doc;
}

export interface RestoredCollection {
  entry: CollectionEntry;
  /** Links in it, Trash included. */
  items: number;
}

/**
 * Stores the document as a new collection and makes it the one that opens next. `name` is what
 * the backup called the collection; the document's own name wins when it has one.
 */
export async function openAsNewCollection(
  app: AppDb,
  doc: Y.Doc,
  name: string,
  bytes: Uint8Array = Y.encodeStateAsUpdate(doc),
): Promise<RestoredCollection> {
  const restoredName = `${readCollectionMeta(doc).name || name || 'My links'} (restored)`;
  const entry: CollectionEntry = {
    id: nextTid(),
    name: restoredName,
    createdAt: Date.now(),
    hub: null,
  };
  const items = savedItemIds(doc.getMap(ROOT.items)).length;
  const db = new CollectionDb(entry.id);
  try {
    await db.updates.add({ data: bytes });
  } finally {
    db.close();
  }
  await app.collections.put(entry);
  await app.putSetting('currentCollection', entry.id);
  return { entry, items };
}

export type RestoreSource =
  { kind: 'backup'; backup: BackupInfo } | { kind: 'file'; file: Blob & { name: string } };

/**
 * Backs up the collection open now (when it holds anything), then opens the backup as a new
 * collection; the caller reloads the window to show it.
 */
export async function restoreAsNewCollection(
  app: AppDb,
  library: LocalLibrary,
  collectionName: string,
  source: RestoreSource,
  api: Pick<
    ReturnType<typeof getDesktopApi>,
    'readBackup' | 'writeBackup' | 'listBackups'
  > = getDesktopApi(),
): Promise<RestoredCollection> {
  if (library.store.size > 0) await backUp(library, collectionName, 'before-restore', api);
  if (source.kind === 'file') {
    const doc = await documentFromFile(source.file, library.me);
    return openAsNewCollection(app, doc, '');
  }
  const bytes = await api.readBackup(source.backup.id);
  const doc = documentFromBackup(bytes);
  await continueAsBackupTaker(app, library, doc, source.backup);
  return openAsNewCollection(app, doc, source.backup.collectionName, bytes);
}

/**
 * A browser whose storage was cleared (or another browser, another port) starts as a new member
 * with an empty library; restoring the backup this device took continues as the member who took
 * it, with their read marks. A device with anything of its own keeps its identity.
 */
async function continueAsBackupTaker(
  app: AppDb,
  library: LocalLibrary,
  doc: Y.Doc,
  backup: BackupInfo,
): Promise<void> {
  const { takenBy } = backup;
  if (!takenBy || takenBy === library.me.id || library.store.size > 0) return;
  if ((await app.collections.count()) > 1) return;
  const member = readMember(takenBy, doc.getMap(ROOT.members).get(takenBy));
  if (member) await app.putSetting('me', member);
}
