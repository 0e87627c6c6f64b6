// The outbox's contract. planBlueskyJob / planSitePublish write a "publishing" record with a fixed
// key into the shared document BEFORE any network call and return the job to store; the main
// process runs the job; settle* records the outcome. Every retry, on any device, reuses the keys.
import type * as Y from 'yjs';
import { z } from 'zod';
import {
  getPublication,
  isRemovedKey,
  recordPublication,
  setPublicationBlurb,
  type Actor,
} from '../collection';
import { TID_PATTERN, isHttpUrl, type PublicationRecord } from '../model';
import {
  buildBlueskyPost,
  buildPickPost,
  cardOf,
  defaultPostText,
  postProblems,
} from './bluesky-post';
import { blueskyThreadKey, keptBlueskyKey, nextBlueskyPostKey } from './record-key';
import type { PickedLink } from './pick';

const tid = z.string().regex(TID_PATTERN, 'must be a TID');
const httpUrl = z.string().max(4000).refine(isHttpUrl, 'only http(s) links are published');

const BlueskyJobPostSchema = z.object({
  itemId: z.string().min(1).max(64),
  rkey: tid,
  text: z.string().max(3000),
  card: z.object({
    uri: httpUrl,
    title: z.string().max(2000),
    description: z.string().max(5000),
    imageUrl: httpUrl.nullable(),
  }),
});

/** One press of "Publish" to Bluesky, as the outbox stores it. */
export const BlueskyJobSchema = z.object({
  kind: z.literal('bluesky'),
  collectionId: z.string().min(1).max(200),
  memberId: z.string().min(1).max(64),
  /** When the job was planned (ms); posts carry it as createdAt so retries send identical records. */
  createdAt: z.number().int().nonnegative(),
  langs: z.array(z.string().min(2).max(35)).max(3),
  /** Present when the picks go out as one thread: this intro post, then one reply per pick. */
  thread: z.object({ rkey: tid, text: z.string().min(1).max(3000) }).nullable(),
  posts: z.array(BlueskyJobPostSchema).min(1).max(100),
});
export type BlueskyJob = z.infer<typeof BlueskyJobSchema>;

export interface ItemProblem {
  itemId: string;
  /** The item's title (or URL), so a message can name it. */
  title: string;
  problems: string[];
}

export type PlanResult<J> =
  | { ok: true; job: J; alreadyPublished: string[] }
  | { ok: false; problems: ItemProblem[]; alreadyPublished: string[] };

export interface BlueskyPlanOptions {
  collectionId: string;
  langs: readonly string[];
  /** Intro text when the picks go out as one thread; null for one post per pick. */
  threadIntro: string | null;
  now?: number;
  /** Post picks whose earlier post was removed again, under their next key ("Delete and post again"). */
  again?: boolean;
}

/** Per-item problems that would make Bluesky refuse a post, before anything is written or sent. */
export function validatePicks(
  picks: readonly PickedLink[],
  options: Pick<BlueskyPlanOptions, 'langs' | 'threadIntro'>,
): ItemProblem[] {
  const out: ItemProblem[] = [];
  for (const pick of picks) {
    const draft = buildPickPost(pick, options.langs);
    const problems = postProblems(draft);
    if (problems.length)
      out.push({ itemId: pick.item.id, title: pick.item.title || pick.item.url, problems });
  }
  if (options.threadIntro !== null) {
    const intro = buildBlueskyPost({ text: options.threadIntro, card: null, langs: options.langs });
    const problems = postProblems(intro);
    if (problems.length) out.push({ itemId: '', title: 'Thread intro', problems });
  }
  return out;
}

/**
 * Which picks get a post and under which record key, and which are already on Bluesky (or were
 * removed from it and are not asked for again).
 */
