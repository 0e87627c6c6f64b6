// Builds the parts of a Bluesky post that need no network: text, link and tag facets with UTF-8
// byte ranges, the mentions still to resolve, and the link card. The publisher adds resolved
// mentions, the uploaded thumbnail and reply refs (see postRecord).
import type { $Typed, AppBskyFeedPost, AppBskyRichtextFacet, BlobRef } from '@atproto/api';
import { UnicodeString, detectFacets } from './atproto-rich-text';
import { isHttpUrl } from '../model';
import { realTitle, unpublishableLink, type PickedLink } from './pick';
import { MAX_POST_BYTES, MAX_POST_GRAPHEMES, truncateText } from './text';
export const MAX_LANGS = 3;
export const MAX_CARD_TITLE = 300;
export const MAX_CARD_DESCRIPTION = 1000;

export interface LinkCard {
  uri: string;
  title: string;
  description: string;
  /** The page's preview image, fetched, resized and uploaded by the publisher. */
  imageUrl: string | null;
}

export interface PostInput {
  text: string;
  card: LinkCard | null;
  langs: readonly string[];
}

export interface MentionToResolve {
  handle: string;
  byteStart: number;
  byteEnd: number;
}

export interface BlueskyPostDraft {
  text: string;
  /** Graphemes as the PDS counts them; for a text far over the limits, those of its start only. */
  graphemes: number;
  /** Whether `graphemes` counts the whole text. */
  graphemesCounted: boolean;
  /** UTF-8 bytes of the text; Bluesky refuses more than MAX_POST_BYTES even under 300 graphemes. */
  bytes: number;
  /** Link and hashtag facets; mentions are listed separately until resolved. */
  facets: AppBskyRichtextFacet.Main[];
  mentions: MentionToResolve[];
  card: LinkCard | null;
  langs: string[];
}

/** What a pick's post says by default: the blurb, else the title. */
export function defaultPostText(pick: PickedLink): string {
  return pick.blurb.trim() || realTitle(pick.item) || pick.item.url;
}

export function cardOf(pick: PickedLink): LinkCard {
  return {
    uri: pick.item.url,
    title: realTitle(pick.item),
    description: pick.item.description.trim(),
    imageUrl: pick.item.image && isHttpUrl(pick.item.image) ? pick.item.image : null,
  };
}

function isMention(
  feature: AppBskyRichtextFacet.Main['features'][number],
): feature is $Typed<AppBskyRichtextFacet.Mention> {
  return feature.$type === 'app.bsky.richtext.facet#mention';
}

export function buildBlueskyPost(input: PostInput): BlueskyPostDraft {
  const text = new UnicodeString(input.text.trim());
  // Finding links and mentions and counting graphemes take more than linear time in the text's
  // length. A text over the byte limit is refused whatever it says: it is not scanned, and only
  // its start is counted (every UTF-16 unit is at least one UTF-8 byte, so a text of more units
  // than the byte limit is over it).
  const fits = text.length <= MAX_POST_BYTES;
  const found = (fits && detectFacets(text)) || [];
  const counted = text.utf16.length <= MAX_POST_BYTES + 1;
  const facets: AppBskyRichtextFacet.Main[] = [];
  const mentions: MentionToResolve[] = [];
  for (const facet of found.sort((a, b) => a.index.byteStart - b.index.byteStart)) {
    const mention = facet.features.find(isMention);
    if (mention) {
      mentions.push({
        handle: mention.did,
        byteStart: facet.index.byteStart,
        byteEnd: facet.index.byteEnd,
      });
    } else {
      facets.push(facet);
    }
  }
  const card = input.card && {
    ...input.card,
    title: truncateText(input.card.title, { graphemes: MAX_CARD_TITLE, bytes: MAX_CARD_TITLE * 4 }),
    description: truncateText(input.card.description, {
      graphemes: MAX_CARD_DESCRIPTION,
      bytes: MAX_CARD_DESCRIPTION * 4,
    }),
  };
  return {
    text: text.utf16,
    graphemes: counted
      ? text.graphemeLength
      : new UnicodeString(text.utf16.slice(0, MAX_POST_BYTES + 1)).graphemeLength,
    graphemesCounted: counted,
    bytes: text.length,
    facets,
    mentions,
    card,
    langs: input.langs.slice(0, MAX_LANGS),
  };
}

/** A pick's post as the publisher sends it (when the job keeps the default text). */
export function buildPickPost(
  pick: PickedLink,
  langs: readonly string[],
  text = defaultPostText(pick),
): BlueskyPostDraft {
  return buildBlueskyPost({ text, card: cardOf(pick), langs });
}

const count = new Intl.NumberFormat('en');

/** Everything wrong with a post that Bluesky would refuse, in words a curator can act on. */
export function postProblems(draft: BlueskyPostDraft): string[] {
  const problems: string[] = [];
  if (!draft.text) problems.push('the post text is empty');
  if (draft.graphemes > MAX_POST_GRAPHEMES) {
    problems.push(
      `the post text is ${draft.graphemesCounted ? '' : 'over '}${count.format(draft.graphemes)} characters long; Bluesky allows ${MAX_POST_GRAPHEMES}`,
    );
  } else if (draft.bytes > MAX_POST_BYTES) {
    problems.push(
      `the post text is ${count.format(draft.bytes)} bytes long; Bluesky allows ${count.format(MAX_POST_BYTES)} (accents and emoji take several each)`,
    );
  }
  const notWeb = draft.card && unpublishableLink(draft.card.uri);
  if (notWeb) problems.push(notWeb);
  if (draft.card && !draft.card.title)
    problems.push('the link has no title; add one before publishing');
  return problems;
}

/** Adds the mentions whose handles resolved to DIDs; unresolvable ones stay plain text. */
export async function resolveMentions(
  draft: BlueskyPostDraft,
  resolve: (handle: string) => Promise<string | null>,
): Promise<AppBskyRichtextFacet.Main[]> {
  const resolved: AppBskyRichtextFacet.Main[] = [];
  for (const m of draft.mentions) {
    const did = await resolve(m.handle).catch(() => null);
    if (did) {
      resolved.push({
        $type: 'app.bsky.richtext.facet',
        index: { byteStart: m.byteStart, byteEnd: m.byteEnd },
        features: [{ $type: 'app.bsky.richtext.facet#mention', did }],
      });
    }
  }
  return [...draft.facets, ...resolved].sort((a, b) => a.index.byteStart - b.index.byteStart);
}

export interface StrongRef {
  uri: string;
  cid: string;
}

export interface PostRecordParts {
  facets: AppBskyRichtextFacet.Main[];
  thumb: BlobRef | null;
  reply: { root: StrongRef; parent: StrongRef } | null;
  createdAt: string;
}

export function postRecord(
  draft: BlueskyPostDraft,
  parts: PostRecordParts,
): AppBskyFeedPost.Record {
  const record: AppBskyFeedPost.Record = {
    $type: 'app.bsky.feed.post',
    text: draft.text,
    createdAt: parts.createdAt,
  };
  if (parts.facets.length) record.facets = parts.facets;
  if (draft.langs.length) record.langs = draft.langs;
  if (parts.reply) record.reply = parts.reply;
  if (draft.card) {
    record.embed = {
      $type: 'app.bsky.embed.external',
      external: {
        uri: draft.card.uri,
        title: draft.card.title,
        description: draft.card.description,
        ...(parts.thumb ? { thumb: parts.thumb } : {}),
      },
    };
  }
  return record;
}
