// Invite links: how a maintainer joins a shared collection. Minted by the hub's CLI as
// `curio://join?hub=ws://host:port&collection=ID&token=T`; pasted into Settings → Sync.
import { z } from 'zod';
import { COLLECTION_ID_PATTERN, readTokenClaims } from '../sync';

export const InviteSchema = z.object({
  hub: z
    .string()
    .url()
    .refine((u) => /^wss?:\/\//i.test(u), 'the hub address must start with ws:// or wss://'),
  collection: z
    .string()
    .regex(COLLECTION_ID_PATTERN, 'the collection id has characters a hub does not accept'),
  token: z.string().min(10, 'the token is too short').max(4096),
});
export type Invite = z.infer<typeof InviteSchema>;

export class InvalidInviteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInviteError';
  }
}

/** Parses an invite link (also with surrounding whitespace or as a plain `https://…/join?…`). */
export function parseInvite(text: string): Invite {
  const raw = text.trim();
  if (!raw) throw new InvalidInviteError('Paste the invite link you were sent.');
  let params: URLSearchParams;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'curio:' && !url.pathname.endsWith('/join')) {
      throw new InvalidInviteError(
        'This is not a Curio invite link: it should start with curio://join?',
      );
    }
    params = url.searchParams;
  } catch (error) {
    if (error instanceof InvalidInviteError) throw error;
    throw new InvalidInviteError(
      'This is not a Curio invite link: it should start with curio://join?',
    );
  }
  const result = InviteSchema.safeParse({
    hub: params.get('hub') ?? '',
    collection: params.get('collection') ?? '',
    token: params.get('token') ?? '',
  });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = String(issue.path[0] ?? 'link');
    const missing = !params.get(field);
    throw new InvalidInviteError(
      missing
        ? `The invite link has no ${field}; ask for a new link.`
        : `The invite link's ${field} is invalid: ${issue.message}.`,
    );
  }
  return result.data;
}

export function formatInvite(invite: Invite): string {
  const q = new URLSearchParams({
    hub: invite.hub,
    collection: invite.collection,
    token: invite.token,
  });
  return `curio://join?${q.toString()}`;
}

/**
 * The member name an invite was minted for, read from the token's payload without checking its
 * signature (only the hub can). Used as a default display name; null when it cannot be read.
 */
export function inviteMemberName(token: string): string | null {
  const name = readTokenClaims(token)?.member.trim();
  return name ? name.slice(0, 80) : null;
}
