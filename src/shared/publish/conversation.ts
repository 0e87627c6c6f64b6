// The conversation a pick's Bluesky post started: its likes, reposts and replies, read from an
// AppView (app.bsky.feed.getPostThread) and kept on this device for reading offline. Replies are
// other people's words: they are plain text with bounded sizes, and the only link they carry is
// one Curio builds itself, to the reply on bsky.app.
import { z } from 'zod';

/** Bluesky's public AppView, which answers getPostThread without a login. */
export const DEFAULT_APPVIEW = 'https://public.api.bsky.app';

export const MAX_REPLIES = 200;
export const MAX_REPLY_TEXT = 3000;
/** How deep a thread is read below the post. */
export const REPLY_DEPTH = 6;

const count = z.number().int().nonnegative().max(1e12);

export const ReplySchema = z.object({
  uri: z.string().max(2100),
  /** The reply on bsky.app, built from its AT URI. */
  url: z.string().max(2200),
  author: z.object({
    did: z.string().max(2048),
    handle: z.string().max(253),
    displayName: z.string().max(640),
  }),
  text: z.string().max(MAX_REPLY_TEXT),
  /** When the reply says it was written (ms since the epoch). */
  createdAt: z.number(),
  /** 1 for a reply to the post, 2 for a reply to a reply, … */
  depth: z.number().int().min(1).max(REPLY_DEPTH),
});
export type Reply = z.infer<typeof ReplySchema>;

export const ConversationSchema = z.object({
  /** The post's AT URI. */
  uri: z.string().max(2100),
  likes: count,
  reposts: count,
  replies: count,
  quotes: count,
  /** The replies read, depth first in the AppView's order, at most MAX_REPLIES. */
  thread: z.array(ReplySchema).max(MAX_REPLIES),
  /** When this was read from the AppView (ms). */
  fetchedAt: z.number(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationRequestSchema = z.object({
  uris: z.array(z.string().min(1).max(2100)).min(1).max(25),
  appViewUrl: z
    .string()
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL'),
});
export type ConversationRequest = z.infer<typeof ConversationRequestSchema>;

/** What came back for one post: its conversation, or why there is none (deleted, blocked, …). */
export type ConversationResult =
  { uri: string; ok: true; conversation: Conversation } | { uri: string; ok: false; error: string };

// The AppView's answer, read only as far as Curio needs it; anything else in it is ignored.
const AuthorWire = z.object({
  did: z.string(),
  handle: z.string(),
  displayName: z.string().optional(),
});
const PostWire = z.object({
  uri: z.string(),
  author: AuthorWire,
  record: z
    .object({ text: z.unknown().optional(), createdAt: z.unknown().optional() })
    .passthrough(),
  indexedAt: z.string().optional(),
  likeCount: z.number().optional(),
  repostCount: z.number().optional(),
  replyCount: z.number().optional(),
  quoteCount: z.number().optional(),
});
interface ThreadWire {
  post?: unknown;
  replies?: unknown[];
}
const ThreadWireSchema: z.ZodType<ThreadWire> = z
  .object({ post: z.unknown().optional(), replies: z.array(z.unknown()).optional() })
  .passthrough();

const AT_POST =
  /^at:\/\/(did:[a-z]+:[a-zA-Z0-9._:%-]+)\/app\.bsky\.feed\.post\/([a-zA-Z0-9._:~-]{1,512})$/;

/** The bsky.app page of a post, from its AT URI; null when the URI is not a post's. */
export function postPage(uri: string): string | null {
  const match = AT_POST.exec(uri);
  return match ? `https://bsky.app/profile/${match[1]}/post/${match[2]}` : null;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function timeOf(...values: unknown[]): number {
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  return 0;
}

function replyOf(raw: unknown, depth: number): Reply | null {
  const post = PostWire.safeParse(raw);
  if (!post.success) return null;
  const url = postPage(post.data.uri);
  if (!url) return null;
  const { author, record } = post.data;
  return {
    uri: post.data.uri,
    url,
    author: {
      did: clip(author.did, 2048),
      handle: clip(author.handle, 253),
      displayName: clip(author.displayName ?? '', 640),
    },
    text: clip(typeof record.text === 'string' ? record.text : '', MAX_REPLY_TEXT),
    createdAt: timeOf(record.createdAt, post.data.indexedAt),
    depth,
  };
}

/**
 * A conversation from getPostThread's `thread`: counts from the post, replies depth first (not-found
 * and blocked replies, and anything malformed, left out), bounded in number and size.
 */
export function conversationOf(thread: unknown, fetchedAt: number): Conversation | null {
  const root = ThreadWireSchema.safeParse(thread);
  if (!root.success) return null;
  const post = PostWire.safeParse(root.data.post);
  if (!post.success) return null;
  const replies: Reply[] = [];
  const walk = (node: ThreadWire, depth: number) => {
    for (const child of node.replies ?? []) {
      if (replies.length >= MAX_REPLIES || depth > REPLY_DEPTH) return;
      const parsed = ThreadWireSchema.safeParse(child);
      if (!parsed.success) continue;
      const reply = replyOf(parsed.data.post, depth);
      if (!reply) continue;
      replies.push(reply);
      walk(parsed.data, depth + 1);
    }
  };
  walk(root.data, 1);
  const n = (value: number | undefined) => Math.max(0, Math.min(1e12, Math.floor(value ?? 0)));
  return ConversationSchema.parse({
    uri: post.data.uri,
    likes: n(post.data.likeCount),
    reposts: n(post.data.repostCount),
    replies: n(post.data.replyCount),
    quotes: n(post.data.quoteCount),
    thread: replies,
    fetchedAt,
  });
}
