// Two apps claim the same posting slot through a real hub process, each for a different pick. What
// decides the winner is the hub's "stored" confirmation: the one stored second sees the first in
// its confirmed state vector. So exactly one app posts, whichever reaches the hub first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { addItem, type Actor } from '../src/shared/collection';
import { enqueue, moveQueued, nextQueueAction, readQueue } from '../src/shared/collection/queue';
import { setSchedule } from '../src/shared/collection/queue-schedule';
import type { QueueDecision } from '../src/shared/publish/schedule';
import { covers, holdsAll } from '../src/shared/publish/schedule/queue-state';
import { MESSAGE_CONFIRMED } from '../src/shared/sync';
import {
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  readServerMessage,
} from '../src/hub/protocol';
import { spawnHub, tempDataDir, tokenFor, type HubProcess } from '../src/hub/test-kit';

let hub: HubProcess;
beforeAll(async () => {
  hub = await spawnHub(tempDataDir());
});
afterAll(async () => {
  await hub.stop();
});

/** Monday 4 May 2026, 11:00 UTC: the slot both apps claim. */
const SLOT = Date.UTC(2026, 4, 4, 11);

/** An app's replica on a socket to the hub that asked for confirmations. */
class Replica {
  confirmed: Map<number, number> | null = null;
  private readonly changed = new Set<() => void>();
  ws!: WebSocket;

  constructor(readonly doc: Y.Doc) {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this && this.ws?.readyState === WebSocket.OPEN)
        this.ws.send(encodeUpdate(update));
    });
  }

  async connect(room: string): Promise<void> {
    this.ws = new WebSocket(`${hub.url}/${room}?token=${tokenFor(room)}&confirm=1`);
    this.ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data);
      const decoder = decoding.createDecoder(bytes);
      if (decoding.readVarUint(decoder) === MESSAGE_CONFIRMED) {
        this.confirmed = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      } else {
        const message = readServerMessage(bytes);
        if (message.type === 'sync-step1') {
          this.ws.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
        } else if (message.type === 'sync-step2' || message.type === 'update') {
          Y.applyUpdate(this.doc, message.update, this);
        }
      }
      for (const listener of this.changed) listener();
    });
    await new Promise((done, fail) => this.ws.once('open', done).once('error', fail));
    this.ws.send(encodeSyncStep1(this.doc));
  }

  /** Resolves once a message from the hub makes `check` true. */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((done) => {
      const listener = () => {
        if (!check()) return;
        this.changed.delete(listener);
        done();
      };
      this.changed.add(listener);
    });
  }

  /** True once the hub confirmed our claim and we hold everything that confirmation covers. */
  decided(): boolean {
    const claim = readQueue(this.doc).claims.find((c) => c.replica === this.doc.clientID);
    const local = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    return (
      !!claim &&
      !!this.confirmed &&
      covers(this.confirmed, claim.stored) &&
      holdsAll(local, this.confirmed)
    );
  }

  decide(actor: Actor): QueueDecision {
    return nextQueueAction(this.doc, { kind: 'hub', confirmed: this.confirmed }, actor);
  }
}

function collection(): { base: Uint8Array; ids: string[] } {
  const doc = new Y.Doc();
  const owner: Actor = { memberId: 'ann', now: () => SLOT - 3_600_000 };
  const ids = ['one', 'two'].map(
    (name) => addItem(doc, { url: `https://example.com/${name}`, title: name }, owner).id,
  );
  setSchedule(
    doc,
    {
      days: ['mon'],
      times: ['11:00'],
      timeZone: 'UTC',
      targets: { bluesky: 'queue', site: 'queue' },
    },
    owner,
  );
  for (const id of ids) enqueue(doc, id, ['bluesky'], owner);
  return { base: Y.encodeStateAsUpdate(doc), ids };
}

describe('two apps, one slot, a real hub', () => {
  it('exactly one app posts, whichever claim the hub stores first', async () => {
    for (let round = 0; round < 6; round++) {
      const room = `queue-claims-${Date.now().toString(36)}-${round}`;
      const { base, ids } = collection();
      const apps = [0, 1].map((i) => {
        const doc = new Y.Doc();
        doc.clientID = 1000 * (round + 1) + i;
        Y.applyUpdate(doc, base);
        return new Replica(doc);
      });
      const actors = apps.map((_, i): Actor => ({ memberId: `m${i}`, now: () => SLOT + 60_000 }));
      // Apart, the second app's curator moves the second pick to the top: the apps disagree.
      moveQueued(apps[1]!.doc, ids[1]!, { at: 'start' }, actors[1]!);
      const claimed = apps.map((app, i) => app.decide(actors[i]!));
      expect(claimed).toEqual([
        { kind: 'confirming', itemId: ids[0], slot: SLOT, until: SLOT + 7 * 86_400_000 },
        { kind: 'confirming', itemId: ids[1], slot: SLOT, until: SLOT + 7 * 86_400_000 },
      ]);
      // Both bring their claims online at once; the order alternates from round to round.
      const order = round % 2 ? [1, 0] : [0, 1];
      await Promise.all(order.map((i) => apps[i]!.connect(room)));
      await Promise.all(apps.map((app) => app.until(() => app.decided())));
      const decisions = apps.map((app, i) => app.decide(actors[i]!));
      expect(decisions.filter((d) => d.kind === 'post')).toHaveLength(1);
      expect(decisions.filter((d) => d.kind === 'wait')).toHaveLength(1);
      for (const app of apps) app.ws.close();
    }
  });
});
