// The y-websocket wire protocol as the hub sees it: every client message is parsed and checked
// in full here, before the room acts on it, so hostile bytes fail as a ProtocolError naming the
// problem and never reach the document half-read. Decoding is linear in the message size, and
// ws's maxPayload bounds the size.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_CONFIRMED,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  PRESENCE_LIMITS,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  jsonNestingWithin,
} from '../shared/sync';

/** One client's entry in an awareness update: its presence state, or null when it left. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; entries: AwarenessEntry[] }
  | { type: 'query-awareness' };

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a lib0/Yjs reader, turning whatever it throws into a ProtocolError about `what`. */
function attempt<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`${what}: ${describe(error)}`);
  }
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError(
      `${decoder.arr.length - decoder.pos} unexpected bytes after the end of the message`,
    );
  }
}

/** Throws unless `update` is a complete Yjs (v1) update: every struct and the delete set. */
export function checkUpdate(update: Uint8Array): void {
  attempt('the Yjs update does not decode', () => Y.decodeUpdate(update));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readPresenceState(bytes: Uint8Array): AwarenessEntry['state'] {
  const { stateBytes, depth } = PRESENCE_LIMITS;
  if (bytes.length > stateBytes) {
    throw new ProtocolError(`a presence state of ${bytes.length} bytes is over ${stateBytes}`);
  }
  const text = utf8.decode(bytes);
  if (!jsonNestingWithin(text, depth)) {
    throw new ProtocolError(`a presence state nests deeper than ${depth} levels`);
  }
  const state: unknown = JSON.parse(text);
  if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
    throw new ProtocolError('a presence state must be a JSON object or null');
  }
  return state as AwarenessEntry['state'];
}

/**
 * Reads an awareness update within PRESENCE_LIMITS: its size is checked before anything is
 * decoded, and each state's nesting before it is parsed.
 */
export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  if (update.length > PRESENCE_LIMITS.updateBytes) {
    throw new ProtocolError(
      `an awareness update of ${update.length} bytes is over ${PRESENCE_LIMITS.updateBytes}`,
    );
  }
  return attempt('the awareness update does not decode', () => {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      entries.push({
        clientId,
        clock,
        state: readPresenceState(decoding.readVarUint8Array(decoder)),
      });
    }
    expectEnd(decoder);
    return entries;
  });
}

/** The awareness update that carries `entries`, as y-protocols writes one. */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const { clientId, clock, state } of entries) {
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify(state));
    }
  });
}

/**
 * Parses one client message. `checkUpdates: false` leaves decoding the Yjs update inside a sync
 * message to the caller (the hub checks large ones off the main thread; see update-check.ts).
 */
export function readClientMessage(
  bytes: Uint8Array,
  { checkUpdates = true }: { checkUpdates?: boolean } = {},
): ClientMessage {
  if (bytes.length === 0) throw new ProtocolError('empty message');
  const decoder = decoding.createDecoder(bytes);
  const kind = attempt('bad message type', () => decoding.readVarUint(decoder));
  let message: ClientMessage;
  switch (kind) {
    case MESSAGE_SYNC: {
      const step = attempt('bad sync message type', () => decoding.readVarUint(decoder));
      const payload = attempt('truncated sync message', () => decoding.readVarUint8Array(decoder));
      if (step === SYNC_STEP1) {
        attempt('the state vector does not decode', () => Y.decodeStateVector(payload));
        message = { type: 'sync-step1', stateVector: payload };
      } else if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
        if (checkUpdates) checkUpdate(payload);
        message = { type: step === SYNC_STEP2 ? 'sync-step2' : 'update', update: payload };
      } else {
        throw new ProtocolError(`unknown sync message type ${step}`);
      }
      break;
    }
    case MESSAGE_AWARENESS: {
      const update = attempt('truncated awareness message', () =>
        decoding.readVarUint8Array(decoder),
      );
      message = { type: 'awareness', entries: readAwarenessUpdate(update) };
      break;
    }
    case MESSAGE_QUERY_AWARENESS:
      message = { type: 'query-awareness' };
      break;
    case MESSAGE_AUTH:
      throw new ProtocolError('auth messages are sent by the hub, not by clients');
    default:
      throw new ProtocolError(`unknown message type ${kind}`);
  }
  expectEnd(decoder);
  return message;
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return encodeSyncStep1FromVector(Y.encodeStateVector(doc));
}

export function encodeSyncStep1FromVector(stateVector: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP2);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeConfirmed(stateVector: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_CONFIRMED);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

export function encodeQueryAwareness(): Uint8Array {
  return frame((e) => encoding.writeVarUint(e, MESSAGE_QUERY_AWARENESS));
}

export type ServerMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2' | 'update' | 'awareness'; update: Uint8Array }
  | { type: 'other'; kind: number };

/** For clients and tests that speak to the hub without a provider. */
export function readServerMessage(bytes: Uint8Array): ServerMessage {
  const decoder = decoding.createDecoder(bytes);
  const kind = decoding.readVarUint(decoder);
  if (kind === MESSAGE_AWARENESS) {
    return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
  }
  if (kind !== MESSAGE_SYNC) return { type: 'other', kind };
  const step = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  if (step === SYNC_STEP1) return { type: 'sync-step1', stateVector: payload };
  return { type: step === SYNC_STEP2 ? 'sync-step2' : 'update', update: payload };
}
