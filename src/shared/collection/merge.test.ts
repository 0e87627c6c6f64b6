// Concurrent edits on several replicas, merged in random orders, against the reference model of
// the documented semantics (./testing): not only replica equals replica, but each replica reads
// what the semantics say it should, after every step.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import type { ItemRow } from '../model';
import {
  ItemGoneError,
  UrlTakenError,
  addItem,
  changeItemUrl,
  getPublicationBlurb,
  getPublicationHeadline,
  isRemovedKey,
  markRemoved,
  setPublicationBlurb,
  setPublicationHeadline,
  emptyTrash,
  itemAt,
  itemIdForUrl,
  markRead,
  markUnread,
  materializeAll,
  moveToTrash,
  noteForWriting,
  purgeItems,
  recordPublication,
  renameTag,
  restoreFromTrash,
  setTags,
  updateItem,
} from '.';
import { History, ModelReplica } from './testing/merge-model';
import { ModelCollection, type ModelRow } from './testing/model-collection';

/** Some of these are the same link spelled differently: they share an item. */
const URLS = [
  'https://example.com/a',
  'https://www.example.com/a/?utm_source=x',
  'https://jepsen.io/analyses',
  'https://aphyr.com/posts/1',
];
const TAGS = ['crdt', 'consensus', 'Distributed Systems'];
const MEMBERS = ['ana', 'ben', 'cy'];

export type Cmd =
  | { t: 'add'; url: number; title: string; tags: number[]; note: boolean }
  | { t: 'update'; url: number; title?: string; description?: string }
  | { t: 'setTags'; url: number; tags: number[] }
  | { t: 'rename'; from: number; to: number }
  | { t: 'read' | 'unread' | 'trash' | 'restore' | 'purge' | 'note'; url: number }
  | { t: 'emptyTrash' }
  | { t: 'changeUrl'; url: number; to: number }
  | { t: 'publish'; url: number; state: 'publishing' | 'published' | 'failed' };

export type Step = { on: number; cmd: Cmd } | { sync: [number, number] };

const pick = (n: number) => fc.nat(n - 1);
const urlCmd = <T extends string>(t: T) => fc.record({ t: fc.constant(t), url: pick(URLS.length) });
const often = <T>(arbitrary: fc.Arbitrary<T>) => ({ weight: 3, arbitrary });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  often(
    fc.record({
      t: fc.constant('add' as const),
      url: pick(URLS.length),
      title: fc.constantFrom('', 'Raft', ' Paxos '),
      tags: fc.array(pick(TAGS.length), { maxLength: 2 }),
      note: fc.boolean(),
    }),
  ),
  fc.record(
    {
      t: fc.constant('update' as const),
      url: pick(URLS.length),
      title: fc.constantFrom('Edited', 'Other'),
      description: fc.constantFrom('Why', 'How'),
    },
    { requiredKeys: ['t', 'url'] },
  ),
  often(
    fc.record({
      t: fc.constant('setTags' as const),
      url: pick(URLS.length),
      tags: fc.array(pick(TAGS.length), { maxLength: 3 }),
    }),
  ),
  fc.record({ t: fc.constant('rename' as const), from: pick(TAGS.length), to: pick(TAGS.length) }),
  urlCmd('read'),
  urlCmd('unread'),
  urlCmd('trash'),
  urlCmd('restore'),
  urlCmd('purge'),
  often(urlCmd('note')),
  fc.constant({ t: 'emptyTrash' as const }),
  often(
    fc.record({
      t: fc.constant('changeUrl' as const),
      url: pick(URLS.length),
      to: pick(URLS.length),
    }),
  ),
  fc.record({
    t: fc.constant('publish' as const),
    url: pick(URLS.length),
    state: fc.constantFrom('publishing', 'published', 'failed'),
  }),
);

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ on: pick(3), cmd: cmdArb }) },
  { weight: 1, arbitrary: fc.record({ sync: fc.tuple(pick(3), pick(3)) }) },
);

/** Every replica starts from the same few links, so that concurrent edits meet on them. */
const SHARED_START: Step[] = [
  { on: 0, cmd: { t: 'add', url: 0, title: 'A', tags: [0], note: true } },
  { on: 0, cmd: { t: 'add', url: 2, title: 'B', tags: [1], note: true } },
  { sync: [0, 1] },
  { sync: [1, 2] },
];
export const stepsArb = fc
  .array(stepArb, { minLength: 5, maxLength: 50 })
  .map((steps) => [...SHARED_START, ...steps]);

interface Replica {
  doc: Y.Doc;
  model: ModelCollection;
  me: string;
}

