// Helpers for the import tests: run a fixture through parseImport, compare items without origins.
import type { ImportedItem } from './draft';

/** An ImportedItem with the defaults a parser fills in, for expectations. */
export function expected(
  fields: Partial<ImportedItem> & { url: string },
): Omit<ImportedItem, 'origin'> {
  return {
    title: '',
    description: '',
    tags: [],
    note: '',
    read: false,
    highlights: [],
    publications: [],
    ...fields,
  };
}

export function withoutOrigin(items: readonly ImportedItem[]): Array<Omit<ImportedItem, 'origin'>> {
  return items.map(({ origin: _origin, ...rest }) => rest);
}

export const secondsAt = (s: number) => s * 1000;

/** A complete ImportedItem, as a parser would hand it over. */
export function draft(fields: Partial<ImportedItem> & { url: string }): ImportedItem {
  return { ...expected(fields), origin: '', ...fields };
}
