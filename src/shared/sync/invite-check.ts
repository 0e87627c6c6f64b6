// Why a hub refuses an invite, as codes both ends read here: the hub's answer to
// `GET /v1/check/<collection>` carries one, and a live connection whose invite stops being good is
// closed with a code that says which way. The app decides what to show by the code; the hub's
// words travel alongside for people and logs.
import { z } from 'zod';
import { ROLES } from './token-claims';

export const REFUSAL_REASONS = [
  /** The request carried no token. */
  'no-token',
  /** The token is not one the hub could read. */
  'malformed',
  /** The token was not signed by this hub (or its secret changed). */
  'bad-signature',
  'expired',
  /** Revoked with `hub revoke`. */
  'revoked',
  /** A good token, for another collection. */
  'other-collection',
  /** The path names no collection. */
  'bad-room',
] as const;
export const RefusalReasonSchema = z.enum(REFUSAL_REASONS);
export type RefusalReason = z.infer<typeof RefusalReasonSchema>;

/** Where a client asks what its invite allows: `${CHECK_PATH}<collection id>`. */
export const CHECK_PATH = '/v1/check/';

export const CheckAnswerSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), member: z.string(), role: z.enum(ROLES) }),
  /** `error`: the refusal in words, for people. */
  z.object({ ok: z.literal(false), reason: RefusalReasonSchema, error: z.string() }),
]);
export type CheckAnswer = z.infer<typeof CheckAnswerSchema>;

/**
 * Close codes for a live connection whose invite stopped being good. y-websocket does not retry
 * 4400–4499, and the app takes any of them as a refusal.
 */
export const INVITE_CLOSE_CODES = { revoked: 4401, expired: 4402 } as const;
export const INVITE_CLOSE_RANGE = { min: 4400, max: 4499 } as const;

/** The refusal a close code stands for; null when the code is not one of them. */
export function refusalOfClose(code: number): RefusalReason | null {
  if (code < INVITE_CLOSE_RANGE.min || code > INVITE_CLOSE_RANGE.max) return null;
  return code === INVITE_CLOSE_CODES.expired ? 'expired' : 'revoked';
}
