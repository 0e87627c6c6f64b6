// Settings → Bluesky: which account posts the picks. The app password goes straight to the main
// process, which logs in with it and keeps it only if that works; this page never sees it again.
// What was typed is kept when the service cannot be reached: the account settings are saved and
// the password stays in its field for the next try.
import { useEffect, useId, useState } from 'react';
import {
  BlueskySettingsSchema,
  DEFAULT_BLUESKY_SERVICE,
  vaultNames,
  type BlueskySettings,
  type CredentialStorage,
} from '../../../shared/publish';
import { useLocalLibraryHandle, useWorkspace } from '../../data/hooks';
import { saveBlueskySettings } from '../../data/publish-settings';
import { getDesktopApi } from '../../platform/desktop';
import { SettingsSection } from '../settings/SettingsDialog';
import { usePublishSettings } from './usePublishSettings';
import './publish.css';
import { SettingsResult, outcomeOfError, type SettingsOutcome } from './SettingsResult';

export function BlueskySettingsSection() {
  const view = usePublishSettings();
  return (
    <SettingsSection title="Bluesky">
      {view.loaded ? <BlueskyForm saved={view.bluesky} /> : null}
    </SettingsSection>
  );
}

function BlueskyForm({ saved }: { saved: BlueskySettings | null }) {
  const { app } = useWorkspace();
  const library = useLocalLibraryHandle();
  const [serviceUrl, setServiceUrl] = useState(saved?.serviceUrl ?? DEFAULT_BLUESKY_SERVICE);
  const [identifier, setIdentifier] = useState(saved?.identifier ?? '');
  const [langs, setLangs] = useState(saved?.langs.join(', ') ?? '');
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState<SettingsOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [stored, setStored] = useState<string[]>([]);
  const [storage, setStorage] = useState<CredentialStorage | null>(null);
  const id = useId();

  useEffect(() => {
    getDesktopApi()
      .storedCredentials()
      .then(setStored, () => setStored([]));
  }, [status]);
  useEffect(() => {
    getDesktopApi()
      .credentialStorage()
      .then(setStorage, () => setStorage(null));
  }, []);

  const parsed = BlueskySettingsSchema.safeParse({
    serviceUrl: serviceUrl.trim(),
    identifier: identifier.trim().replace(/^@/, ''),
    langs: langs
      .split(/[\s,]+/)
      .map((l) => l.trim())
      .filter(Boolean),
  });
  const hasPassword =
    parsed.success &&
    stored.includes(vaultNames.blueskyPassword(parsed.data.serviceUrl, parsed.data.identifier));

  const host = hostOf(parsed.success ? parsed.data.serviceUrl : serviceUrl);

  const run = async (progress: string, work: () => Promise<string>) => {
    setBusy(true);
    setStatus({ ok: true, busy: true, text: progress });
    try {
      setStatus({ ok: true, text: await work() });
    } catch (error) {
      setStatus(outcomeOfError(error));
    } finally {
      setBusy(false);
    }
  };

  const invalid = () =>
    parsed.success
      ? null
      : `${parsed.error.issues[0]?.path.join('.') === 'serviceUrl' ? 'Service URL' : 'Handle'} ${parsed.error.issues[0]?.message ?? 'is invalid'}`;

  /** Logs in with the typed password; offline, says so and keeps it typed for the next try. */
  const login = async (account: BlueskySettings, kept: string) => {
    setStatus({ ok: true, busy: true, text: `Logging in to ${host}…` });
    try {
      const who = await getDesktopApi().saveBlueskyPassword(account, password);
      setPassword('');
      return who;
    } catch (error) {
      if (error instanceof Error && error.name === 'Unreachable')
        throw new Error(`Can't reach ${host} — check your connection; ${kept}`);
      throw error;
    }
  };

  // The account settings are kept first, so nothing typed is lost if the login cannot happen.
  const save = () =>
    run('Saving…', async () => {
      if (!parsed.success) throw new Error(invalid() ?? 'Check the fields.');
      await saveBlueskySettings(app, library.collectionId, parsed.data);
      if (!password) return 'Saved.';
      const who = await login(parsed.data, 'your settings are kept.');
      return `Saved. Logged in as @${who.handle}.`;
    });

  // A password just typed is what the curator wants tested: Save logs in with it before keeping it.
  const test = () =>
    password
      ? save()
      : run(`Logging in to ${host}…`, async () => {
          if (!parsed.success) throw new Error(invalid() ?? 'Check the fields.');
          try {
            const who = await getDesktopApi().checkBluesky(parsed.data);
            return `Logged in as @${who.handle}.`;
          } catch (error) {
            if (error instanceof Error && error.name === 'Unreachable')
              throw new Error(`Can't reach ${host} — check your connection.`);
            throw error;
          }
        });

  const forget = () =>
    run('Forgetting…', async () => {
      if (!parsed.success) throw new Error(invalid() ?? 'Check the fields.');
      const { serviceUrl, identifier } = parsed.data;
      await getDesktopApi().forgetCredential(vaultNames.blueskyPassword(serviceUrl, identifier));
      return `This device no longer keeps the app password for @${identifier}.`;
    });

  return (
    <>
      <div className="publish-settings__grid">
        <label htmlFor={`${id}-service`}>Service URL</label>
        <input
          id={`${id}-service`}
          value={serviceUrl}
          onChange={(e) => setServiceUrl(e.target.value)}
          spellCheck={false}
        />
        <label htmlFor={`${id}-handle`}>Handle</label>
        <input
          id={`${id}-handle`}
          value={identifier}
          placeholder="you.bsky.social"
          onChange={(e) => setIdentifier(e.target.value)}
          spellCheck={false}
          autoComplete="username"
        />
        <label htmlFor={`${id}-password`}>App password</label>
        <input
          id={`${id}-password`}
          type="password"
          value={password}
          placeholder={
            hasPassword ? 'Stored — type a new one to replace it' : 'xxxx-xxxx-xxxx-xxxx'
          }
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
        />
        <label htmlFor={`${id}-langs`}>Post languages</label>
        <input
          id={`${id}-langs`}
          value={langs}
          placeholder="en, de"
          onChange={(e) => setLangs(e.target.value)}
          spellCheck={false}
        />
      </div>
      <p className="settings__text publish-settings__hint">
        Create an app password in Bluesky under Settings › Privacy and security › App passwords.{' '}
        {STORAGE_HINT[storage ?? 'unknown']} It is only ever sent to the service above.
      </p>
      <div className="publish-settings__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void save()}
        >
          Save
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void test()}>
          Test connection
        </button>
        {hasPassword && (
          <button
            type="button"
            className="button button--quiet"
            disabled={busy}
            onClick={() => void forget()}
          >
            Forget app password
          </button>
        )}
        <SettingsResult outcome={status} />
      </div>
    </>
  );
}

const STORAGE_HINT: Record<CredentialStorage | 'unknown', string> = {
  encrypted: 'It stays on this computer, encrypted by the system keyring.',
  'private-file':
    'It stays on this computer in a file in Curio’s data folder that only your user account can read; it is not encrypted.',
  unknown: 'It stays on this computer.',
};

function hostOf(serviceUrl: string): string {
  try {
    return new URL(serviceUrl).host;
  } catch {
    return serviceUrl;
  }
}
