// What the outbox owes after the fact: deletions of posts this device made under keys that were
// removed (a removal that crossed the post on its way, from this device or another), records put
// back to "removed" when another device's write won over a removal, and site rebuilds that link a
// pick to its new Bluesky post.
import type * as Y from 'yjs';
import { isRemovedKey, maps, splitKey, type Actor } from '../../shared/collection';
import type { ItemRow } from '../../shared/model';
import { jobItemIds, repairRemovedRecords, type BlueskyRemoval } from '../../shared/publish';
import type { OutboxRow } from './outbox-jobs';

/**
 * Posts made by these jobs whose keys are now removed, and that no removal job made since carries:
 * deleting is safe to repeat, and a removed pick must not stay on Bluesky because two devices raced.
 */
export function owedDeletions(rows: readonly OutboxRow[], doc: Y.Doc): BlueskyRemoval['posts'] {
  const owed: BlueskyRemoval['posts'] = [];
  for (const row of rows) {
    for (const post of row.made ?? []) {
      if (!isRemovedKey(doc, post.itemId, post.rkey)) continue;
      const deleted = rows.some(
        (other) =>
          other.job.kind === 'bluesky-removal' &&
          other.createdAt >= row.updatedAt &&
          other.job.posts.some((p) => p.rkey === post.rkey && p.itemId === post.itemId),
      );
      if (!deleted) owed.push({ itemId: post.itemId, rkey: post.rkey, uri: post.uri });
    }
  }
  return owed.slice(0, 100);
}

/**
 * Watches the document for removals and records other devices write. Records that name a removed
 * key are put back to "removed" right after; `onRemovals` is told when removal keys arrived.
 */
export function watchRemovals(doc: Y.Doc, actor: Actor, onRemovals: () => void): () => void {
  const publications = maps(doc).publications;
  const observer = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
    // This device's own removals come with their deletion job already.
    if (transaction.local) return;
    const touched = new Set<string>();
    let removals = false;
    for (const key of event.keysChanged) {
      const [itemId, part] = splitKey(key);
      if (part === 'bluesky') touched.add(itemId);
      else if (part.startsWith('bluesky/removed/')) {
        touched.add(itemId);
        removals = true;
      }
    }
    // Written after this transaction: a document event must not write to the document itself.
    if (touched.size) queueMicrotask(() => repairRemovedRecords(doc, touched, actor));
    if (removals) onRemovals();
  };
  publications.observe(observer);
  return () => publications.unobserve(observer);
}

/**
 * Picks already on the site whose Bluesky posts were just made and that no waiting site job
 * carries: the site is rebuilt for them, so their pages link to the posts (u-syndication).
 */
export function picksToRelink(
  made: ReadonlyArray<{ itemId: string; removed: boolean }>,
  rows: readonly ItemRow[],
  jobs: readonly OutboxRow[],
): ItemRow[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const waiting = new Set(
    jobs
      .filter(
        (row) => row.job.kind === 'site' && (row.state === 'queued' || row.state === 'running'),
      )
      .flatMap((row) => jobItemIds(row.job)),
  );
  return made
    .filter((post) => !post.removed && !waiting.has(post.itemId))
    .map((post) => byId.get(post.itemId))
    .filter((row): row is ItemRow => row?.publications.site?.state === 'published');
}
