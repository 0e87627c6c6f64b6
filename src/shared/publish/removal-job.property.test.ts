// Two devices publishing, removing and posting again one pick, with the document synced at random
// moments and a PDS that keeps a record per key: whatever the order, no removed post stays up, the
// pick never has two posts, and the devices end agreeing on its record.
import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addItem, getPublication, isRemovedKey, materializeAll } from '../collection';
import { planBlueskyJob, settleBlueskyJob, type BlueskyJob } from './bluesky-job';
import { pickOf } from './pick';
import {
  planBlueskyRemoval,
  planRepost,
  repairRemovedRecords,
  settleBlueskyRemoval,
  withoutRemovedPosts,
  type BlueskyRemoval,
} from './removal-job';

type Step = { kind: 'publish' | 'remove' | 'repost' | 'run'; device: 0 | 1 } | { kind: 'sync' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('publish', 'remove', 'repost', 'run' as const),
    device: fc.constantFrom(0 as const, 1 as const),
  }),
  fc.constant({ kind: 'sync' as const }),
);

interface Device {
  doc: Y.Doc;
  actor: { memberId: string; now: () => number };
  jobs: Array<BlueskyJob | BlueskyRemoval>;
  /** Keys this device's jobs created on the PDS. */
  made: Set<string>;
}

function run(steps: Step[], clientIds: [number, number]) {
  const pds = new Set<string>();
  const devices: Device[] = clientIds.map((id, i) => {
    const doc = new Y.Doc();
    doc.clientID = id;
    return { doc, actor: { memberId: `m${i}`, now: () => 1_000 + i }, jobs: [], made: new Set() };
  });
  addItem(
    devices[0]!.doc,
    { url: 'https://raft.github.io/', title: 'Raft', note: 'Words.' },
    devices[0]!.actor,
  );
  const sync = () => {
    const [a, b] = devices.map((d) => d.doc) as [Y.Doc, Y.Doc];
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  };
  sync();
  const itemId = materializeAll(devices[0]!.doc, 'm0')[0]!.id;
  const picks = (d: Device) => materializeAll(d.doc, d.actor.memberId).map((row) => pickOf(row));
  const options = { collectionId: 'c1', langs: [], threadIntro: null };

  const runJobs = (d: Device) => {
    for (const job of d.jobs.splice(0)) {
      if (job.kind === 'bluesky-removal') {
        for (const p of job.posts) pds.delete(p.rkey);
        settleBlueskyRemoval(
          d.doc,
          { ok: true, posts: job.posts.map((p) => ({ ...p, state: 'deleted' as const })) },
          d.actor,
        );
        continue;
      }
      const live = withoutRemovedPosts(d.doc, job);
      if (!live) continue;
      for (const p of live.posts) {
        pds.add(p.rkey);
        d.made.add(p.rkey);
      }
      settleBlueskyJob(
        d.doc,
        live,
        {
          ok: true,
          thread: null,
          problems: [],
          posts: live.posts.map((p) => ({
            itemId: p.itemId,
            rkey: p.rkey,
            state: 'published' as const,
          })),
        },
        d.actor,
      );
    }
  };
  /** What the outbox does when removals arrive: delete what it made under removed keys, fix records. */
  const heal = (d: Device) => {
    for (const rkey of d.made)
      if (isRemovedKey(d.doc, itemId, rkey)) {
        pds.delete(rkey);
        d.made.delete(rkey);
      }
    repairRemovedRecords(d.doc, [itemId], d.actor);
  };

  for (const step of steps) {
    if (step.kind === 'sync') {
      sync();
      devices.forEach(heal);
      continue;
    }
    const d = devices[step.device]!;
    if (step.kind === 'publish') {
      const plan = planBlueskyJob(d.doc, picks(d), options, d.actor);
      if (plan.ok) d.jobs.push(plan.job);
    } else if (step.kind === 'remove') {
      const removal = planBlueskyRemoval(d.doc, [itemId], { collectionId: 'c1', now: 5 }, d.actor);
      if (removal) d.jobs.push(removal);
    } else if (step.kind === 'repost') {
      const plan = planRepost(d.doc, picks(d), { collectionId: 'c1', langs: [], now: 5 }, d.actor);
      if (plan.removal) d.jobs.push(plan.removal);
      if (plan.job) d.jobs.push(plan.job);
    } else {
      runJobs(d);
    }
  }
  // Everything queued goes out, the devices meet, and each heals what it sees.
  for (let round = 0; round < 2; round++) {
    devices.forEach(runJobs);
    sync();
    devices.forEach(heal);
  }
  sync();
  return { pds, devices, itemId };
}

describe('removals across two devices', () => {
  it('leave no removed post up, never two posts, and one record on both devices', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 24 }),
        fc.tuple(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 2 ** 31 })),
        (steps, ids) => {
          fc.pre(ids[0] !== ids[1]);
          const { pds, devices, itemId } = run(steps, ids);
          const [a, b] = devices.map((d) => d.doc) as [Y.Doc, Y.Doc];
          for (const rkey of pds) expect(isRemovedKey(a, itemId, rkey)).toBe(false);
          expect(pds.size).toBeLessThanOrEqual(1);
          expect(getPublication(a, itemId, 'bluesky')).toEqual(
            getPublication(b, itemId, 'bluesky'),
          );
          const record = getPublication(a, itemId, 'bluesky');
          if (record && isRemovedKey(a, itemId, record.key)) expect(record.state).toBe('removed');
          if (record?.state === 'published') expect(pds.has(record.key)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
