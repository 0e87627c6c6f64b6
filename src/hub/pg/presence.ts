// Presence (who is online, what they have open, cursors) between the hubs of a cluster: never
// stored, only announced with `pg_notify` on a channel of its own. Changes that queue up while
// one announcement is on its way go out together in the next. The commit does not wait for the
// disk (presence is not worth a flush), and so never holds up the commits of updates. A payload
// is at most PostgreSQL's 8000 bytes, so a large presence change travels in numbered parts.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { decodeBase64Url, encodeBase64Url } from '../../shared/sync';
import { reason } from './database';

/** Characters of one part; payloads are ASCII (base64url and collection ids), so also bytes. */
const PART_CHARS = 7000;
/** Messages in parts still incomplete; the oldest is dropped beyond this. */
const MAX_ASSEMBLING = 64;
/** Presence changes that wait for the database; beyond this the oldest are dropped. */
const MAX_QUEUED = 10_000;

const Message = z.object({ r: z.string(), u: z.string() });

export interface PresenceChange {
  room: string;
  /** A y-protocols awareness update. */
  update: Uint8Array;
}

export class PresenceRelay {
  private readonly pool: pg.Pool;
  private queued: string[] = [];
  private sending = false;
  private nextId = 0;
  private readonly assembling = new Map<string, string[]>();
  private failing = false;
  /** Payloads that were not read as presence. */
  malformed = 0;

  constructor(
    config: pg.ClientConfig,
    private readonly channel: string,
    private readonly origin: string = randomUUID(),
    private readonly log: (line: string) => void = () => {},
  ) {
    this.pool = new pg.Pool({
      ...config,
      max: 1,
      application_name: 'curio-hub presence',
      options: '-c synchronous_commit=off',
    });
    this.pool.on('error', () => undefined);
  }

  publish(change: PresenceChange): void {
    const text = JSON.stringify({ r: change.room, u: encodeBase64Url(change.update) });
    const id = `${this.origin}|${this.nextId++}`;
    const parts = Math.max(1, Math.ceil(text.length / PART_CHARS));
    for (let i = 0; i < parts; i++) {
      this.queued.push(`${id}|${i}|${parts}|${text.slice(i * PART_CHARS, (i + 1) * PART_CHARS)}`);
    }
    if (this.queued.length > MAX_QUEUED) this.queued.splice(0, this.queued.length - MAX_QUEUED);
    if (!this.sending) void this.send();
  }

  /** Reads a payload heard on the channel: a change from another hub, once it is whole. */
  receive(payload: string): PresenceChange | null {
    const match = /^([^|]+)\|(\d+)\|(\d+)\|(\d+)\|/.exec(payload);
    if (!match) {
      this.malformed++;
      return null;
    }
    const [head, origin, id, index, count] = match as unknown as [string, string, ...string[]];
    if (origin === this.origin) return null;
    const part = payload.slice(head.length);
    const [i, n] = [Number(index), Number(count)];
    let text = part;
    if (n > 1) {
      const key = `${origin}|${id}`;
      const parts = this.assembling.get(key) ?? [];
      if (parts.length !== i) {
        this.assembling.delete(key);
        return null;
      }
      parts.push(part);
      this.assembling.set(key, parts);
      if (this.assembling.size > MAX_ASSEMBLING) {
        this.assembling.delete(this.assembling.keys().next().value as string);
      }
      if (parts.length < n) return null;
      this.assembling.delete(key);
      text = parts.join('');
    }
    try {
      const message = Message.parse(JSON.parse(text));
      const update = decodeBase64Url(message.u);
      if (update) return { room: message.r, update };
    } catch {
      // Counted below.
    }
    this.malformed++;
    return null;
  }

  async close(): Promise<void> {
    this.queued = [];
    await this.pool.end();
  }

  private async send(): Promise<void> {
    this.sending = true;
    while (this.queued.length > 0) {
      const payloads = this.queued;
      this.queued = [];
      try {
        // One statement, one transaction: the parts of a change arrive together and in order.
        await this.pool.query(
          'SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS t (p, n) ORDER BY n',
          [this.channel, payloads],
        );
        this.failing = false;
      } catch (error) {
        // Presence is renewed by every client every 15 s; what is lost now comes again.
        if (!this.failing) this.log(`could not pass presence to other hubs: ${reason(error)}`);
        this.failing = true;
      }
    }
    this.sending = false;
  }
}