/** Runs one command on the real replica and on the model; both must agree on refusals. */
function run(replica: Replica, cmd: Cmd, step: number): void {
  const { doc, model, me } = replica;
  const actor = { memberId: me, now: () => 1000 + step };
  const url = 'url' in cmd ? URLS[cmd.url]! : '';
  const id = url ? itemIdForUrl(url) : '';
  const note = `«${me} ${step}»`;
  switch (cmd.t) {
    case 'add': {
      const tags = cmd.tags.map((i) => TAGS[i]!);
      model.add(url, cmd.title, tags, cmd.note ? note : '', me, 1000 + step);
      addItem(doc, { url, title: cmd.title, tags, note: cmd.note ? note : undefined }, actor);
      return;
    }
    case 'update':
      model.update(id, cmd);
      updateItem(doc, id, { title: cmd.title, description: cmd.description }, actor);
      return;
    case 'setTags': {
      const tags = cmd.tags.map((i) => TAGS[i]!);
      model.setTags(id, tags);
      setTags(doc, id, tags, actor);
      return;
    }
    case 'rename':
      model.rename(TAGS[cmd.from]!, TAGS[cmd.to]!);
      renameTag(doc, TAGS[cmd.from]!, TAGS[cmd.to]!, actor);
      return;
    case 'read':
      model.markRead(id, me, 1000 + step);
      markRead(doc, [id], actor);
      return;
    case 'unread':
      model.markUnread(id, me);
      markUnread(doc, [id], actor);
      return;
    case 'trash':
      model.trash(id, me, 1000 + step);
      moveToTrash(doc, [id], actor);
      return;
    case 'restore':
      model.restore(id);
      restoreFromTrash(doc, [id], actor);
      return;
    case 'purge':
      model.purge([id]);
      purgeItems(doc, [id], actor);
      return;
    case 'emptyTrash':
      model.emptyTrash();
      emptyTrash(doc, actor);
      return;
    case 'note': {
      // Typed into the open item's note, as the note editor does.
      const open = itemAt(doc, id);
      if (!open) return;
      model.appendNote(id, note);
      doc.transact(() => {
        const text = noteForWriting(doc, open.id);
        text.insert(text.length, `${note}\n`);
      });
      return;
    }
    case 'publish': {
      const record = {
        target: 'site' as const,
        key: `k${step}`,
        by: me,
        at: step,
        state: cmd.state,
      };
      model.publish(id, record);
      recordPublication(doc, id, record, actor);
      return;
    }
    case 'changeUrl': {
      const expected = model.changeUrl(id, URLS[cmd.to]!);
      let actual: string;
      try {
        actual = changeItemUrl(doc, id, URLS[cmd.to]!, actor);
      } catch (error) {
        if (!(error instanceof UrlTakenError) && !(error instanceof ItemGoneError)) throw error;
        actual = error.name;
      }
      expect(actual).toBe(expected);
      return;
    }
  }
}

export function readable(rows: ItemRow[]): ModelRow[] {
  return rows
    .map((row) => ({
      id: row.id,
      url: row.url,
      host: row.host,
      title: row.title,
      description: row.description,
      tags: row.tags,
      note: row.note
        .split('\n')
        .filter((line) => line !== '')
        .sort(),
      addedAt: row.addedAt,
      addedBy: row.addedBy,
      deletedAt: row.deletedAt,
      readBy: row.readBy,
      status: row.status,
      publications: row.publications,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** Plays the steps on three replicas and the model, checking every replica read on the way. */
export function play(steps: readonly Step[], clientIds?: readonly number[]): Replica[] {
  const history = new History();
  const replicas = MEMBERS.map((me, i) => {
    const doc = new Y.Doc();
    // Which of two concurrent writes of a key Yjs keeps depends on the client ids.
    if (clientIds) doc.clientID = clientIds[i]!;
    return { doc, me, model: new ModelCollection(new ModelReplica(history, doc), doc.clientID) };
  });
  const check = (r: Replica) =>
    expect(readable(materializeAll(r.doc, r.me))).toEqual(r.model.rows(r.me));
  const sync = (i: number, j: number) => {
    const [a, b] = [replicas[i]!, replicas[j]!];
    exchange(a.doc, b.doc);
    a.model.replica.merge(b.model.replica);
    b.model.replica.merge(a.model.replica);
  };
  steps.forEach((step, n) => {
    if ('sync' in step) {
      sync(...step.sync);
      check(replicas[step.sync[0]]!);
      check(replicas[step.sync[1]]!);
      return;
    }
    const replica = replicas[step.on]!;
    run(replica, step.cmd, n);
    replica.model.replica.commit();
    check(replica);
  });
  sync(0, 1);
  sync(1, 2);
  sync(0, 1);
  for (const r of replicas) check(r);
  const rows = readable(materializeAll(replicas[0]!.doc, 'ana'));
  for (const r of replicas) expect(readable(materializeAll(r.doc, 'ana'))).toEqual(rows);
  return replicas;
}

describe('merging concurrent edits', () => {
  it('every replica reads what the documented semantics say, after every step and merge', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        play(steps);
      }),
      { numRuns: 300 },
    );
  });
});

