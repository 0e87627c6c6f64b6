// A library whose invite is a reader's, or withdrawn, refuses edits itself: nothing is written,
// nothing waits in the queue, and nothing is left pending for a hub that would drop it.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as Y from 'yjs';
import { SCHEMA_VERSION } from '../../shared/collection';
import type { Member } from '../../shared/model';
import { REFUSAL_REASONS, type RefusalReason } from '../../shared/sync';
import {
  AccessControl,
  checkInvite,
  readInviteClaims,
  readOnlyReason,
  refusalKind,
} from './access';
import { CollectionDb } from './db';
import { LocalLibrary, ReadOnlyError } from './library';
import { InlineSearch } from './search-client';

const me: Member = { id: 'cy', name: 'Cy', color: '#2563eb' };
const NOW = Date.UTC(2025, 0, 1);

/** A token as the hub mints it; only the hub can check the signature, so any will do here. */
function token(claims: Record<string, unknown>): string {
  const payload = Buffer.from(
    JSON.stringify({ v: 1, c: 'c1', m: 'cy', i: 'tok-12345', ...claims }),
  );
  return `${payload.toString('base64url')}.c2lnbmF0dXJl`;
}

const reader = token({ r: 'reader', x: NOW / 1000 + 3600 });
const editor = token({ r: 'editor', x: NOW / 1000 + 3600 });

function create(hubToken: string | null) {
  return LocalLibrary.create({
    collectionId: 'c1',
    me,
    db: new CollectionDb('c1', new IDBFactory(), IDBKeyRange),
    search: new InlineSearch(),
    hub: hubToken ? { url: 'ws://127.0.0.1:9', token: hubToken } : null,
    now: () => NOW,
  });
}

describe('invite claims', () => {
  it('reads the role and expiry from the token without its secret', () => {
    expect(readInviteClaims(reader)).toEqual({ role: 'reader', expiresAt: NOW + 3_600_000 });
    expect(readInviteClaims(editor)?.role).toBe('editor');
  });

  it('reads nothing from what is not a token', () => {
    for (const bad of [
      '',
      'x',
      'not base64!.sig',
      token({ r: 'owner', x: 1 }),
      token({ r: 'reader' }),
    ])
      expect(readInviteClaims(bad)).toBeNull();
  });

  it("tells an expired invite from a withdrawn one by the hub's reason code", () => {
    const claims = readInviteClaims(editor);
    const expected: Record<RefusalReason, 'withdrawn' | 'expired' | null> = {
      revoked: 'withdrawn',
      'bad-signature': 'withdrawn',
      malformed: 'withdrawn',
      'no-token': 'withdrawn',
      expired: 'expired',
      'other-collection': null,
      'bad-room': null,
    };
    for (const reason of REFUSAL_REASONS) {
      expect(refusalKind(reason, claims, NOW), reason).toBe(expected[reason]);
      expect(refusalKind(reason, null, NOW), reason).toBe(expected[reason]);
    }
    // Revoked after the invite ran out: the plainer story is the expiry.
    expect(refusalKind('revoked', claims, NOW + 3_600_000)).toBe('expired');
  });

  it("shows what the hub's code says, whatever its words", () => {
    const access = new AccessControl(() => NOW);
    access.useToken(editor);
    access.withdraw('other-collection');
    expect(access.get()).toEqual({ kind: 'editor', confirmed: false });
    access.withdraw('revoked');
    expect(access.get()).toEqual({ kind: 'withdrawn' });
    expect(readOnlyReason(access.get())).toMatch(/^Your access to this collection was withdrawn/);
    access.useToken(editor);
    access.withdraw('expired');
    expect(access.get()).toEqual({ kind: 'expired' });
    expect(readOnlyReason(access.get())).toMatch(/^Your access to this collection expired/);
  });

  it("reads the hub's check answer, and refuses one without a reason code", async () => {
    const answering =
      (status: number, body: unknown): typeof fetch =>
      async () =>
        new Response(JSON.stringify(body), { status });
    const refused = { ok: false, reason: 'revoked', error: 'The hub refused this invite: x.' };
    await expect(
      checkInvite('ws://hub.test', 'c1', editor, answering(401, refused)),
    ).resolves.toEqual(refused);
    const granted = { ok: true, member: 'cy', role: 'reader' };
    await expect(
      checkInvite('ws://hub.test', 'c1', editor, answering(200, granted)),
    ).resolves.toEqual(granted);
    const wordsOnly = { ok: false, error: 'The hub refused this invite: the token has expired.' };
    await expect(
      checkInvite('ws://hub.test', 'c1', editor, answering(401, wordsOnly)),
    ).rejects.toThrow(/HTTP 401/);
  });

  it('waits for the hub when the role cannot be read, and expires an old invite at once', () => {
    const access = new AccessControl(() => NOW);
    access.useToken('opaque.token');
    expect(access.get()).toEqual({ kind: 'checking' });
    expect(access.readOnly).toBe(true);
    access.confirm('editor');
    expect(access.readOnly).toBe(false);
    access.useToken(token({ r: 'editor', x: NOW / 1000 - 1 }));
    expect(access.get()).toEqual({ kind: 'expired' });
  });
});

