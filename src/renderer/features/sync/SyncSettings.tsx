// Settings → Sync: join a shared collection with an invite link, see how to invite others, and
// switch between the collections on this device.
import { useId, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { InvalidInviteError, inviteMemberName, parseInvite } from '../../../shared/model';
import { isPlainRemoteHubUrl } from '../../../shared/sync';
import {
  createCollection,
  joinWithInvite,
  leaveHub,
  listCollections,
  switchCollection,
} from '../../data/collections';
import { useLocalLibraryHandle, useSyncStatus, useWorkspace } from '../../data/hooks';
import { DEFAULT_MEMBER_NAME } from '../../data/open';
import { SettingsSection } from '../settings/SettingsSection';
import './sync.css';

/**
 * Opening another collection means another database and document: start from a clean page, once
 * every change to this one is on disk (the page would otherwise ask whether to leave).
 */
async function reopen(library: { saved(): Promise<void> }): Promise<void> {
  await library.saved();
  window.location.reload();
}

export function SyncSettings() {
  const { collection } = useWorkspace();
  const status = useSyncStatus();
  const { invite, setInvite, error, hub, unsafeHub, setUnsafeHub, join, stop } = useHubMembership();
  const inviteId = useId();

  return (
    <SettingsSection title="Sync">
      {hub ? (
        <p className="settings__text">
          This collection syncs through <strong>{hub.url}</strong>
          {status?.state === 'refused' ? <> — refused: {status.error}</> : null}.{' '}
          <button type="button" className="button button--quiet" onClick={() => void stop()}>
            Stop syncing
          </button>
        </p>
      ) : (
        <p className="settings__text">This collection is only on this device.</p>
      )}
      <label htmlFor={inviteId} className="settings__text">
        Invite link
      </label>
      <div className="sync-settings__row">
        <textarea
          id={inviteId}
          value={invite}
          placeholder="curio://join?hub=…&collection=…&token=…"
          onChange={(e) => setInvite(e.target.value)}
          spellCheck={false}
        />
        <button
          type="button"
          className="button button--primary"
          onClick={() => void join()}
          disabled={!invite.trim() || unsafeHub !== null}
        >
          Join
        </button>
      </div>
      {unsafeHub ? (
        <PlainHubWarning
          hub={unsafeHub}
          onCancel={() => setUnsafeHub(null)}
          onJoin={() => void join(true)}
        />
      ) : null}
      {error ? (
        <p className="sync-settings__error" role="alert">
          {error}
        </p>
      ) : null}
      <ShareInstructions collectionId={collection.id} />
    </SettingsSection>
  );
}

/** The hub this collection syncs through: joining one with an invite, and leaving it. */
function useHubMembership() {
  const { app, collection } = useWorkspace();
  const library = useLocalLibraryHandle();
  const [invite, setInvite] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [hub, setHub] = useState(collection.hub ?? null);
  /** A plain ws:// hub on another machine, waiting for the person to accept the risk. */
  const [unsafeHub, setUnsafeHub] = useState<string | null>(null);

  const join = async (acceptPlainWs = false) => {
    setError(null);
    setUnsafeHub(null);
    try {
      const parsed = parseInvite(invite);
      if (isPlainRemoteHubUrl(parsed.hub) && !acceptPlainWs) {
        setUnsafeHub(parsed.hub);
        return;
      }
      // Until someone picks a name, the one their invite was made out to is the best guess.
      const invitedAs = inviteMemberName(parsed.token);
      if (invitedAs && library.me.name === DEFAULT_MEMBER_NAME) {
        const me = { ...library.me, name: invitedAs };
        await app.putSetting('me', me);
        library.updateProfile(me);
      }
      const outcome = await joinWithInvite(app, collection.id, parsed);
      if (!outcome.sameCollection) return reopen(library);
      library.connect({ url: parsed.hub, token: parsed.token });
      setHub({ url: parsed.hub, token: parsed.token });
      setInvite('');
    } catch (e) {
      setError(
        e instanceof InvalidInviteError ? e.message : `Could not join: ${(e as Error).message}`,
      );
    }
  };

  const stop = async () => {
    await leaveHub(app, collection.id);
    library.disconnect();
    setHub(null);
  };
  return { invite, setInvite, error, hub, unsafeHub, setUnsafeHub, join, stop };
}

function PlainHubWarning({
  hub,
  onCancel,
  onJoin,
}: {
  hub: string;
  onCancel: () => void;
  onJoin: () => void;
}) {
  return (
    <div className="sync-settings__warning" role="alert">
      <p className="settings__text">
        This invite connects to <strong>{hub}</strong> without encryption (ws://, not wss://).
        Anyone on the network between you and that machine could read your invite and use it to read
        and change the collection. Ask whoever runs the hub for a wss:// invite.
      </p>
      <div className="sync-settings__row">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button button--danger" onClick={onJoin}>
          Join without encryption
        </button>
      </div>
    </div>
  );
}

/** How to start a hub and mint invites for this collection. */
function ShareInstructions({ collectionId }: { collectionId: string }) {
  return (
    <details>
      <summary className="settings__text">Share this collection with other maintainers</summary>
      <p className="settings__text">
        Start a hub on a machine everyone can reach, with TLS (--tls-cert, --tls-key) or behind a
        proxy that serves it, then mint one invite per person (you too):
      </p>
      <code className="sync-settings__code">npm run hub -- --port 4455 --data ./hub-data</code>
      <code className="sync-settings__code">
        {`npm run hub -- token --collection ${collectionId} --member NAME --role editor --hub wss://HOST:4455`}
      </code>
      <p className="settings__text">
        Paste your own link above and press Join; send the others theirs. Collection id:{' '}
        <strong className="sync-settings__id">{collectionId}</strong>
      </p>
    </details>
  );
}

export function CollectionSettings() {
  const { app, collection } = useWorkspace();
  const library = useLocalLibraryHandle();
  const collections = useLiveQuery(() => listCollections(app), [app]);
  const [name, setName] = useState('');
  return (
    <SettingsSection title="Collections">
      <ul className="sync-settings__collections">
        {(collections ?? []).map((c) => (
          <li key={c.id} className="sync-settings__row">
            <span className="settings__text">
              {c.id === collection.id ? <strong>{c.name} (open)</strong> : c.name}
              {c.hub ? ' · shared' : ''}
            </span>
            {c.id !== collection.id ? (
              <button
                type="button"
                className="button button--quiet"
                onClick={() => void switchCollection(app, c.id).then(() => reopen(library))}
              >
                Open
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <div className="sync-settings__row">
        <input
          aria-label="New collection name"
          placeholder="New collection name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button
          type="button"
          className="button"
          disabled={!name.trim()}
          onClick={() => void createCollection(app, name).then(() => reopen(library))}
        >
          New collection
        </button>
      </div>
    </SettingsSection>
  );
}
