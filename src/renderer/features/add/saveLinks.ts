// Saving links as the Add link dialog and a drop onto the window both do: links already in the
// library are shown rather than saved again, the rest are saved as one change, and those without
// a title wait for their pages' titles.
import type { ItemDraft } from '../../../shared/model';
import type { Library } from '../../data/types';

export interface AddOutcome {
  /** Ids of links saved now (including ones brought back from Trash). */
  saved: string[];
  /** Ids of links that were already in the library. */
  existing: string[];
}

export function saveLinks(library: Library, drafts: readonly ItemDraft[]): AddOutcome {
  const outcome: AddOutcome = { saved: [], existing: [] };
  const fresh: ItemDraft[] = [];
  for (const draft of drafts) {
    const before = library.findByUrl(draft.url);
    if (before && before.status !== 'trash') outcome.existing.push(before.id);
    else fresh.push(draft);
  }
  // One change for the whole paste: one undo step, one re-render, however many links.
  const results = library.addLinks(fresh);
  for (const result of results) outcome.saved.push(result.id);
  // New links without a title wait for their pages (now, or once online); the queue keeps them.
  library.fetchDetails(
    results.flatMap((result, i) =>
      result.created && !fresh[i]!.title ? [{ id: result.id, url: fresh[i]!.url }] : [],
    ),
  );
  return outcome;
}
