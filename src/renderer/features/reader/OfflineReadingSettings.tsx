// Settings → "Offline reading": whether articles are kept, which ones, what they take on disk,
// removing them, whether links others added may reach this device's network, and the bookmarklet
// that sends a page from the browser to Curio.
import { useEffect, useId, useRef, useState } from 'react';
import { QUICK_CAPTURE_PATH, bookmarklet } from '../../../shared/quick-capture';
import { useOfflineReading } from '../../data/snapshots-hooks';
import type { KeepSnapshots } from '../../data/snapshots-policy';
import { SettingsSection } from '../settings/SettingsSection';
import './reader.css';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Where this window's quick capture lives: the protocol in the desktop app, /add in web mode. */
function captureTarget(): string {
  return location.protocol === 'curio:' ? 'curio://add' : location.origin + QUICK_CAPTURE_PATH;
}

type OfflineReading = NonNullable<ReturnType<typeof useOfflineReading>>;

export function OfflineReadingSettings() {
  const offline = useOfflineReading();
  const ids = { keep: useId(), last: useId(), local: useId() };
  if (!offline) return null;
  const { settings, set } = offline;
  return (
    <SettingsSection title="Offline reading">
      <label className="settings__choice">
        <input
          type="checkbox"
          checked={settings.enabled}
          onChange={(e) => void set({ enabled: e.target.checked })}
        />
        Keep articles on this device to read offline
      </label>
      <KeepChoice offline={offline} legendId={ids.keep} countId={ids.last} />
      <SnapshotUsage offline={offline} />
      <label className="settings__choice" htmlFor={ids.local}>
        <input
          id={ids.local}
          type="checkbox"
          checked={settings.allowLocalNetwork}
          onChange={(e) => void set({ allowLocalNetwork: e.target.checked })}
        />
        Allow local network addresses for links from others
      </label>
      <p className="settings__text settings__hint">
        Off: a link another maintainer added is never fetched from this computer, your router or
        anything else on your network. Your own links always may be.
      </p>
      <Bookmarklet />
    </SettingsSection>
  );
}

/** Which articles are kept: all links, the unread ones, or the last so many. */
function KeepChoice({
  offline: { settings, set },
  legendId,
  countId,
}: {
  offline: OfflineReading;
  legendId: string;
  countId: string;
}) {
  const keep = settings.keep;
  const lastCount = keep.kind === 'last' ? keep.count : 100;
  const choose = (next: KeepSnapshots) => void set({ keep: next });
  return (
    <fieldset className="offline-settings__keep" disabled={!settings.enabled}>
      <legend id={legendId}>Keep snapshots of</legend>
      <label className="settings__choice">
        <input
          type="radio"
          name="keep"
          checked={keep.kind === 'all'}
          onChange={() => choose({ kind: 'all' })}
        />
        All links
      </label>
      <label className="settings__choice">
        <input
          type="radio"
          name="keep"
          checked={keep.kind === 'unread'}
          onChange={() => choose({ kind: 'unread' })}
        />
        Unread links
      </label>
      <label className="settings__choice">
        <input
          type="radio"
          name="keep"
          checked={keep.kind === 'last'}
          onChange={() => choose({ kind: 'last', count: lastCount })}
        />
        The last
        <input
          id={countId}
          className="offline-settings__count"
          type="number"
          min={1}
          max={1_000_000}
          aria-label="Number of links to keep"
          value={lastCount}
          onChange={(e) => {
            const count = Math.round(Number(e.target.value));
            if (count >= 1 && count <= 1_000_000) choose({ kind: 'last', count });
          }}
        />
        links
      </label>
    </fieldset>
  );
}

/** What the kept articles take on disk, and removing them all after a second click. */
function SnapshotUsage({ offline }: { offline: OfflineReading }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="offline-settings__usage">
      <p className="settings__text" aria-live="polite">
        Storage used: {formatBytes(offline.bytes)} for{' '}
        {offline.count === 1 ? '1 article' : `${offline.count.toLocaleString('en')} articles`}
      </p>
      {confirming ? (
        <span className="offline-settings__confirm" role="group" aria-label="Confirm removal">
          {offline.settings.enabled ? 'They are fetched again unless offline reading is off. ' : ''}
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              setConfirming(false);
              void offline.removeAll();
            }}
          >
            Remove {offline.count === 1 ? '1 snapshot' : `${offline.count} snapshots`}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="button"
          disabled={offline.count === 0}
          onClick={() => setConfirming(true)}
        >
          Remove all snapshots
        </button>
      )}
    </div>
  );
}

function Bookmarklet() {
  const link = useRef<HTMLAnchorElement>(null);
  const code = bookmarklet(captureTarget());
  // Set outside React, which refuses javascript: links; this one is Curio's own, never a page's.
  useEffect(() => {
    link.current?.setAttribute('href', code);
  }, [code]);
  return (
    <div className="offline-settings__bookmarklet">
      <p className="settings__text">
        Drag this to your browser’s bookmarks bar, then click it on any page to add it to Curio
        (with the words you selected as its note):{' '}
        <a
          ref={link}
          className="button offline-settings__drag"
          onClick={(e) => e.preventDefault()}
          draggable
        >
          Add to Curio
        </a>
      </p>
    </div>
  );
}
