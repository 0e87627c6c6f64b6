// A world for testing the posting queue end to end, in memory and on a fake clock: several
// maintainers' apps, each with its own Y.Doc (a fresh Yjs client id every time it starts, as the
// real app has), a hub that handles one message at a time, stores it, forwards it and confirms it
// with its state vector as src/hub/room.ts does, links that deliver in order, lose what is in
// flight when they drop and resync on reconnect, and a publisher that, like a PDS, keeps the first
// record created under a key and refuses the rest. The apps run the same steps the outbox will:
// nextQueueAction, then the real job planners; their outboxes keep jobs across restarts and send
// them when told to, and an attempt may fail before or after the PDS stored the post.
import * as Y from 'yjs';
import { materializeAll, type Actor } from '../../collection';
import {
  nextQueueAction,
  readQueue,
  settleQueued,
  type QueueOutcome,
} from '../../collection/queue';
import { readSchedule } from '../../collection/queue-schedule';
import type { PublishTarget } from '../../model';
import { planBlueskyJob, settleBlueskyJob, type BlueskyJob } from '../bluesky-job';
import { pickOf } from '../pick';
import { planSitePublish, settleSitePublish, type SiteJob } from '../site-job';
import { decideDue, type Coordination, type QueueDecision } from './decide';
import { unservedPick } from './queue-state';

export const COLLECTION = 'sim-collection';

export interface Post {
  target: PublishTarget;
  key: string;
  itemId: string;
  /** When it was created, on the fake clock. */
  at: number;
  /** When the app decided to post it (the outbox may send it later). */
  decidedAt: number;
  /** The slot it was posted for; null for "Post now". */
  slot: number | null;
  app: number;
}

/** Keeps the first record created under each key and refuses the others, as a PDS does. */
export class Publisher {
  readonly accepted = new Map<string, Post>();
  refused = 0;

  create(post: Post): boolean {
    const key = `${post.target}/${post.key}`;
    if (this.accepted.has(key)) {
      this.refused++;
      return false;
    }
    this.accepted.set(key, post);
    return true;
  }

  posts(): Post[] {
    return [...this.accepted.values()];
  }
}

type ToApp = { update: Uint8Array } | { confirmed: Map<number, number> };

/** One "post" as the outbox stores it: in the device's database, so it survives a restart. */
interface StoredJob {
  itemId: string;
  slot: number | null;
  decidedAt: number;
  bluesky: BlueskyJob | null;
  site: SiteJob | null;
}

/** A claim an app wrote, and the pick an independent reading of its document put first. */
export interface ClaimSeen {
  app: number;
  slot: number;
  itemId: string;
  expectedHead: string | undefined;
}

class App {
  doc: Y.Doc | null = null;
  sessions = 0;
  online = true;
  confirmed: Map<number, number> | null = null;
  toHub: Uint8Array[] = [];
  toApp: ToApp[] = [];
  readonly outbox: StoredJob[] = [];

  constructor(
    readonly index: number,
    public saved: Uint8Array,
    /** The targets this app's device is set up to publish to. */
    readonly setUp: readonly PublishTarget[] = ['bluesky', 'site'],
  ) {}

  get connected(): boolean {
    return this.doc !== null && this.online;
  }
}

export class QueueWorld {
  readonly apps: App[];
  readonly hub = new Y.Doc();
  readonly publisher = new Publisher();
  readonly claims: ClaimSeen[] = [];

  constructor(
    count: number,
    base: Uint8Array,
    public now: number,
    /** Without a hub every app decides alone (only sound with one app). */
    readonly withHub = true,
    /** Per app, the targets its device can publish to (default: both). */
    setUp: ReadonlyArray<readonly PublishTarget[]> = [],
  ) {
    Y.applyUpdate(this.hub, base);
    this.apps = Array.from({ length: count }, (_, i) => new App(i, base, setUp[i]));
  }

  actor(app: number): Actor {
    return { memberId: `member-${app}`, now: () => this.now };
  }