function picksToPost(
  doc: Y.Doc,
  picks: readonly PickedLink[],
  options: Pick<BlueskyPlanOptions, 'collectionId' | 'again'>,
): { todo: Array<{ pick: PickedLink; rkey: string }>; alreadyPublished: string[] } {
  const alreadyPublished: string[] = [];
  const todo: Array<{ pick: PickedLink; rkey: string }> = [];
  for (const pick of picks) {
    const itemId = pick.item.id;
    const existing = getPublication(doc, itemId, 'bluesky');
    const removed = (rkey: string) => isRemovedKey(doc, itemId, rkey);
    const kept = keptBlueskyKey(options.collectionId, itemId, existing?.key);
    const wasRemoved = existing?.state === 'removed' || removed(kept);
    if (!wasRemoved && existing?.state === 'published') alreadyPublished.push(itemId);
    // A removed post is only ever followed by a new one under the next key, and only when asked.
    else if (wasRemoved && !options.again) alreadyPublished.push(itemId);
    else
      todo.push({
        pick,
        rkey: wasRemoved ? nextBlueskyPostKey(options.collectionId, itemId, removed) : kept,
      });
  }
  return { todo, alreadyPublished };
}

/**
 * Validates, fixes record keys and marks each pick "publishing" in the shared document, keeping
 * each pick's words beside its record so a retry or another device posts the same text.
 */
export function planBlueskyJob(
  doc: Y.Doc,
  picks: readonly PickedLink[],
  options: BlueskyPlanOptions,
  actor: Actor,
): PlanResult<BlueskyJob> {
  const { todo, alreadyPublished } = picksToPost(doc, picks, options);
  const problems = validatePicks(
    todo.map((t) => t.pick),
    options,
  );
  if (problems.length || !todo.length) {
    return todo.length
      ? { ok: false, problems, alreadyPublished }
      : {
          ok: false,
          problems: [
            {
              itemId: '',
              title: 'Selection',
              problems: ['every selected pick is already on Bluesky or was removed from it'],
            },
          ],
          alreadyPublished,
        };
  }
  const at = options.now ?? (actor.now ?? Date.now)();
  const job: BlueskyJob = {
    kind: 'bluesky',
    collectionId: options.collectionId,
    memberId: actor.memberId,
    createdAt: at,
    langs: [...options.langs],
    thread:
      options.threadIntro === null
        ? null
        : {
            rkey: blueskyThreadKey(
              options.collectionId,
              todo.map((t) => t.pick.item.id),
            ),
            text: options.threadIntro.trim(),
          },
    posts: todo.map(({ pick, rkey }) => ({
      itemId: pick.item.id,
      rkey,
      text: defaultPostText(pick),
      card: cardOf(pick),
    })),
  };
  const parsed = BlueskyJobSchema.parse(job);
  doc.transact(() => {
    for (const { pick, rkey } of todo) {
      const record: PublicationRecord = {
        target: 'bluesky',
        key: rkey,
        by: actor.memberId,
        at,
        state: 'publishing',
      };
      recordPublication(doc, pick.item.id, record, actor);
      setPublicationBlurb(doc, pick.item.id, 'bluesky', pick.blurb, actor);
    }
  }, actor.origin ?? null);
  return { ok: true, job: parsed, alreadyPublished };
}

export interface PostOutcome {
  itemId: string;
  rkey: string;
  state: 'published' | 'failed';
  /** at:// URI of the post, once it exists. */
  uri?: string;
  cid?: string;
  /** https://bsky.app link to the post. */
  url?: string;
  error?: string;
}

export interface BlueskyJobResult {
  /** True when every post exists on the PDS. */
  ok: boolean;
  thread: { uri: string; cid: string } | null;
  posts: PostOutcome[];
  /** Validation problems found before sending (nothing was sent when this is not empty). */
  problems: ItemProblem[];
  /** Why the job stopped, when it did not finish (login refused, rate limited for too long, …). */
  error?: string;
}

/** Writes each post's outcome into the shared document; failed ones keep their key for the retry. */
export function settleBlueskyJob(
  doc: Y.Doc,
  job: BlueskyJob,
  result: BlueskyJobResult,
  actor: Actor,
): void {
  const at = (actor.now ?? Date.now)();
  for (const outcome of result.posts) {
    // Removed while the job ran: the removal stands (the outbox deletes what the job made).
    if (isRemovedKey(doc, outcome.itemId, outcome.rkey)) continue;
    const record: PublicationRecord = {
      target: 'bluesky',
      key: outcome.rkey,
      by: job.memberId,
      at,
      state: outcome.state,
    };
    if (outcome.url) record.url = outcome.url;
    if (outcome.uri) record.ref = outcome.uri;
    if (outcome.error) record.error = outcome.error.slice(0, 2000);
    recordPublication(doc, outcome.itemId, record, actor);
  }
}
