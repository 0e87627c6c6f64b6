// The message types on a sync connection: y-websocket's four, and Curio's one addition. The hub
// (src/hub/protocol.ts) and the app's sync client (src/renderer/data/sync.ts) both read them here.

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

/** The query parameter a client adds to its connection's URL to receive MESSAGE_CONFIRMED. */
export const CONFIRM_PARAMS = { confirm: '1' } as const;

/** Whether a connection's query asks for MESSAGE_CONFIRMED. */
export function asksForConfirmations(query: URLSearchParams): boolean {
  return query.get('confirm') === CONFIRM_PARAMS.confirm;
}

/** The second varint of a MESSAGE_SYNC message. */
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;
