import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConversationSchema,
  MAX_REPLIES,
  MAX_REPLY_TEXT,
  conversationOf,
  postPage,
} from './conversation';

const DID = 'did:plc:abcdefghijklmnopqrstuvwx';
const post = (rkey: string, text: unknown, extra: object = {}) => ({
  uri: `at://${DID}/app.bsky.feed.post/${rkey}`,
  author: { did: DID, handle: 'someone.test' },
  record: { text, createdAt: '2026-03-14T10:00:00.000Z' },
  ...extra,
});

describe('conversationOf', () => {
  it('keeps replies as bounded text, drops what it cannot read, and links only to bsky.app', () => {
    const many = Array.from({ length: MAX_REPLIES + 50 }, (_, i) => ({
      post: post(`r${i}`, 'x'.repeat(MAX_REPLY_TEXT + 10)),
    }));
    const conversation = conversationOf(
      {
        post: post('root', 'The pick', { likeCount: 3, repostCount: -2, replyCount: 2.7 }),
        replies: [
          { post: { ...post('bad', 'hi'), uri: 'javascript:alert(1)' } },
          { $type: 'app.bsky.feed.defs#notFoundPost', uri: 'at://x', notFound: true },
          { post: post('ok', { not: 'text' }) },
          ...many,
        ],
      },
      42,
    )!;
    expect(conversation).toMatchObject({ likes: 3, reposts: 0, replies: 2, fetchedAt: 42 });
    expect(conversation.thread).toHaveLength(MAX_REPLIES);
    expect(conversation.thread[0]).toMatchObject({
      text: '',
      url: `https://bsky.app/profile/${DID}/post/ok`,
    });
    expect(conversation.thread[1]!.text).toHaveLength(MAX_REPLY_TEXT);
    expect(postPage('at://did:plc:x/app.bsky.feed.post/../../evil')).toBeNull();
  });

  it('never throws and always answers within the schema, whatever the AppView sends', () => {
    const node: fc.Memo<unknown> = fc.memo((n) =>
      n <= 1
        ? fc.anything()
        : fc.record(
            {
              post: fc.oneof(fc.anything(), fc.constant(post('p', 'text'))),
              replies: fc.array(node(n - 1), { maxLength: 4 }),
            },
            { requiredKeys: [] },
          ),
    );
    fc.assert(
      fc.property(node(4), (thread) => {
        const conversation = conversationOf(thread, 1);
        if (conversation) expect(ConversationSchema.safeParse(conversation).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
