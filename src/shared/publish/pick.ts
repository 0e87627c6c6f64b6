// A pick is a saved item the curator chose to publish, plus the short text that goes with it.
import type { ItemRow } from '../model';

export interface PickedLink {
  item: ItemRow;
  /** The curator's words about the link: shown under the title on the site, the body of a post. */
  blurb: string;
}

/** The first paragraph of the note, else the page's description. Whitespace inside is folded. */
export function defaultBlurb(item: PickedLink['item']): string {
  for (const paragraph of item.note.split(/\n[ \t]*\n/)) {
    const text = paragraph.replace(/\s+/g, ' ').trim();
    if (text) return text;
  }
  return item.description.replace(/\s+/g, ' ').trim();
}

export function pickOf(item: ItemRow, blurb: string = defaultBlurb(item)): PickedLink {
  return { item, blurb };
}

/** The title a curator typed or unfurl found; the materialiser falls back to the URL, which is not a title. */
export function realTitle(item: ItemRow): string {
  const title = item.title.trim();
  return title === item.url ? '' : title;
}
