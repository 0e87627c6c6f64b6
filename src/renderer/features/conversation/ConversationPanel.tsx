// The conversation a pick's Bluesky post started, in its details: likes, reposts and replies, and
// the replies themselves (author, words, time, a link to each on Bluesky). Replies are other
// people's text: shown as text, never as markup, and the only links are Curio's own to bsky.app.
import { isHttpUrl } from '../../../shared/model';
import type { Reply } from '../../../shared/publish';
import type { ItemRow } from '../../data/types';
import { useConversation } from './useConversation';
import './conversation.css';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const count = (n: number, one: string, many: string) =>
  `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function ConversationPanel({ row }: { row: ItemRow }) {
  const { uri, stored, reading, refresh } = useConversation(row);
  if (!uri) return null;
  const conversation = stored?.conversation ?? null;
  return (
    <section className="conversation" aria-label="Conversation on Bluesky">
      <div className="conversation__head">
        <h3 className="conversation__title">On Bluesky</h3>
        {conversation && (
          <p className="conversation__counts">
            {count(conversation.likes, 'like', 'likes')} ·{' '}
            {count(conversation.reposts, 'repost', 'reposts')} ·{' '}
            {count(conversation.replies, 'reply', 'replies')}
          </p>
        )}
        <button type="button" className="button button--quiet" disabled={reading} onClick={refresh}>
          {reading ? 'Reading…' : 'Refresh'}
        </button>
      </div>
      {stored?.error && (
        <p className="conversation__note" role="status">
          Could not read the replies ({stored.error.replace(/[.\s]+$/, '')})
          {conversation ? `; showing them as of ${when.format(conversation.fetchedAt)}.` : '.'}
        </p>
      )}
      {!stored && !reading && (
        <p className="conversation__note">Replies are read from Bluesky when you are online.</p>
      )}
      {conversation && conversation.thread.length > 0 && (
        <ol className="conversation__replies">
          {conversation.thread.map((reply) => (
            <ReplyItem key={reply.uri} reply={reply} />
          ))}
        </ol>
      )}
    </section>
  );
}

function ReplyItem({ reply }: { reply: Reply }) {
  const name = reply.author.displayName.trim() || `@${reply.author.handle}`;
  return (
    <li className="reply" style={{ marginInlineStart: `${(reply.depth - 1) * 12}px` }}>
      <p className="reply__author">
        <strong>{name}</strong>
        {reply.author.displayName.trim() && (
          <span className="reply__handle"> @{reply.author.handle}</span>
        )}
        {reply.createdAt > 0 && (
          <time className="reply__time" dateTime={new Date(reply.createdAt).toISOString()}>
            {' '}
            · {when.format(reply.createdAt)}
          </time>
        )}
      </p>
      <p className="reply__text">{reply.text}</p>
      {isHttpUrl(reply.url) && (
        <a
          className="reply__link"
          href={reply.url}
          target="_blank"
          rel="noreferrer noopener"
          aria-label={`Open ${name}'s reply on Bluesky`}
        >
          Open on Bluesky
        </a>
      )}
    </li>
  );
}
