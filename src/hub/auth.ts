// Who may open which room: the token in the upgrade request (query `token=` or a Bearer header)
// must be signed by this hub, unexpired, unrevoked and for the collection in the path. Decided
// before any document byte is sent; a refusal is a plain HTTP response naming the problem.
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { CollectionIdSchema, type RefusalReason, type TokenClaims } from '../shared/sync';
import type { RevocationList } from './revocations';
import { verifyToken } from './token';

export type Authorization =
  | { ok: true; room: string; claims: TokenClaims }
  | { ok: false; status: number; reason: RefusalReason; message: string };

export interface AuthRequest {
  url?: string;
  headers: IncomingHttpHeaders;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  429: 'Too Many Requests',
};

function roomIn(url: URL): string | null {
  try {
    const name = decodeURIComponent(url.pathname.slice(1));
    return CollectionIdSchema.safeParse(name).success ? name : null;
  } catch {
    return null;
  }
}

export function authorize(
  req: AuthRequest,
  secret: string,
  revocations: Pick<RevocationList, 'isRevoked'>,
): Authorization {
  const url = new URL(req.url ?? '/', 'http://hub.invalid');
  const room = roomIn(url);
  if (room === null) {
    const message = 'the path must be /<collection id>';
    return { ok: false, status: 400, reason: 'bad-room', message };
  }
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const token = url.searchParams.get('token') ?? bearer;
  if (!token) return { ok: false, status: 401, reason: 'no-token', message: 'no token given' };
  const verdict = verifyToken(token, secret);
  if (!verdict.ok) {
    return { ok: false, status: 401, reason: verdict.reason, message: verdict.message };
  }
  if (revocations.isRevoked(verdict.claims.id)) {
    return { ok: false, status: 401, reason: 'revoked', message: 'the token was revoked' };
  }
  if (verdict.claims.collection !== room) {
    const message = 'the token is for another collection';
    return { ok: false, status: 403, reason: 'other-collection', message };
  }
  return { ok: true, room, claims: verdict.claims };
}

/** Answers a socket with a plain-text HTTP error and closes it. */
export function refuse(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