describe('a read-only library', () => {
  it('refuses an edit before the log has loaded, and queues nothing', async () => {
    const lib = create(reader);
    expect(lib.readOnly).toBe(true);
    expect(() => lib.addLink({ url: 'https://example.com/a' })).toThrow(ReadOnlyError);
    expect(() => lib.markRead(['x'])).toThrow(/your invite is a reader’s/);
    expect(lib.pendingWrites()).toBe(0);
    await lib.load();
    expect(lib.store.all()).toEqual([]);
    expect(lib.pendingWrites()).toBe(0);
    await lib.close();
  });

  it('refuses every edit after loading, writes nothing, and keeps pending at 0', async () => {
    const lib = create(reader);
    await lib.load();
    const updates: Uint8Array[] = [];
    lib.doc.on('update', (update: Uint8Array) => updates.push(update));
    const edits: Array<() => unknown> = [
      () => lib.addLinks([{ url: 'https://example.com/a' }]),
      () => lib.updateItem('x', { title: 'T' }),
      () => lib.setTags('x', ['t']),
      () => lib.addTags(['x'], ['t']),
      () => lib.removeTags(['x'], ['t']),
      () => lib.renameTag('a', 'b'),
      () => lib.deleteTag('a'),
      () => lib.markRead(['x']),
      () => lib.markUnread(['x']),
      () => lib.moveToTrash(['x']),
      () => lib.restore(['x']),
      () => lib.emptyTrash(),
      () => lib.fetchDetails([{ id: 'x', url: 'https://example.com/x' }]),
      () => lib.updateProfile({ ...me, name: 'Cyrus' }),
    ];
    for (const edit of edits.slice(0, -1)) expect(edit).toThrow(ReadOnlyError);
    edits.at(-1)!();
    expect(updates).toEqual([]);
    expect(lib.doc.getMap('members').size).toBe(0);
    expect(lib.pendingWrites()).toBe(0);
    await lib.close();
  });

  it('drops actions queued before loading when the invite turns out to be withdrawn', async () => {
    const lib = create(editor);
    lib.addLink({ url: 'https://example.com/early' });
    expect(lib.pendingWrites()).toBe(1);
    lib.access.withdraw('revoked');
    expect(lib.pendingWrites()).toBe(0);
    await lib.load();
    expect(lib.store.all()).toEqual([]);
    await lib.close();
  });

  it('has each change encoded once: the log takes the encoding the hub connection listens to', async () => {
    const lib = create(null);
    await lib.load();
    expect(lib.doc._observers.has('update')).toBe(false);
    // Never connecting, so no socket is ever made.
    const WebSocketPolyfill = class {} as unknown as typeof WebSocket;
    lib.connect({ url: 'ws://127.0.0.1:9', token: editor }, { connect: false, WebSocketPolyfill });
    expect(lib.doc._observers.has('updateV2')).toBe(false);
    lib.disconnect();
    expect(lib.doc._observers.has('update')).toBe(false);
    expect(lib.doc._observers.has('updateV2')).toBe(true);
    await lib.close();
  });

  it('is editable again once it stops syncing', async () => {
    const lib = create(reader);
    await lib.load();
    lib.disconnect();
    expect(lib.readOnly).toBe(false);
    lib.addLink({ url: 'https://example.com/mine' });
    expect(lib.store.all()).toHaveLength(1);
    await lib.close();
  });

  it('reads a collection a newer Curio saved, and changes nothing in it, whatever the invite', async () => {
    const lib = create(null);
    await lib.load();
    lib.addLink({ url: 'https://example.com/before' });
    expect(lib.readOnly).toBe(false);
    // Another maintainer's newer app writes the version it knows.
    const newer = new Y.Doc();
    Y.applyUpdate(newer, Y.encodeStateAsUpdate(lib.doc));
    newer.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 1);
    Y.applyUpdate(lib.doc, Y.encodeStateAsUpdate(newer));

    expect(lib.readOnly).toBe(true);
    expect(readOnlyReason(lib.access.get())).toMatch(/newer version of Curio/);
    const updates: Uint8Array[] = [];
    lib.doc.on('update', (update: Uint8Array) => updates.push(update));
    expect(() => lib.addLink({ url: 'https://example.com/after' })).toThrow(ReadOnlyError);
    const [row] = lib.store.all();
    expect(() => lib.markRead([row!.id])).toThrow(ReadOnlyError);
    expect(() => lib.changeUrl(row!.id, 'https://example.com/moved')).toThrow(ReadOnlyError);
    expect(updates).toEqual([]);
    // The role stays what it was underneath: an editor's invite does not lift it.
    lib.access.confirm('editor');
    expect(lib.readOnly).toBe(true);
    await lib.close();
  });
});
