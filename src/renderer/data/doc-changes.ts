// Being told that a document changed, without asking it to encode the change: a listener of
// Yjs's `update` or `updateV2` event makes the document encode every transaction for it, which
// for an import of 100,000 links costs seconds.
import type * as Y from 'yjs';

/** Whether a transaction added or deleted anything (when Yjs would emit an update for it). */
function changedAnything(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of tr.afterState) {
    if ((tr.beforeState.get(client) ?? 0) !== clock) return true;
  }
  return false;
}

/** Calls `listener` after each transaction that changed the document; returns how to stop. */
export function onDocChange(doc: Y.Doc, listener: () => void): () => void {
  const handler = (tr: Y.Transaction) => {
    if (changedAnything(tr)) listener();
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}
