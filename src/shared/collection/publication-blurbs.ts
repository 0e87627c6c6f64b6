// The words a curator chose for a pick on one target, kept beside its publication record under
// their own flat key, `<itemId>/<target>/blurb`. A separate key, not a field of the record: the
// record is rewritten whole by every attempt, retry and settle on any device, and a writer that
// had not seen the blurb yet would otherwise drop it. Purging an item removes it with the record.
import type * as Y from 'yjs';
import type { PublishTarget } from '../model';
import type { Actor } from './write';
import { compositeKey, maps } from './schema';

export const MAX_PUBLICATION_BLURB = 5000;

export function publicationBlurbKey(itemId: string, target: PublishTarget): string {
  return compositeKey(itemId, `${target}/blurb`);
}

/** The blurb kept for this pick and target, or null when none was chosen (or the value is not text). */
export function getPublicationBlurb(
  doc: Y.Doc,
  itemId: string,
  target: PublishTarget,
): string | null {
  const value: unknown = maps(doc).publications.get(publicationBlurbKey(itemId, target));
  return typeof value === 'string' && value.length <= MAX_PUBLICATION_BLURB ? value : null;
}

export function setPublicationBlurb(
  doc: Y.Doc,
  itemId: string,
  target: PublishTarget,
  blurb: string,
  actor: Actor,
): void {
  const text = blurb.trim().slice(0, MAX_PUBLICATION_BLURB);
  if (getPublicationBlurb(doc, itemId, target) === text) return;
  const publications = maps(doc).publications as Y.Map<unknown>;
  doc.transact(
    () => publications.set(publicationBlurbKey(itemId, target), text),
    actor.origin ?? null,
  );
}