  start(i: number): void {
    const app = this.apps[i]!;
    if (app.doc) return;
    const doc = new Y.Doc();
    doc.clientID = 1 + i * 1000 + app.sessions++;
    Y.applyUpdate(doc, app.saved, 'disk');
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'hub' && app.connected) app.toHub.push(update);
    });
    app.doc = doc;
    this.connect(app);
  }

  stop(i: number): void {
    const app = this.apps[i]!;
    if (!app.doc) return;
    app.saved = Y.encodeStateAsUpdate(app.doc);
    app.doc.destroy();
    app.doc = null;
    this.disconnect(app);
  }

  setOnline(i: number, online: boolean): void {
    const app = this.apps[i]!;
    if (app.online === online) return;
    app.online = online;
    if (online) this.connect(app);
    else this.disconnect(app);
  }

  private connect(app: App): void {
    if (!app.connected || !this.withHub) return;
    // y-websocket's handshake: each side sends the other what it lacks.
    app.toHub.push(Y.encodeStateAsUpdate(app.doc!));
    app.toApp.push({ update: Y.encodeStateAsUpdate(this.hub) });
  }

  private disconnect(app: App): void {
    app.toHub = [];
    app.toApp = [];
    app.confirmed = null;
  }

  /** The hub takes the next message from app `i`: stores it, forwards it, confirms it. */
  deliverToHub(i: number): boolean {
    const app = this.apps[i]!;
    const update = app.toHub.shift();
    if (!update) return false;
    Y.applyUpdate(this.hub, update, 'app');
    for (const other of this.apps)
      if (other !== app && other.connected) other.toApp.push({ update });
    app.toApp.push({ confirmed: Y.decodeStateVector(Y.encodeStateVector(this.hub)) });
    return true;
  }

  /** App `i` takes the next message from the hub. */
  deliverToApp(i: number): boolean {
    const app = this.apps[i]!;
    const message = app.toApp.shift();
    if (!message || !app.doc) return false;
    if ('update' in message) Y.applyUpdate(app.doc, message.update, 'hub');
    else app.confirmed = message.confirmed;
    return true;
  }

  /** Delivers everything in flight, letting running apps act on what arrives, until all is quiet. */
  settle(): void {
    for (let round = 0; round < 1000; round++) {
      let moved = false;
      for (let i = 0; i < this.apps.length; i++) moved = this.deliverToHub(i) || moved;
      for (let i = 0; i < this.apps.length; i++) moved = this.deliverToApp(i) || moved;
      this.runAll();
      if (!moved) return;
    }
    throw new Error('the network never went quiet');
  }

  edit(i: number, change: (doc: Y.Doc, actor: Actor) => void): void {
    const doc = this.apps[i]!.doc;
    if (doc) change(doc, this.actor(i));
  }

  /** Every running app does what the queue asks of it now. */
  runAll(): void {
    for (let i = 0; i < this.apps.length; i++) this.run(i);
  }

  /** The earliest moment a running app asked to be woken at. */
  nextWake(): number | null {
    let wake: number | null = null;
    for (const app of this.apps) {
      if (!app.doc) continue;
      const runner = { replica: app.doc.clientID, coordination: this.coordination(app) };
      const { schedule } = readSchedule(app.doc);
      const decision = decideDue(readQueue(app.doc), schedule, runner, this.now);
      const until = 'until' in decision ? decision.until : null;
      if (until !== null && (wake === null || until < wake)) wake = until;
    }
    return wake;
  }

  private coordination(app: App): Coordination {
    return this.withHub ? { kind: 'hub', confirmed: app.confirmed } : { kind: 'alone' };
  }

  private decide(app: App): QueueDecision {
    const coordination = this.coordination(app);
    const before = new Set(readQueue(app.doc!).claims.map((c) => `${c.slot}/${c.replica}`));
    const expectedHead = headByHand(app.doc!);
    const decision = nextQueueAction(app.doc!, coordination, this.actor(app.index));
    for (const claim of readQueue(app.doc!).claims) {
      if (before.has(`${claim.slot}/${claim.replica}`)) continue;
      this.claims.push({ app: app.index, slot: claim.slot, itemId: claim.itemId, expectedHead });
    }
    return decision;
  }

  run(i: number): void {
    const app = this.apps[i]!;
    const planned = new Set<string>();
    while (app.doc) {
      // As the runner does: an app not set up for the next pick's target stays out of the slot.
      if (unservedPick(readQueue(app.doc), (t) => app.setUp.includes(t))) return;
      const decision = this.decide(app);
      if (decision.kind !== 'post') return;
      // A pick may go out again at once only to a target added since (Add to queue on a pick
      // already on its way); the same target twice in one run would be a loop.
      const again = decision.targets.filter((t) => planned.has(`${decision.itemId}/${t}`));
      if (again.length > 0) {
        throw new Error(
          `app ${i} decided to post ${decision.itemId} to ${again.join(' and ')} again right after planning it`,
        );
      }
      for (const target of decision.targets) planned.add(`${decision.itemId}/${target}`);
      this.plan(app, decision.itemId, decision.targets, decision.slot);
    }
  }

  /** What the outbox does with a "post", in the same task: plan the jobs (records first), store them. */
  private plan(app: App, itemId: string, targets: PublishTarget[], slot: number | null): void {
    const doc = app.doc!;
    const actor = this.actor(app.index);
    const row = materializeAll(doc, actor.memberId).find((r) => r.id === itemId)!;
    const job: StoredJob = { itemId, slot, decidedAt: this.now, bluesky: null, site: null };
    const missing = targets.filter((target) => !app.setUp.includes(target));
    if (missing.length) {
      // What planPress answers on a device without those settings: the pick fails, nothing is sent.
      const error = `${missing.join(' and ')} not set up on this device`;
      settleQueued(doc, itemId, { state: 'failed', error }, actor);
      return;
    }
    if (targets.includes('bluesky')) {
      const options = { collectionId: COLLECTION, langs: ['en'], threadIntro: null, now: this.now };
      const plan = planBlueskyJob(doc, [pickOf(row)], options, actor);
      if (plan.ok) job.bluesky = plan.job;
      else if (plan.problems.some((p) => p.itemId === itemId)) {
        const error = plan.problems.flatMap((p) => p.problems).join('; ');
        settleQueued(doc, itemId, { state: 'failed', error }, actor);
      }
    }
    if (targets.includes('site')) job.site = planSitePublish(doc, COLLECTION, [pickOf(row)], actor);
    app.outbox.push(job);
  }

  /**
   * App `i`'s outbox sends its oldest job. It may fail before the PDS stores anything, or after
   * (the answer was lost): either way the attempt settles "failed" and the pick waits for the
   * curator. A key already taken counts as published, as the publisher's read-before-create does.
   */
  send(i: number, fails: 'no' | 'before' | 'after' = 'no'): boolean {
    const app = this.apps[i]!;
    const doc = app.doc;
    const job = doc && app.outbox.shift();
    if (!doc || !job) return false;
    const actor = this.actor(app.index);
    const create = (target: PublishTarget, key: string) =>
      this.publisher.create({
        target,
        key,
        itemId: job.itemId,
        at: this.now,
        decidedAt: job.decidedAt,
        slot: job.slot,
        app: app.index,
      });
    if (fails !== 'before') {
      for (const post of job.bluesky?.posts ?? []) create('bluesky', post.rkey);
      for (const entry of job.site?.entries ?? []) create('site', entry.key);
    }
    const state = fails === 'no' ? ('published' as const) : ('failed' as const);
    const error = 'the PDS answered 502';
    if (job.bluesky) {
      const posts = job.bluesky.posts.map(({ itemId, rkey }) => ({ itemId, rkey, state, error }));
      const result = { ok: fails === 'no', thread: null, posts, problems: [] };
      settleBlueskyJob(doc, job.bluesky, result, actor);
    }
    if (job.site) {
      const result = { committed: true, commit: 'c0ffee', added: [job.itemId], message: null };
      const outcome =
        fails === 'no'
          ? { ok: true as const, result, siteUrl: 'https://links.example/' }
          : { ok: false as const, error };
      settleSitePublish(doc, job.site, outcome, actor);
    }
    const outcome: QueueOutcome =
      fails === 'no' ? { state: 'published' } : { state: 'failed', error };
    settleQueued(doc, job.itemId, outcome, actor);
    return true;
  }

  /** Delivers and sends everything, until nothing is in flight and every outbox is empty. */
  flush(): void {
    for (let round = 0; round < 50; round++) {
      this.settle();
      let sent = false;
      for (let i = 0; i < this.apps.length; i++) while (this.send(i)) sent = true;
      if (!sent) return;
    }
    throw new Error('the outboxes never emptied');
  }
}