const id = (url: number) => itemIdForUrl(URLS[url]!);
const rowsOf = (replica: Replica) => materializeAll(replica.doc, replica.me);
const on = (replica: number, cmd: Cmd): Step => ({ on: replica, cmd });
const everywhere: Step[] = [{ sync: [0, 1] }, { sync: [1, 2] }, { sync: [0, 1] }];
const add = (url: number, tags: number[] = [], title = ''): Cmd => ({
  t: 'add',
  url,
  title,
  tags,
  note: true,
});

describe('the documented semantics, case by case', () => {
  it('the same link saved on two replicas apart is one item with both tags and both notes', () => {
    const [a] = play([on(1, add(0, [0])), on(2, add(1, [1])), ...everywhere]);
    const rows = rowsOf(a!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: id(0), tags: ['consensus', 'crdt'] });
    expect(rows[0]!.note).toContain('«ben ');
    expect(rows[0]!.note).toContain('«cy ');
  });

  it('an edit made while another replica moved the item to Trash is there after Restore', () => {
    const [a] = play([
      on(0, add(2, [], 'Before')),
      ...everywhere,
      on(0, { t: 'trash', url: 2 }),
      on(1, { t: 'update', url: 2, title: 'Edited meanwhile' }),
      on(1, { t: 'note', url: 2 }),
      ...everywhere,
      on(0, { t: 'restore', url: 2 }),
    ]);
    expect(rowsOf(a!)[0]).toMatchObject({ status: 'unread', title: 'Edited meanwhile' });
    expect(rowsOf(a!)[0]!.note).toContain('«ben ');
  });

  it.each([
    [1, 2, 3],
    [2, 1, 3],
  ])(
    'a tag added on two replicas stays when one removes it having seen only its own add (client ids %i, %i)',
    (...clientIds) => {
      const replicas = play(
        [
          on(0, add(2)),
          ...everywhere,
          on(0, { t: 'setTags', url: 2, tags: [0] }),
          on(1, { t: 'setTags', url: 2, tags: [0] }),
          on(0, { t: 'setTags', url: 2, tags: [] }),
          ...everywhere,
        ],
        clientIds,
      );
      for (const replica of replicas) expect(rowsOf(replica)[0]!.tags).toEqual(['crdt']);
    },
  );

  it('a link saved again on one replica while another empties Trash is kept', () => {
    const [a] = play([
      on(0, add(2, [], 'First')),
      on(0, { t: 'trash', url: 2 }),
      ...everywhere,
      on(0, { t: 'emptyTrash' }),
      on(1, add(2, [1], 'Saved again')),
      ...everywhere,
    ]);
    const [row] = rowsOf(a!);
    expect(row).toMatchObject({
      status: 'unread',
      title: 'First',
      addedAt: 1000,
      tags: ['consensus'],
    });
    expect(row!.note).toBe('«ben 6»\n');
  });
});

