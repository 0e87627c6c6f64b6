// The words a curator chose for a pick on one target, kept beside its publication record under
// their own flat keys: `<itemId>/<target>/blurb` and, for the site, `<itemId>/site/headline`.
// Separate keys, not fields of the record: the record is rewritten whole by every attempt, retry
// and settle on any device, and a writer that had not seen the words yet would otherwise drop
// them. Purging an item removes them with the record.
import type * as Y from 'yjs';
import type { PublishTarget } from '../model';
import type { Actor } from './write';
import { compositeKey, maps } from './schema';

export const MAX_PUBLICATION_BLURB = 5000;
export const MAX_PUBLICATION_HEADLINE = 500;

type Words = 'blurb' | 'headline';
const LIMIT: Record<Words, number> = {
  blurb: MAX_PUBLICATION_BLURB,
  headline: MAX_PUBLICATION_HEADLINE,
};

export function publicationBlurbKey(itemId: string, target: PublishTarget): string {
  return compositeKey(itemId, `${target}/blurb`);
}

export function publicationHeadlineKey(itemId: string): string {
  return compositeKey(itemId, 'site/headline');
}

function read(doc: Y.Doc, key: string, words: Words): string | null {
  const value: unknown = maps(doc).publications.get(key);
  return typeof value === 'string' && value.length <= LIMIT[words] ? value : null;
}

function write(doc: Y.Doc, key: string, words: Words, raw: string, actor: Actor): void {
  const text = raw.trim().slice(0, LIMIT[words]);
  if (read(doc, key, words) === text) return;
  const publications = maps(doc).publications as Y.Map<unknown>;
  doc.transact(() => publications.set(key, text), actor.origin ?? null);
}

/** The blurb kept for this pick and target, or null when none was chosen (or the value is not text). */
export function getPublicationBlurb(
  doc: Y.Doc,
  itemId: string,
  target: PublishTarget,
): string | null {
  return read(doc, publicationBlurbKey(itemId, target), 'blurb');
}

export function setPublicationBlurb(
  doc: Y.Doc,
  itemId: string,
  target: PublishTarget,
  blurb: string,
  actor: Actor,
): void {
  write(doc, publicationBlurbKey(itemId, target), 'blurb', blurb, actor);
}

/**
 * The headline the curator gave the pick on the site, or null when none was chosen. Empty means
 * the same as none: the site shows the linked page's title.
 */
export function getPublicationHeadline(doc: Y.Doc, itemId: string): string | null {
  return read(doc, publicationHeadlineKey(itemId), 'headline');
}

export function setPublicationHeadline(
  doc: Y.Doc,
  itemId: string,
  headline: string,
  actor: Actor,
): void {
  write(doc, publicationHeadlineKey(itemId), 'headline', headline.replace(/\s+/g, ' '), actor);
}
