// A link's details (title, description, picture) as its page gives them, and which of them a
// saved link still lacks. Fetched details only ever fill what is empty: what a curator typed stays.
import type * as Y from 'yjs';
import { updateItem, type Actor } from '../../shared/collection';
import { MAX_DESCRIPTION, MAX_TITLE, type ItemPatch, type ItemRow } from '../../shared/model';

export interface FetchedDetails {
  title: string;
  description: string;
  image: string | null;
}

type DetailsOf = Pick<ItemRow, 'title' | 'description' | 'image' | 'url'>;

/** No title of its own: empty, or (as rows of untitled links used to read) the URL itself. */
export function lacksTitle(row: DetailsOf): boolean {
  return !row.title.trim() || row.title === row.url;
}

/** Whether fetching the page could still add something the curator did not write. */
export function lacksDetails(row: DetailsOf): boolean {
  return lacksTitle(row) || !row.description.trim();
}

/** The part of `fetched` that fills fields of `row` still empty; null when there is none. */
export function emptyFieldsPatch(row: DetailsOf, fetched: FetchedDetails): ItemPatch | null {
  const patch: ItemPatch = {};
  const title = fetched.title.trim().slice(0, MAX_TITLE);
  const description = fetched.description.trim().slice(0, MAX_DESCRIPTION);
  if (title && lacksTitle(row)) patch.title = title;
  if (description && !row.description.trim()) patch.description = description;
  if (fetched.image && /^https?:\/\//i.test(fetched.image) && !row.image)
    patch.image = fetched.image;
  return Object.keys(patch).length ? patch : null;
}

/** Writes the fetched details into the fields of `row` that are still empty. */
export function fillEmptyDetails(
  doc: Y.Doc,
  row: DetailsOf & { id: string },
  fetched: FetchedDetails,
  actor: Actor,
): boolean {
  const patch = emptyFieldsPatch(row, fetched);
  return patch !== null && updateItem(doc, row.id, patch, actor);
}
