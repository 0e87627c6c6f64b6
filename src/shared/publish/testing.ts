// Rows for publishing tests: a complete ItemRow from the few fields a test cares about.
import { displayHost, itemIdForKey, urlKey, type ItemRow } from '../model';

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
