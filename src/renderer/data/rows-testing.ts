// Rows for tests of what keeps the library's rows: only what a test varies is given.
import type { ItemRow } from '../../shared/model';

export const row = (
  id: string,
  addedAt: number,
  status: ItemRow['status'] = 'unread',
  tags: string[] = [],
  published = false,
): ItemRow => ({
  id,
  url: `https://example.com/${id}`,
  key: `example.com/${id}`,
  host: 'example.com',
  title: id,
  description: '',
  image: null,
  tags,
  note: '',
  addedAt,
  addedBy: 'm',
  deletedAt: status === 'trash' ? 1 : null,
  readBy: {},
  readAt: status === 'read' ? 1 : null,
  status,
  publications: published ? { bluesky: { state: 'published' } as never } : {},
});