/**
 * The pick a slot should take, read straight from the document's maps without the queue's own
 * code: first by order key then item id, among live picks with a target not yet started that
 * neither failed nor wait for "Post now".
 */
function headByHand(doc: Y.Doc): string | undefined {
  const queue = doc.getMap('queue');
  const items = doc.getMap('items');
  const publications = doc.getMap('publications');
  const rows: Array<[key: string, id: string]> = [];
  for (const [key, value] of queue.entries()) {
    const [id, field] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    if (field !== 'pos' || typeof value !== 'string') continue;
    // A field's own key, else the link's saved record (data-model.md, Item fields).
    const saved = (items.get(`${id}/saved`) ?? {}) as Record<string, unknown>;
    const stored = (name: string) =>
      items.has(`${id}/${name}`) ? items.get(`${id}/${name}`) : saved[name];
    if (stored('url') === undefined || stored('deletedAt') != null) continue;
    if (queue.has(`${id}/failed`) || queue.has(`${id}/now`)) continue;
    const targets = queue.get(`${id}/targets`) as string[];
    const started = (t: string) =>
      ['publishing', 'published'].includes(
        (publications.get(`${id}/${t}`) as { state?: string })?.state ?? '',
      );
    if (targets.some((t) => !started(t))) rows.push([value, id]);
  }
  rows.sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : 1));
  return rows[0]?.[1];
}
