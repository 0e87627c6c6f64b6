// Corrections through the outbox, against a real Dexie and document (only the DesktopApi seam is a
// stand-in): "Update site", "Remove from site", "Remove from Bluesky" and "Delete and post again",
// and the rule that a removed post is never made again by this device's retries.
import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import * as Y from 'yjs';
import {
  getPublication,
  getPublicationBlurb,
  getPublicationHeadline,
  markRemoved,
  recordPublication,
} from '../../shared/collection';
import { blueskyPostKey } from '../../shared/publish';
import { addTwo, openLibrary, outboxFor, scriptedApi } from './outbox-testing';

async function published(replies: Parameters<typeof scriptedApi>[0] = []) {
  const lib = await openLibrary(new IDBFactory());
  const items = addTwo(lib);
  const server = scriptedApi(['ok', 'ok', ...replies]);
  const outbox = outboxFor(lib, server.api);
  await outbox.start();
  await outbox.publish({ items, bluesky: true, site: true });
  await outbox.runDue();
  return { lib, outbox, server, items: lib.store.all() };
}

describe('Outbox corrections', () => {
  it('updates the site with new words and a headline, and posts nothing to Bluesky', async () => {
    const { lib, outbox, server, items } = await published();
    const raft = items.find((i) => i.title === 'Raft')!;
    const posts = server.blueskyCalls.length;
    await outbox.updateSite([raft], {
      blurbs: { [raft.id]: 'Read the figures first.' },
      headlines: { [raft.id]: 'The consensus paper that teaches' },
    });
    await outbox.runDue();
    expect(server.blueskyCalls).toHaveLength(posts);
    const built = server.siteCalls.at(-1)!;
    expect(built.find((p) => p.item.id === raft.id)).toMatchObject({
      blurb: 'Read the figures first.',
      headline: 'The consensus paper that teaches',
    });
    expect(built).toHaveLength(2);
    expect(getPublicationBlurb(lib.doc, raft.id, 'site')).toBe('Read the figures first.');
    expect(getPublicationHeadline(lib.doc, raft.id)).toBe('The consensus paper that teaches');
    expect(getPublication(lib.doc, raft.id, 'site')?.state).toBe('published');
    expect(outbox.list()[0]).toMatchObject({
      state: 'done',
      job: { kind: 'site', action: 'update' },
    });
  });

  it('removes a pick from the site: it is left out of this build and every later one', async () => {
    const { lib, outbox, server, items } = await published(['ok', 'ok']);
    const crdt = items.find((i) => i.title === 'CRDTs')!;
    await outbox.removeFromSite([crdt]);
    await outbox.runDue();
    expect(server.siteCalls.at(-1)!.map((p) => p.item.title)).toEqual(['Raft']);
    expect(getPublication(lib.doc, crdt.id, 'site')?.state).toBe('removed');
    // Retrying the first publish job, which carried it, still leaves it out.
    const first = outbox.list().find((r) => r.job.kind === 'site' && r.job.action === 'publish')!;
    await lib.db.outbox.put({ ...first, state: 'failed' });
    const reopened = outboxFor(lib, server.api);
    await reopened.start();
    await reopened.retry(first.id);
    await reopened.runDue();
    expect(server.siteCalls.at(-1)!.map((p) => p.item.title)).toEqual(['Raft']);
    expect(getPublication(lib.doc, crdt.id, 'site')?.state).toBe('removed');
  });

  it('removes a post from Bluesky, and a retry of the job that made it sends nothing', async () => {
    const { lib, outbox, server, items } = await published(['ok']);
    const raft = items.find((i) => i.title === 'Raft')!;
    const rkey = getPublication(lib.doc, raft.id, 'bluesky')!.key;
    await outbox.removeFromBluesky([raft]);
    await outbox.runDue();
    expect(server.removalCalls.map((j) => j.posts.map((p) => p.rkey))).toEqual([[rkey]]);
    expect(getPublication(lib.doc, raft.id, 'bluesky')).toMatchObject({ state: 'removed' });

    const posting = outbox.list().find((r) => r.job.kind === 'bluesky')!;
    await lib.db.outbox.put({ ...posting, state: 'failed' });
    const reopened = outboxFor(lib, server.api);
    await reopened.start();
    await reopened.retry(posting.id);
    await reopened.runDue();
    const sent = server.blueskyCalls.at(-1)!.posts.map((p) => p.rkey);
    expect(sent).not.toContain(rkey);
    expect(getPublication(lib.doc, raft.id, 'bluesky')?.state).toBe('removed');
    // A new press of Publish skips it too.
    const plan = await reopened.publish({
      items: [lib.store.get(raft.id)!],
      bluesky: true,
      site: false,
    });
    expect(plan.queued).toEqual([]);
    expect(plan.skipped).toEqual([{ itemId: raft.id, target: 'bluesky', state: 'removed' }]);
  });

  it('posts again under the next key after deleting the old post', async () => {
    const { lib, outbox, server, items } = await published(['ok', 'ok', 'ok']);
    const raft = items.find((i) => i.title === 'Raft')!;
    await outbox.postAgain([raft], { [raft.id]: 'Second thoughts.' });
    await outbox.runDue();
    expect(server.removalCalls.at(-1)!.posts[0]!.rkey).toBe(blueskyPostKey('c1', raft.id, 0));
    expect(server.blueskyCalls.at(-1)!.posts).toMatchObject([
      { itemId: raft.id, rkey: blueskyPostKey('c1', raft.id, 1), text: 'Second thoughts.' },
    ]);
    expect(getPublication(lib.doc, raft.id, 'bluesky')).toMatchObject({
      state: 'published',
      key: blueskyPostKey('c1', raft.id, 1),
    });
  });

  it('deletes a post it made while another device was removing the pick, and the record says removed', async () => {
    const lib = await openLibrary(new IDBFactory());
    const [raft] = addTwo(lib);
    const server = scriptedApi(['ok', 'ok', 'ok']);
    const outbox = outboxFor(lib, server.api);
    await outbox.start();
    await outbox.publish({ items: [raft!], bluesky: true, site: false });
    const rkey = getPublication(lib.doc, raft!.id, 'bluesky')!.key;
    // Another device removes the pick while this one is posting it; the removal arrives after.
    const elsewhere = new Y.Doc();
    // Yjs keeps the concurrent write of the higher client id: this device's "published" settle
    // then wins over the other device's "removed" record, and only the removal key says otherwise.
    elsewhere.clientID = 1;
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(lib.doc));
    markRemoved(elsewhere, raft!.id, 'bluesky', rkey, { memberId: 'ben' });
    await outbox.runDue();
    expect(server.blueskyCalls).toHaveLength(1);
    Y.applyUpdate(lib.doc, Y.encodeStateAsUpdate(elsewhere, Y.encodeStateVector(lib.doc)));
    await outbox.runDue();
    expect(server.removalCalls.map((j) => j.posts.map((p) => p.rkey))).toEqual([[rkey]]);
    expect(getPublication(lib.doc, raft!.id, 'bluesky')?.state).toBe('removed');
    // Once is enough: a restart owes nothing more.
    const again = outboxFor(lib, server.api);
    await again.start();
    await again.runDue();
    expect(server.removalCalls).toHaveLength(1);
  });

  it('puts the record right when another device wrote over a removal it had not seen', async () => {
    const { lib, outbox, items } = await published(['ok']);
    const raft = items.find((i) => i.title === 'Raft')!;
    const record = getPublication(lib.doc, raft.id, 'bluesky')!;
    const elsewhere = new Y.Doc();
    // The other device's concurrent write wins the record (the highest client id does).
    elsewhere.clientID = 0xffffffff;
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(lib.doc));
    await outbox.removeFromBluesky([raft]);
    await outbox.runDue();
    recordPublication(
      elsewhere,
      raft.id,
      { ...record, state: 'failed', error: 'late' },
      { memberId: 'ben' },
    );
    Y.applyUpdate(lib.doc, Y.encodeStateAsUpdate(elsewhere, Y.encodeStateVector(lib.doc)));
    await Promise.resolve();
    expect(getPublication(lib.doc, raft.id, 'bluesky')).toMatchObject({ state: 'removed' });
    expect(getPublication(lib.doc, raft.id, 'bluesky')?.error).toBeUndefined();
  });
});
