// A Bluesky account's posts as items: each post that carries a link card (an
// `app.bsky.embed.external`, alone or as the media of a `recordWithMedia` quote) becomes the card's
// link, with the card's title and description, the post's text as the note, its hashtags as tags
// and its date as the added date, already read. The post itself becomes a "published" Bluesky
// record on the item, so Curio never posts that link again. Replies, reposts and posts without a
// card are counted, not imported.
import { z } from 'zod';
import { DraftCollector } from './collect';

export const POST_COLLECTION = 'app.bsky.feed.post';
export const REPOST_COLLECTION = 'app.bsky.feed.repost';

export interface BlueskyRecord {
  uri: string;
  value: unknown;
}

export interface BlueskyAccountPosts {
  did: string;
  /** Records of app.bsky.feed.post, newest first as listRecords returns them. */
  posts: readonly BlueskyRecord[];
  /** How many app.bsky.feed.repost records the account has. */
  reposts: number;
}

const External = z.object({
  uri: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
});

const PostSchema = z.object({
  text: z.string().default(''),
  createdAt: z.string(),
  reply: z.unknown().optional(),
  facets: z
    .array(
      z.object({
        features: z.array(z.object({ $type: z.string().optional(), tag: z.string().optional() })),
      }),
    )
    .optional(),
  embed: z
    .object({
      $type: z.string(),
      external: External.optional(),
      media: z.object({ $type: z.string(), external: External.optional() }).optional(),
    })
    .optional(),
});
type Post = z.infer<typeof PostSchema>;

const HASHTAG = /(?:^|\s)#([^\s#.,;:!?()[\]{}"']+)/gu;

function cardOf(post: Post): z.infer<typeof External> | null {
  const embed = post.embed;
  if (!embed) return null;
  if (embed.$type === 'app.bsky.embed.external') return embed.external ?? null;
  if (
    embed.$type === 'app.bsky.embed.recordWithMedia' &&
    embed.media?.$type === 'app.bsky.embed.external'
  ) {
    return embed.media.external ?? null;
  }
  return null;
}

function hashtags(post: Post): string[] {
  const tags = new Set<string>();
  for (const facet of post.facets ?? []) {
    for (const feature of facet.features) {
      if (feature.$type === 'app.bsky.richtext.facet#tag' && feature.tag) tags.add(feature.tag);
    }
  }
  for (const match of post.text.matchAll(HASHTAG)) if (match[1]) tags.add(match[1]);
  return [...tags];
}

export function blueskyPostUrl(did: string, rkey: string): string {
  return `https://bsky.app/profile/${did}/post/${rkey}`;
}

export function blueskyDrafts(account: BlueskyAccountPosts): DraftCollector {
  const out = new DraftCollector();
  for (const record of account.posts) {
    const rkey = record.uri.split('/').pop() ?? '';
    const where = `post ${rkey}`;
    const parsed = PostSchema.safeParse(record.value);
    if (!parsed.success) {
      out.problem(where, 'it is not a post Curio can read');
      continue;
    }
    const post = parsed.data;
    if (post.reply) {
      out.skip('reply');
      continue;
    }
    const card = cardOf(post);
    if (!card) {
      out.skip('no link card');
      continue;
    }
    const at = Date.parse(post.createdAt);
    out.add(where, {
      url: card.uri,
      title: card.title,
      description: card.description,
      note: post.text,
      tags: hashtags(post),
      addedAt: post.createdAt,
      read: true,
      readAt: post.createdAt,
      publications:
        Number.isFinite(at) && at > 0 && rkey
          ? [
              {
                target: 'bluesky',
                key: rkey,
                at,
                state: 'published',
                url: blueskyPostUrl(account.did, rkey),
                ref: record.uri,
              },
            ]
          : [],
    });
  }
  for (let i = 0; i < account.reposts; i++) out.skip('repost');
  return out;
}
