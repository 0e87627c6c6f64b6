// Settings → Bluesky: which account posts the picks. The app password goes straight to the main
// process, which logs in with it and keeps it only if that works; this page never sees it again.
// What was typed is kept when the service cannot be reached: the account settings are saved and
// the password stays in its field for the next try.
import { useEffect, useId, useState } from 'react';
import {
  BlueskySettingsSchema,
  DEFAULT_APPVIEW,
  DEFAULT_BLUESKY_SERVICE,
  vaultNames,
  type BlueskySettings,
  type CredentialStorage,
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

interface Fields {
  serviceUrl: string;
  identifier: string;
  langs: string;
  appViewUrl: string;
  password: string;
}

/** The account the fields describe, or what is wrong with them in words for the curator. */
function accountOf(fields: Fields): { account: BlueskySettings } | { problem: string } {
  const parsed = BlueskySettingsSchema.safeParse({
    serviceUrl: fields.serviceUrl.trim(),
    identifier: fields.identifier.trim().replace(/^@/, ''),
    langs: fields.langs
      .split(/[\s,]+/)
      .map((l) => l.trim())
      .filter(Boolean),
    appViewUrl: fields.appViewUrl.trim() || DEFAULT_APPVIEW,
  });
  if (parsed.success) return { account: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.');
  const field =
    path === 'serviceUrl' ? 'Service URL' : path === 'appViewUrl' ? 'Replies from' : 'Handle';
  return { problem: `${field} ${issue?.message ?? 'is invalid'}` };
}

/** Nobody answered: say so plainly, with what happened to what was typed. */
function unreachable(error: unknown, host: string, kept: string): unknown {
  return error instanceof Error && error.name === 'Unreachable'
    ? new Error(`Can't reach ${host} — check your connection${kept}.`)
    : error;
}

/** Where this device keeps the app password, for the hint under the form. */
function useCredentialStorage(): CredentialStorage | null {
  const [storage, setStorage] = useState<CredentialStorage | null>(null);
  useEffect(() => {
    getDesktopApi()
      .credentialStorage()
      .then(setStorage, () => setStorage(null));
  }, []);
  return storage;
}

/** The fields as typed, and what Save, Test connection and Forget app password do with them. */
function useBlueskyForm(saved: BlueskySettings | null) {
  const { app } = useWorkspace();
  const library = useLocalLibraryHandle();
  const [fields, setFields] = useState<Fields>({
    serviceUrl: saved?.serviceUrl ?? DEFAULT_BLUESKY_SERVICE,
    identifier: saved?.identifier ?? '',
    langs: saved?.langs.join(', ') ?? '',
    appViewUrl: saved?.appViewUrl ?? DEFAULT_APPVIEW,
    password: '',
  });
  const [status, setStatus] = useState<SettingsOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [stored, setStored] = useState<string[]>([]);

  useEffect(() => {
    getDesktopApi()
      .storedCredentials()
      .then(setStored, () => setStored([]));
  }, [status]);

  const checked = accountOf(fields);
  const account = 'account' in checked ? checked.account : null;
  const hasPassword =
    account !== null &&
    stored.includes(vaultNames.blueskyPassword(account.serviceUrl, account.identifier));
  const host = hostOf(account?.serviceUrl ?? fields.serviceUrl);

  const run = async (progress: string, work: (account: BlueskySettings) => Promise<string>) => {
    setBusy(true);
    setStatus({ ok: true, busy: true, text: progress });
    try {
      if ('problem' in checked) throw new Error(checked.problem);
      setStatus({ ok: true, text: await work(checked.account) });
    } catch (error) {
      setStatus(outcomeOfError(error));
    } finally {
      setBusy(false);
    }
  };

  // The account settings are kept first, so nothing typed is lost if the login cannot happen.
  const save = () =>
    run('Saving…', async (account) => {
      await saveBlueskySettings(app, library.collectionId, account);
      if (!fields.password) return 'Saved.';
      setStatus({ ok: true, busy: true, text: `Logging in to ${host}…` });
      const who = await getDesktopApi()
        .saveBlueskyPassword(account, fields.password)
        .catch((error: unknown) => {
          throw unreachable(error, host, '; your settings are kept');
        });
      setFields((now) => ({ ...now, password: '' }));
      return `Saved. Logged in as @${who.handle}.`;
    });

  // A password just typed is what the curator wants tested: Save logs in with it before keeping it.
  const test = () =>
    fields.password
      ? save()
      : run(`Logging in to ${host}…`, async (account) => {
          const who = await getDesktopApi()
            .checkBluesky(account)
            .catch((error: unknown) => {
              throw unreachable(error, host, '');
            });
          return `Logged in as @${who.handle}.`;
        });

  const forget = () =>
    run('Forgetting…', async ({ serviceUrl, identifier }) => {
      await getDesktopApi().forgetCredential(vaultNames.blueskyPassword(serviceUrl, identifier));
      return `This device no longer keeps the app password for @${identifier}.`;
    });

  return { fields, setFields, status, busy, hasPassword, save, test, forget };
}

function BlueskyForm({ saved }: { saved: BlueskySettings | null }) {
  const form = useBlueskyForm(saved);
  const storage = useCredentialStorage();
  const { busy } = form;
  return (
    <>
      <BlueskyFields
        fields={form.fields}
        onChange={form.setFields}
        hasPassword={form.hasPassword}
      />
      <p className="settings__text publish-settings__hint">
        Create an app password in Bluesky under Settings › Privacy and security › App passwords.{' '}
        {STORAGE_HINT[storage ?? 'unknown']} It is only ever sent to the service above.
      </p>
      <div className="publish-settings__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void form.save()}
        >
          Save
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void form.test()}>
          Test connection
        </button>
        {form.hasPassword && (
          <button
            type="button"
            className="button button--quiet"
            disabled={busy}
            onClick={() => void form.forget()}
          >
            Forget app password
          </button>
        )}
        <SettingsResult outcome={form.status} />
      </div>
    </>
  );
}

function BlueskyFields({
  fields,
  onChange,
  hasPassword,
}: {
  fields: Fields;
  onChange: (fields: Fields) => void;
  hasPassword: boolean;
}) {
  const id = useId();
  const field = (key: keyof Fields) => ({
    id: `${id}-${key}`,
    value: fields[key],
    onChange: (e: { target: { value: string } }) => onChange({ ...fields, [key]: e.target.value }),
  });
  return (
    <div className="publish-settings__grid">
      <label htmlFor={`${id}-serviceUrl`}>Service URL</label>
      <input {...field('serviceUrl')} spellCheck={false} />
      <label htmlFor={`${id}-identifier`}>Handle</label>
      <input
        {...field('identifier')}
        placeholder="you.bsky.social"
        spellCheck={false}
        autoComplete="username"
      />
      <label htmlFor={`${id}-password`}>App password</label>
      <input
        {...field('password')}
        type="password"
        placeholder={hasPassword ? 'Stored — type a new one to replace it' : 'xxxx-xxxx-xxxx-xxxx'}
        autoComplete="current-password"
      />
      <label htmlFor={`${id}-langs`}>Post languages</label>
      <input {...field('langs')} placeholder="en, de" spellCheck={false} />
      <label htmlFor={`${id}-appViewUrl`}>Replies from</label>
      <input {...field('appViewUrl')} placeholder={DEFAULT_APPVIEW} spellCheck={false} />
    </div>
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
