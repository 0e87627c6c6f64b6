// Reads the conversations of published posts from an AppView with app.bsky.feed.getPostThread. No
// login: threads of public posts are public. Whatever the AppView answers is parsed with the
// shared schema (other people's replies are untrusted text); a post that is gone or blocked is
// reported as such, and one failure never hides the others.
import { AtpAgent, XRPCError } from '@atproto/api';
import {
  ConversationRequestSchema,
  REPLY_DEPTH,
  conversationOf,
  type ConversationRequest,
  type ConversationResult,
} from '../../../shared/publish';
import { isUnreachable } from './bluesky-session';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';

export interface ConversationReaderOptions {
  fetch?: typeof globalThis.fetch;
  retry?: Partial<RetryPolicy>;
  now?: () => number;
}

function message(error: unknown, appViewUrl: string): string {
  if (error instanceof XRPCError && /NotFound/i.test(error.error ?? ''))
    return 'the post is no longer on Bluesky';
  if (isUnreachable(error)) return `Can't reach ${new URL(appViewUrl).host}`;
  return error instanceof Error ? error.message : String(error);
}

export async function readConversations(
  request: ConversationRequest,
  options: ConversationReaderOptions = {},
): Promise<ConversationResult[]> {
  const { uris, appViewUrl } = ConversationRequestSchema.parse(request);
  const agent = new AtpAgent({
    service: appViewUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const policy = { ...DEFAULT_RETRY, attempts: 2, ...options.retry };
  const out: ConversationResult[] = [];
  for (const uri of uris) {
    try {
      const res = await withRetry(
        `Reading the replies to ${uri}`,
        () => agent.app.bsky.feed.getPostThread({ uri, depth: REPLY_DEPTH, parentHeight: 0 }),
        policy,
        async (error) => {
          throw error;
        },
      );
      const conversation = conversationOf(res.data.thread, (options.now ?? Date.now)());
      out.push(
        conversation
          ? { uri, ok: true, conversation }
          : { uri, ok: false, error: 'the post is no longer on Bluesky, or cannot be shown' },
      );
    } catch (error) {
      out.push({ uri, ok: false, error: message(error, appViewUrl) });
    }
  }
  return out;
}
