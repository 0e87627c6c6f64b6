// What this device may do with the open collection. A collection on this device alone is ours to
// change. A shared one is changed only with an editor's invite: the role is read from the invite's
// token as soon as the collection opens, before anything can be edited, and the hub confirms it
// (`GET /v1/check/<collection>`). A reader's edits would be dropped by the hub and the replica
// would drift from it, so a reader's library refuses them; so does one whose invite the hub has
// withdrawn or let expire. A collection saved by a newer version of Curio is read, never changed,
// whatever the invite says: this app would not know how to keep what that version wrote.
import {
  CHECK_PATH,
  CheckAnswerSchema,
  readTokenClaims,
  type CheckAnswer,
  type RefusalReason,
  type Role,
} from '../../shared/sync';
import { Observable } from './observable';

export type { Role };

export type Access =
  /** Not shared: everything is allowed. */
  (
    | { kind: 'local' }
    | { kind: 'editor' | 'reader'; confirmed: boolean }
    /** A token whose role cannot be read here: nothing is changed until the hub says. */
    | { kind: 'checking' }
    /** The hub no longer accepts this invite. */
    | { kind: 'withdrawn' | 'expired' }
  ) & {
    /** Set when the document was saved by a newer Curio: why nothing may be changed here. */
    newer?: string;
  };

export interface InviteClaims {
  role: Role;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** What an invite grants, read from its token (only the hub can check the signature). */
export function readInviteClaims(token: string): InviteClaims | null {
  const claims = readTokenClaims(token);
  return claims ? { role: claims.role, expiresAt: claims.expiresAt * 1000 } : null;
}

/**
 * What a refusal means for this device: the invite was taken back or expired, or (null) it is
 * not this collection's invite, which says nothing about access the device may have had.
 */
export function refusalKind(
  reason: RefusalReason,
  claims: InviteClaims | null,
  now: number,
): 'withdrawn' | 'expired' | null {
  switch (reason) {
    case 'other-collection':
    case 'bad-room':
      return null;
    case 'expired':
      return 'expired';
    case 'revoked':
    case 'bad-signature':
    case 'malformed':
    case 'no-token':
      // Revoked after it ran out, as far as this device can tell: the plainer story is the expiry.
      return claims !== null && claims.expiresAt <= now ? 'expired' : 'withdrawn';
  }
}

/** An edit refused because this device may not change the collection; says why. */
export class ReadOnlyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlyError';
  }
}

export class AccessControl extends Observable {
  private state: Access = { kind: 'local' };
  private newer: string | null = null;
  private claims: InviteClaims | null = null;

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  get = (): Access => this.state;

  get readOnly(): boolean {
    return readOnlyReason(this.state) !== null;
  }

  /** Throws ReadOnlyError, saying why, when the collection may not be changed here. */
  refuseEdits(): void {
    const reason = readOnlyReason(this.state);
    if (reason) throw new ReadOnlyError(reason);
  }

  /** Takes the role of this invite at once (null: the collection is no longer shared). */
  useToken(token: string | null): void {
    if (token === null) {
      this.claims = null;
      return this.set({ kind: 'local' });
    }
    this.claims = readInviteClaims(token);
    if (!this.claims) return this.set({ kind: 'checking' });
    if (this.claims.expiresAt <= this.now()) return this.set({ kind: 'expired' });
    this.set({ kind: this.claims.role, confirmed: false });
  }

  /** The hub accepted the invite with this role. */
  confirm(role: Role): void {
    this.set({ kind: role, confirmed: true });
  }

  /** The hub refused the invite; what that means follows from why (refusalKind). */
  withdraw(reason: RefusalReason): void {
    const kind = refusalKind(reason, this.claims, this.now());
    if (kind) this.set({ kind });
  }

  /** What the document's schema check says; `message` null when this app may write to it. */
  useSchema(message: string | null): void {
    this.newer = message;
    this.set(this.state);
  }

  private set(role: Access): void {
    const { newer: _, ...rest } = role;
    const next: Access = this.newer ? { ...rest, newer: this.newer } : rest;
    if (JSON.stringify(next) === JSON.stringify(this.state)) return;
    this.state = next;
    this.changed();
  }
}

/**
 * Asks the hub what this invite allows: the role, or why it refuses (`reason`, with the hub's
 * words in `error`). Throws when the hub cannot be reached or answers with something other than
 * its check answer; the caller then keeps what the token says.
 */
export async function checkInvite(
  hubUrl: string,
  collectionId: string,
  token: string,
  fetchImpl: typeof fetch = fetch,
): Promise<CheckAnswer> {
  const base = hubUrl.replace(/^ws/i, 'http').replace(/\/+$/, '');
  const res = await fetchImpl(`${base}${CHECK_PATH}${encodeURIComponent(collectionId)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = CheckAnswerSchema.safeParse(await res.json().catch(() => null));
  if (!body.success) {
    throw new Error(`The hub answered the invite check with HTTP ${res.status}.`);
  }
  return body.data;
}

/** Why this device may not change the collection, in a sentence for the curator; null: it may. */
export function readOnlyReason(access: Access): string | null {
  if (access.newer) return access.newer;
  const askAgain = 'To make changes, ask a maintainer for a new invite (Settings → Sync).';
  switch (access.kind) {
    case 'local':
    case 'editor':
      return null;
    case 'reader':
      return 'You can read this collection but not change it: your invite is a reader’s.';
    case 'checking':
      return 'Checking with the hub what your invite allows; you can make changes once it answers.';
    case 'withdrawn':
      return `Your access to this collection was withdrawn. ${askAgain}`;
    case 'expired':
      return `Your access to this collection expired. ${askAgain}`;
  }
}
