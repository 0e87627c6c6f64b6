// Settings → Site: where the static site is pushed (this device's remote, branch and format) and
// what it is called (title, base URL, description: the collection's, shared with every maintainer).
import { useEffect, useId, useState } from 'react';
import { vaultNames, type SiteFormat } from '../../../shared/publish';
import { useLocalLibraryHandle, useWorkspace } from '../../data/hooks';
import { PUBLISH_ORIGIN } from '../../data/outbox';
import {
  saveSiteLocal,
  siteSettingsOf,
  writeSiteMeta,
  type SiteLocal,
  type SiteMeta,
} from '../../data/publish-settings';
import { getDesktopApi } from '../../platform/desktop';
import { SettingsSection } from '../settings/SettingsSection';
import { usePublishSettings } from './usePublishSettings';
import './publish.css';
import { SettingsResult, outcomeOfError, type SettingsOutcome } from './SettingsResult';

const FORMATS: Array<{ value: SiteFormat; label: string }> = [
  { value: 'curio-site', label: 'Curio site' },
  { value: 'content-files', label: 'Content files' },
];

const EMPTY_LOCAL: SiteLocal = {
  remote: '',
  branch: 'main',
  format: 'curio-site',
  contentDir: 'content/links',
};

export function SiteSettingsSection() {
  const view = usePublishSettings();
  return (
    <SettingsSection title="Site">
      {view.loaded ? <SiteForm savedLocal={view.siteLocal} savedMeta={view.siteMeta} /> : null}
    </SettingsSection>
  );
}

/** The form's fields as typed, the credentials this device keeps, and what Save does. */
function useSiteForm(savedLocal: SiteLocal | null, savedMeta: SiteMeta) {
  const { app } = useWorkspace();
  const library = useLocalLibraryHandle();
  const [local, setLocal] = useState<SiteLocal>(savedLocal ?? EMPTY_LOCAL);
  const [meta, setMeta] = useState<SiteMeta>(savedMeta);
  const [token, setToken] = useState('');
  const [stored, setStored] = useState<string[]>([]);
  const [status, setStatus] = useState<SettingsOutcome | null>(null);

  useEffect(() => {
    getDesktopApi()
      .storedCredentials()
      .then(setStored, () => setStored([]));
  }, [status]);

  const save = async () => {
    setStatus(null);
    try {
      const trimmed = { ...local, remote: local.remote.trim(), branch: local.branch.trim() };
      writeSiteMeta(library.doc, meta, { memberId: library.me.id, origin: PUBLISH_ORIGIN });
      await saveSiteLocal(app, library.collectionId, trimmed);
      if (token && trimmed.remote) {
        await getDesktopApi().saveGitToken(trimmed.remote, token);
        setToken('');
      }
      const ready = siteSettingsOf(trimmed, meta);
      setStatus(
        ready.ok
          ? { ok: true, text: `Saved. Publishing pushes to ${trimmed.remote} (${trimmed.branch}).` }
          : { ok: false, text: `Saved, but not ready: ${ready.problem}.` },
      );
    } catch (error) {
      setStatus(outcomeOfError(error));
    }
  };

  return {
    local,
    setLocal,
    meta,
    setMeta,
    token,
    setToken,
    hasToken: stored.includes(vaultNames.gitToken(local.remote.trim())),
    status,
    save,
  };
}

function SiteForm({
  savedLocal,
  savedMeta,
}: {
  savedLocal: SiteLocal | null;
  savedMeta: SiteMeta;
}) {
  const form = useSiteForm(savedLocal, savedMeta);
  const id = useId();
  return (
    <>
      <div className="publish-settings__grid">
        <SiteRemoteFields id={id} form={form} />
        <SiteMetaFields id={id} meta={form.meta} onChange={form.setMeta} />
        <SiteFormatFields id={id} local={form.local} onChange={form.setLocal} />
      </div>
      <p className="settings__text publish-settings__hint">
        {form.local.format === 'curio-site'
          ? 'Curio builds the whole site: pages, tag pages, Atom and JSON feeds.'
          : 'Curio writes one Markdown file per pick into the folder, for Hugo, Jekyll or Astro to build.'}{' '}
        Title, base URL and description are shared with everyone in this collection.
      </p>
      <div className="publish-settings__actions">
        <button type="button" className="button button--primary" onClick={() => void form.save()}>
          Save
        </button>
        <SettingsResult outcome={form.status} />
      </div>
    </>
  );
}

/** Where this device pushes: remote, branch, and the token an https remote needs. */
function SiteRemoteFields({ id, form }: { id: string; form: ReturnType<typeof useSiteForm> }) {
  const { local, setLocal } = form;
  const https = /^https:\/\//i.test(local.remote.trim());
  return (
    <>
      <label htmlFor={`${id}-remote`}>Git remote</label>
      <input
        id={`${id}-remote`}
        value={local.remote}
        placeholder="git@github.com:you/links.git"
        onChange={(e) => setLocal({ ...local, remote: e.target.value })}
        spellCheck={false}
      />
      <label htmlFor={`${id}-branch`}>Branch</label>
      <input
        id={`${id}-branch`}
        value={local.branch}
        onChange={(e) => setLocal({ ...local, branch: e.target.value })}
        spellCheck={false}
      />
      {https && (
        <>
          <label htmlFor={`${id}-token`}>Access token</label>
          <input
            id={`${id}-token`}
            type="password"
            value={form.token}
            placeholder={
              form.hasToken ? 'Stored — type a new one to replace it' : 'For https remotes'
            }
            onChange={(e) => form.setToken(e.target.value)}
          />
        </>
      )}
    </>
  );
}

/** What the site is called: shared with every maintainer of the collection. */
function SiteMetaFields({
  id,
  meta,
  onChange,
}: {
  id: string;
  meta: SiteMeta;
  onChange: (meta: SiteMeta) => void;
}) {
  const field = (key: keyof SiteMeta) => ({
    value: meta[key],
    onChange: (e: { target: { value: string } }) => onChange({ ...meta, [key]: e.target.value }),
  });
  return (
    <>
      <label htmlFor={`${id}-title`}>Site title</label>
      <input id={`${id}-title`} placeholder="Distributed links" {...field('title')} />
      <label htmlFor={`${id}-base`}>Base URL</label>
      <input
        id={`${id}-base`}
        placeholder="https://links.example.org/"
        spellCheck={false}
        {...field('baseUrl')}
      />
      <label htmlFor={`${id}-description`}>Description</label>
      <input id={`${id}-description`} {...field('description')} />
    </>
  );
}

/** What Curio writes into the repository: the whole site, or content files in a folder. */
function SiteFormatFields({
  id,
  local,
  onChange,
}: {
  id: string;
  local: SiteLocal;
  onChange: (local: SiteLocal) => void;
}) {
  return (
    <>
      <span>Format</span>
      <div className="settings__choices" role="radiogroup" aria-label="Format">
        {FORMATS.map(({ value, label }) => (
          <label key={value} className="settings__choice">
            <input
              type="radio"
              name={`${id}-format`}
              checked={local.format === value}
              onChange={() => onChange({ ...local, format: value })}
            />
            {label}
          </label>
        ))}
      </div>
      {local.format === 'content-files' && (
        <>
          <label htmlFor={`${id}-folder`}>Folder</label>
          <input
            id={`${id}-folder`}
            value={local.contentDir}
            placeholder="content/links"
            onChange={(e) => onChange({ ...local, contentDir: e.target.value })}
            spellCheck={false}
          />
        </>
      )}
    </>
  );
}
