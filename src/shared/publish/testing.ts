// Rows for publishing tests: a complete ItemRow from the few fields a test cares about.
import { displayHost, itemIdForKey, urlKey, type ItemRow, type PublicationRecord } from '../model';

export function itemRow(fields: Partial<ItemRow> & { url: string }): ItemRow {
  const key = urlKey(fields.url);
  return {
    id: itemIdForKey(key),
    key,
    host: displayHost(fields.url),
    title: 'A title',
    description: '',
    image: null,
    tags: [],
    note: '',
    addedAt: Date.UTC(2026, 0, 1),
    addedBy: 'm1',
    deletedAt: null,
    readBy: {},
    readAt: null,
    status: 'unread',
    publications: {},
    ...fields,
  };
}

/** A "published" site record with this entry key and date. */
export function siteRecord(key: string, at: number): PublicationRecord {
  return { target: 'site', key, by: 'm1', at, state: 'published' };
}

/** A "published" Bluesky record for the post at this bsky.app link. */
export function postRecord(url: string): PublicationRecord {
  const rkey = url.split('/').pop() ?? '';
  return { target: 'bluesky', key: rkey, by: 'm1', at: 1, state: 'published', url };
}
