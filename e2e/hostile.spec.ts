// A co-maintainer with a valid editor invite writes values Curio never would, with a stock
// y-websocket client: a number as a title, an object as a description, a Y.Map as a title, a
// member record without a name, a `data:` URL on a publication. Every other member's app keeps
// showing the list, searching and opening links, and still does after a reload.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { itemIdForUrl, primaryNote } from '../src/shared/collection';
import { tokenFor } from '../src/hub/test-kit';
import { expect, test } from './support/fixtures';
import { useSpecHub } from './support/hub';
import { LibraryPage } from './pages/LibraryPage';
import { SyncSettings } from './pages/SyncSettings';

const hub = useSpecHub();

const RAFT = 'https://raft.github.io/';
const JEPSEN = 'https://jepsen.io/analyses';
const INVENTED = 'https://invented.example/huge';

/** Another member's stock client, connected with an editor token, once it has the document. */
async function strangerClient(collection: string): Promise<{ doc: Y.Doc; leave: () => void }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(hub.url, collection, doc, {
    params: { token: tokenFor(collection, 'editor', 'Mallory') },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', () => resolve());
  });
  return { doc, leave: () => provider.destroy() };
}

function writeNonsense(doc: Y.Doc): void {
  const items = doc.getMap('items');
  const raft = itemIdForUrl(RAFT);
  const jepsen = itemIdForUrl(JEPSEN);
  const invented = itemIdForUrl(INVENTED);
  doc.transact(() => {
    items.set(`${raft}/title`, 42);
    items.set(`${raft}/description`, { html: '<b>bold</b>' });
    items.set(`${raft}/addedAt`, 'yesterday');
    items.set(`${jepsen}/title`, new Y.Map());
    items.set(`${jepsen}/addedAt`, 1e20);
    // A link nobody saved through Curio, with a title of a million characters.
    items.set(`${invented}/url`, INVENTED);
    items.set(`${invented}/title`, `Huge ${'x'.repeat(1_000_000)}`);
    items.set(`${invented}/addedAt`, Date.now());
    items.set(`${itemIdForUrl('https://evil.example/')}/url`, 'javascript:alert(1)');
    const members = doc.getMap('members');
    members.set('nobody', null);
    members.set('nameless', { id: 'nameless', color: '#123456' });
    const tags = doc.getMap('tags');
    tags.set(`${raft}/false-tag@1`, false);
    tags.set(`${raft}/`, true);
    tags.set(`${raft}/${'x'.repeat(5000)}`, true);
    const publications = doc.getMap('publications');
    publications.set(`${raft}/site`, {
      target: 'site',
      key: 'k1',
      by: 'mallory',
      at: 1,
      state: 'published',
      url: 'data:text/html,<script>alert(1)</script>',
    });
    publications.set(`${jepsen}/bluesky`, {
      target: 'bluesky',
      key: 'k2',
      by: 'mallory',
      at: 1,
      state: 'published',
      url: 'javascript:alert(1)',
    });
    doc.getMap('meta').set('siteBaseUrl', 'javascript:alert(1)');
  });
}

async function expectStillWorking(library: LibraryPage): Promise<void> {
  const { page } = library;
  await library.openView('All');
  // Titles that cannot be read fall back to the URL; the rows carry the quiet mark.
  const raft = library.row(RAFT);
  await expect(raft).toBeVisible();
  await expect(raft.getByRole('img', { name: 'Some details could not be read' })).toBeVisible();
  await expect(library.row(JEPSEN)).toBeVisible();
  await expect(library.row('Huge xxx')).toBeVisible();
  await expect(library.rows()).toHaveCount(3);

  await library.searchFor('jepsen');
  await expect(library.rows()).toHaveCount(1);
  await expect(library.row(JEPSEN)).toBeVisible();
  await library.searchFor('');

  await library.select(RAFT);
  await expect(library.detail.root).toContainText('Some details could not be read');
  await expect(library.detail.root).toContainText('Read by Mallory');
  await expect(library.detail.root.getByRole('link', { name: /raft\.github\.io/ })).toHaveAttribute(
    'href',
    RAFT,
  );
  // The badge of a record whose URL is not http(s) is a label, not a link.
  await expect(library.detail.root.getByText('On site').first()).toBeVisible();
  await expect(page.locator('a[href]:not([href^="http:"]):not([href^="https:"])')).toHaveCount(0);
}

test('a member’s app keeps working when another member’s client writes nonsense', async ({
  page,
  app,
}) => {
  const library = await LibraryPage.open(page, app.url);
  await library.addLink({ url: RAFT, title: 'In Search of an Understandable Consensus Algorithm' });
  await library.addLink({ url: JEPSEN, title: 'Jepsen analyses', tags: 'testing' });

  const sync = new SyncSettings(page);
  const collection = await sync.collectionId();
  await sync.join(hub.invite(collection, 'Ana'));
  await sync.synced();
  await sync.close();

  const stranger = await strangerClient(collection);
  writeNonsense(stranger.doc);
  // After nonsense, a proper record and read mark still reach the member list and the detail.
  stranger.doc.transact(() => {
    stranger.doc
      .getMap('members')
      .set('mallory', { id: 'mallory', name: 'Mallory', color: '#7c3aed' });
    stranger.doc.getMap('reads').set(`${itemIdForUrl(RAFT)}/mallory`, Date.now());
  });
  await expectStillWorking(library);
  stranger.leave();

  await library.saved();
  await page.reload();
  await library.ready();
  await expectStillWorking(library);
});

test('an embed written into the note a member has open neither hangs the page nor shifts their typing', async ({
  page,
  app,
}) => {
  const library = await LibraryPage.open(page, app.url);
  await library.addLink({ url: RAFT, title: 'Raft' });
  const sync = new SyncSettings(page);
  const collection = await sync.collectionId();
  await sync.join(hub.invite(collection, 'Ana'));
  await sync.synced();
  await sync.close();

  await library.select('Raft');
  await library.detail.writeNote('before after');
  const stranger = await strangerClient(collection);
  const id = itemIdForUrl(RAFT);
  await expect.poll(() => primaryNote(stranger.doc, id)?.toString()).toContain('before after');
  const note = primaryNote(stranger.doc, id)!;
  // An object where characters belong, right after "before".
  note.insertEmbed('before'.length, { image: 'https://evil.example/x.png' });

  // The page still answers, shows the embed as one placeholder, and a key typed after "after"
  // lands after "after" in everyone's copy: the editor's positions are the text's positions.
  await expect(library.detail.note).toContainText('before\uFFFC after');
  await library.detail.note.press('End');
  await library.detail.note.pressSequentially('!');
  await expect.poll(() => note.toString()).toBe('before after!');
  expect(note.toDelta()).toEqual([
    { insert: 'before' },
    { insert: { image: 'https://evil.example/x.png' } },
    { insert: ' after!' },
  ]);
  stranger.leave();
});
