// The y-websocket wire protocol as the hub sees it: every client message is parsed and checked
// in full here, before the room acts on it, so hostile bytes fail as a ProtocolError naming the
// problem and never reach the document half-read. Decoding is linear in the message size, and
// ws's maxPayload bounds the size.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * Hub → client, only to clients that connected with `confirm=1`: an editor's update is stored,
 * and this is the room's state vector now. Curio counts unconfirmed local changes with it; stock
 * y-websocket clients never ask for it, so never see a message type they do not know.
 */
export const MESSAGE_CONFIRMED = 100;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
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

/** Throws unless `update` is a well-formed awareness update with JSON states. */
export function checkAwarenessUpdate(update: Uint8Array): void {
  attempt('the awareness update does not decode', () => {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      JSON.parse(decoding.readVarString(decoder));
    }
    expectEnd(decoder);
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
      checkAwarenessUpdate(update);
      message = { type: 'awareness', update };
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
