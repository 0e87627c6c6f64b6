// Curio's two additions to the y-websocket protocol: the opt-in "stored" confirmation, and the
// HTTP check that explains a refused invite to a browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import {
  CheckAnswerSchema,
  MESSAGE_CONFIRMED,
  REFUSAL_REASONS,
  type RefusalReason,
} from '../shared/sync';
import { hubPaths } from './data-dir';
import { presenceText } from './fuzz-messages';
import { encodeUpdate } from './protocol';
import { Revocations } from './revocations';
import { spawnHub, tempDataDir, testToken, tokenFor, type HubProcess } from './test-kit';

let hub: HubProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = tempDataDir();
  hub = await spawnHub(dataDir);
});
afterAll(async () => {
  await hub.stop();
});

async function client(room: string, confirm: boolean) {
  const ws = new WebSocket(
    `${hub.url}/${room}?token=${tokenFor(room)}${confirm ? '&confirm=1' : ''}`,
  );
  const types: number[] = [];
  const confirmations: Map<number, number>[] = [];
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    types.push(type);
    if (type === MESSAGE_CONFIRMED)
      confirmations.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, types, confirmations };
}

/**
 * Sends a presence probe and waits for it to come back: the hub handles a connection's messages
 * in order, so whatever it would answer to the messages before has been sent by then.
 */
function settled(ws: WebSocket): Promise<void> {
  ws.send(presenceText(4242, 1, JSON.stringify({ user: { id: 'ann' }, probe: true })));
  return new Promise((done) => {
    const onMessage = (data: Buffer) => {
      if (!data.includes('"probe":true')) return;
      ws.off('message', onMessage);
      done();
    };
    ws.on('message', onMessage);
  });
}

describe('confirmations', () => {
  it('tell a client that asked which of its updates are stored', async () => {
    const doc = new Y.Doc();
    const c = await client('confirm-room', true);
    doc.getMap('m').set('k', 'v');
    c.ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    await settled(c.ws);
    expect(c.confirmations.at(-1)?.get(doc.clientID)).toBe(
      Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID),
    );
    c.ws.close();
  });

  it('are never sent to a stock client', async () => {
    const doc = new Y.Doc();
    const c = await client('stock-room', false);
    doc.getMap('m').set('k', 'v');
    c.ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    await settled(c.ws);
    expect(c.types).not.toContain(MESSAGE_CONFIRMED);
    c.ws.close();
  });
});

describe('GET /v1/check/<collection>', () => {
  const check = (room: string, token?: string) =>
    fetch(
      `${hub.httpUrl}/v1/check/${room}`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );

  it('says who a valid token is for', async () => {
    const res = await check('c1', tokenFor('c1', 'reader', 'cy'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, member: 'cy', role: 'reader' });
  });

  const mint = (options: { secret?: string; now?: number } = {}) =>
    testToken({ collection: 'c1', ...options }).token;

  /** A refused request for each reason: the room it asks about, and the token it shows. */
  const refusals: Record<RefusalReason, () => { room: string; token?: string; status: number }> = {
    'no-token': () => ({ room: 'c1', status: 401 }),
    malformed: () => ({ room: 'c1', token: 'not-a-token', status: 401 }),
    'bad-signature': () => ({
      room: 'c1',
      token: mint({ secret: 'another-hub-secret-0123456789' }),
      status: 401,
    }),
    expired: () => ({ room: 'c1', token: mint({ now: Date.now() - 7_200_000 }), status: 401 }),
    revoked: () => {
      const { token, claims } = testToken({ collection: 'c1', member: 'bob' });
      const list = new Revocations(hubPaths(dataDir).database);
      list.revoke(claims.id);
      list.close();
      return { room: 'c1', token, status: 401 };
    },
    'other-collection': () => ({ room: 'c1', token: tokenFor('c2'), status: 403 }),
    'bad-room': () => ({ room: '..%2Fetc', token: tokenFor('c1'), status: 400 }),
  };

  it.each(REFUSAL_REASONS)('answers %s as a code, with the problem in words', async (reason) => {
    const { room, token, status } = refusals[reason]();
    const res = await check(room, token);
    expect(res.status).toBe(status);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const answer = CheckAnswerSchema.parse(await res.json());
    expect(answer).toEqual({ ok: false, reason, error: expect.stringMatching(/^The hub refused/) });
  });

  it.each([
    ['no token', undefined, /no token/],
    ['a forged token', `${tokenFor('c1').slice(0, -4)}AAAA`, /not signed by this hub/],
    ['a token for another collection', tokenFor('c2'), /another collection/],
  ])('names the problem with %s', async (_, token, message) => {
    const res = await check('c1', token);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('answers the browser preflight', async () => {
    const res = await fetch(`${hub.httpUrl}/v1/check/c1`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization');
  });
});
