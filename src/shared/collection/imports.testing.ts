// Building import entries in tests: an ImportedItem as a parser hands it over, with its id and key.
import { itemIdForKey, urlKey } from '../model';
import type { ImportedItem } from '../import/draft';
import type { ImportEntry } from './imports';

export function importEntry(fields: Partial<ImportedItem> & { url: string }): ImportEntry {
  const item: ImportedItem = {
    title: '',
    description: '',
    tags: [],
    note: '',
    read: false,
    highlights: [],
    publications: [],
    origin: '',
    ...fields,
  };
  const key = urlKey(item.url);
  return { id: itemIdForKey(key), key, item };
}
