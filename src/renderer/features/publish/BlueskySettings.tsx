// Settings → Bluesky: which account posts the picks. The app password goes straight to the main
// process, which logs in with it and keeps it only if that works; this page never sees it again.
import { useEffect, useId, useState } from 'react';
import {
  BlueskySettingsSchema,
  DEFAULT_BLUESKY_SERVICE,
  vaultNames,
  type BlueskySettings,
} from '../../../shared/publish';
import { useLocalLibraryHandle, useWorkspace } from '../../data/hooks';
import { saveBlueskySettings } from '../../data/publish-settings';
import { getDesktopApi } from '../../platform/desktop';
import { SettingsSection } from '../settings/SettingsSection';
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
  const id = useId();

  useEffect(() => {
    getDesktopApi()
      .storedCredentials()
      .then(setStored, () => setStored([]));
  }, [status]);

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

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setStatus(null);
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

  const save = () =>
    run(async () => {
      if (!parsed.success) throw new Error(invalid() ?? 'Check the fields.');
      let text = 'Saved.';
      if (password) {
        const who = await getDesktopApi().saveBlueskyPassword(parsed.data, password);
        setPassword('');
        text = `Saved. Logged in as @${who.handle}.`;
      }
      await saveBlueskySettings(app, library.collectionId, parsed.data);
      return text;
    });

  // A password just typed is what the curator wants tested: Save logs in with it before keeping it.
  const test = () =>
    password
      ? save()
      : run(async () => {
          if (!parsed.success) throw new Error(invalid() ?? 'Check the fields.');
          const who = await getDesktopApi().checkBluesky(parsed.data);
          return `Logged in as @${who.handle}.`;
        });

  const forget = () =>
    run(async () => {
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
        Create an app password in Bluesky under Settings › Privacy and security › App passwords. It
        stays on this computer, encrypted, and is only ever sent to the service above.
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
