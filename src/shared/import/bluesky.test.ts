import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../tests/fixtures/import';
import { blueskyDrafts, type BlueskyAccountPosts } from './bluesky';
import { expected, withoutOrigin } from './testing';

describe('a Bluesky account as items', () => {
  it('keeps posts with a link card, with the post as a published record, and counts the rest', () => {
    const account = JSON.parse(fixtureText('bluesky-records.json')) as BlueskyAccountPosts;
    const result = blueskyDrafts(account).finish('bluesky');
    const did = 'did:plc:curatorexample0000000000';
    expect(withoutOrigin(result.items)).toEqual([
      expected({
        url: 'https://apple.github.io/foundationdb/testing.html',
        title: 'Simulation and Testing — FoundationDB',
        description: 'Deterministic simulation of the whole cluster.',
        note: "Today's pick: how FoundationDB tests itself. #testing #DistSys",
        tags: ['testing', 'distsys'],
        addedAt: Date.UTC(2025, 0, 6, 11),
        read: true,
        readAt: Date.UTC(2025, 0, 6, 11),
        publications: [
          {
            target: 'bluesky',
            key: '3lfbw2kq7xk2a',
            at: Date.UTC(2025, 0, 6, 11),
            state: 'published',
            url: `https://bsky.app/profile/${did}/post/3lfbw2kq7xk2a`,
            ref: `at://${did}/app.bsky.feed.post/3lfbw2kq7xk2a`,
          },
        ],
      }),
      expected({
        url: 'https://www.microsoft.com/en-us/research/publication/paxos-made-simple/',
        title: 'Paxos Made Simple',
        note: 'Quoting a friend, with a card',
        addedAt: Date.UTC(2025, 0, 7, 11),
        read: true,
        readAt: Date.UTC(2025, 0, 7, 11),
        publications: [
          {
            target: 'bluesky',
            key: '3lfbw2kq7xk2b',
            at: Date.UTC(2025, 0, 7, 11),
            state: 'published',
            url: `https://bsky.app/profile/${did}/post/3lfbw2kq7xk2b`,
            ref: `at://${did}/app.bsky.feed.post/3lfbw2kq7xk2b`,
          },
        ],
      }),
    ]);
    expect(result.skipped).toEqual({ reply: 1, 'no link card': 1, repost: 2 });
    expect(result.problems).toEqual([
      { where: 'post 3lfbw2kq7xk2e', message: 'it is not a post Curio can read', kind: 'skipped' },
    ]);
  });
});