describe('changing a URL, case by case', () => {
  it('carries tags, note, read marks and the publication record to the new id', () => {
    const [a, b] = play([
      on(0, add(2, [0], 'Jepsen')),
      on(0, { t: 'read', url: 2 }),
      on(0, { t: 'publish', url: 2, state: 'published' }),
      on(0, { t: 'changeUrl', url: 2, to: 3 }),
      ...everywhere,
    ]);
    for (const replica of [a!, b!]) {
      const rows = rowsOf(replica);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id: id(3),
        url: URLS[3],
        title: 'Jepsen',
        tags: ['crdt'],
        readBy: { ana: expect.any(Number) },
        publications: { site: { key: 'k2', state: 'published' } },
      });
      expect(rows[0]!.note).toContain('«ana 0»');
    }
  });

  it('an edit made on the old id before hearing of the move shows on the moved item', () => {
    const [a] = play([
      on(0, add(2, [0], 'Old title')),
      ...everywhere,
      on(0, { t: 'changeUrl', url: 2, to: 3 }),
      on(1, { t: 'update', url: 2, title: 'Edited meanwhile' }),
      on(1, { t: 'setTags', url: 2, tags: [0, 1] }),
      on(1, { t: 'read', url: 2 }),
      ...everywhere,
    ]);
    expect(rowsOf(a!)).toMatchObject([
      { id: id(3), title: 'Edited meanwhile', tags: ['consensus', 'crdt'], readBy: { ben: 1007 } },
    ]);
  });

  it('text typed into the old note meanwhile is kept in the moved note', () => {
    const [a, b] = play([
      on(0, add(2)),
      ...everywhere,
      on(0, { t: 'changeUrl', url: 2, to: 3 }),
      on(1, { t: 'note', url: 2 }),
      ...everywhere,
    ]);
    for (const replica of [a!, b!]) {
      const [row] = rowsOf(replica);
      expect(row!.id).toBe(id(3));
      expect(row!.note).toContain('«ana 0»');
      // A blank line apart: the text under the old id is a part of its own (data-model.md, Notes).
      expect(row!.note).toBe('«ana 0»\n\n«ben 5»\n');
    }
  });

  it('moving to a URL another replica saves at the same time gives one item with both', () => {
    const [a] = play([
      on(0, add(2, [0])),
      on(0, { t: 'changeUrl', url: 2, to: 3 }),
      on(1, add(3, [1])),
      ...everywhere,
    ]);
    const rows = rowsOf(a!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: id(3), tags: ['consensus', 'crdt'] });
    expect(rows[0]!.note).toContain('«ana 0»');
    expect(rows[0]!.note).toContain('«ben 2»');
  });

  it('two replicas moving the same item to different URLs leave one item per URL', () => {
    const [a] = play([
      on(0, add(2, [0])),
      ...everywhere,
      on(0, { t: 'changeUrl', url: 2, to: 3 }),
      on(1, { t: 'changeUrl', url: 2, to: 0 }),
      ...everywhere,
    ]);
    const rows = rowsOf(a!);
    expect(rows.map((row) => row.id).sort()).toEqual([id(0), id(3)].sort());
    for (const row of rows) expect(row).toMatchObject({ tags: ['crdt'], note: '«ana 0»\n' });
  });

  it('moves that meet in a cycle keep everything in one item', () => {
    const [a, b] = play([
      on(0, add(2, [0])),
      on(1, add(3, [1])),
      on(0, { t: 'changeUrl', url: 2, to: 3 }),
      on(1, { t: 'changeUrl', url: 3, to: 2 }),
      ...everywhere,
    ]);
    for (const replica of [a!, b!]) {
      const rows = rowsOf(replica);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.tags).toEqual(['consensus', 'crdt']);
      expect(rows[0]!.note).toContain('«ana 0»');
      expect(rows[0]!.note).toContain('«ben 1»');
    }
  });

  it('moving back to the old URL brings the item back under its old id', () => {
    const [a] = play([
      on(0, add(2, [0])),
      on(0, { t: 'changeUrl', url: 2, to: 3 }),
      on(0, { t: 'changeUrl', url: 3, to: 2 }),
      on(0, { t: 'setTags', url: 2, tags: [1] }),
    ]);
    expect(rowsOf(a!)).toMatchObject([{ id: id(2), tags: ['consensus'], note: '«ana 0»\n' }]);
  });

  it('refuses a URL another item has, and keeps the id for another spelling of the same URL', () => {
    const doc = new Y.Doc();
    const actor = { memberId: 'ana' };
    const a = addItem(doc, { url: URLS[0]!, title: 'First' }, actor).id;
    const b = addItem(doc, { url: URLS[2]!, title: 'Second' }, actor).id;
    expect(() => changeItemUrl(doc, b, 'https://www.example.com/a', actor)).toThrow(
      'Already saved as “First”',
    );
    expect(changeItemUrl(doc, a, 'http://example.com/a?utm_medium=x', actor)).toBe(a);
    expect(materializeAll(doc, 'ana').find((row) => row.id === a)!.url).toBe(
      'http://example.com/a',
    );
  });

  it('a moved pick keeps its blurb, its headline and the Bluesky posts it had removed', () => {
    const doc = new Y.Doc();
    const actor = { memberId: 'ana', now: () => 5 };
    const id = addItem(doc, { url: URLS[2]!, title: 'Jepsen' }, actor).id;
    setPublicationBlurb(doc, id, 'bluesky', 'Read this one.', actor);
    setPublicationHeadline(doc, id, 'Jepsen, again', actor);
    markRemoved(doc, id, 'bluesky', '3kabc', actor);
    const moved = changeItemUrl(doc, id, URLS[3]!, actor);
    expect(getPublicationBlurb(doc, moved, 'bluesky')).toBe('Read this one.');
    expect(getPublicationHeadline(doc, moved)).toBe('Jepsen, again');
    expect(isRemovedKey(doc, moved, '3kabc')).toBe(true);
  });
});
