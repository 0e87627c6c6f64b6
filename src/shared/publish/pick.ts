// A pick is a saved item the curator chose to publish, plus the short text that goes with it.
import { isHttpUrl, type ItemRow } from '../model';
import { boundedBlurb, firstParagraphText } from './blurb';

export interface PickedLink {
  item: ItemRow;
  /** The curator's words about the link: shown under the title on the site, the body of a post. */
  blurb: string;
  /** The curator's headline on the site; empty or absent: the linked page's title. */
  headline?: string;
  /**
   * Whether a press of Publish on this device chose this pick (the site build also carries picks
   * other maintainers published); what goes out unasked is flagged in the dialog and the commit.
   */
  pickedHere?: boolean;
}

/**
 * What a pick says unless the curator writes something else: the plain text of the note's first
 * paragraph, else the page's description, on one line and short enough for one Bluesky post.
 */
export function defaultBlurb(item: PickedLink['item']): string {
  const text = firstParagraphText(item.note) || item.description.replace(/\s+/g, ' ').trim();
  return boundedBlurb(text);
}

export function pickOf(item: ItemRow, blurb: string = defaultBlurb(item)): PickedLink {
  return { item, blurb };
}

/** The title a curator typed or unfurl found; the materialiser falls back to the URL, which is not a title. */
export function realTitle(item: ItemRow): string {
  const title = item.title.trim();
  return title === item.url ? '' : title;
}

/** Why a link may not go out, or null: only http(s) links are ever put in a page, a feed or a post. */
export function unpublishableLink(url: string): string | null {
  if (isHttpUrl(url)) return null;
  const scheme = /^([a-z][a-z0-9+.-]{0,30}):/i.exec(url)?.[1]?.toLowerCase();
  return `${scheme ? `the link is a ${scheme}: address` : 'the link is not a web address'}; only http(s) links are published`;
}
