// DesktopApi on plain Node services: Electron and web mode both serve this one object and differ
// only in transport and in what they inject (how a link opens outside the app).
import type { AppInfo, DesktopApi } from '../../shared/api';
import { DesktopApiError } from '../../shared/api';
import { isHttpUrl } from '../../shared/model';
import type { PublishingApi } from '../../shared/publish/api';
import type { BackupStore } from './backups/backup-store';
import { readBlueskyAccount } from './import/bluesky-account';
import { extractArticle, type ExtractOptions } from './article/snapshot';
import { unfurl, type UnfurlOptions } from './unfurl';

export interface NodeDesktopApiOptions {
  mode: AppInfo['mode'];
  version: string;
  /**
   * Opens a vetted http(s) link in the system browser (Electron passes shell.openExternal). Web
   * mode passes none: the page opens links itself, and a server must not launch browsers.
   */
  openExternal?: (url: string) => Promise<void>;
  /**
   * Bluesky and site publishing with the shell's own credential vault (see createPublishingApi).
   * Without it every publishing call fails with NotSupported (tests of the other methods).
   */
  publishing?: PublishingApi;
  /** Limits for unfurl's fetches; tests shorten them. */
  fetchLimits?: UnfurlOptions;
  /** Article snapshots' limits and network; tests resolve names from a table. */
  articleOptions?: Omit<ExtractOptions, 'refuseLocalAddresses'>;
  /** Backups in the data folder; without it every backup call fails with NotSupported. */
  backups?: BackupStore;
}

export function createNodeDesktopApi(options: NodeDesktopApiOptions): DesktopApi {
  return {
    ...(options.publishing ?? noPublishing()),
    ...backupsApi(options.backups),
    appInfo: () =>
      Promise.resolve({ mode: options.mode, version: options.version, platform: process.platform }),
    unfurl: (url) => unfurl(url, options.fetchLimits),
    importBlueskyAccount: (account) => readBlueskyAccount(account),
    snapshotArticle: (url, { fromOthers, allowLocalNetwork = false }) =>
      extractArticle(url, {
        ...options.articleOptions,
        refuseLocalAddresses: fromOthers && !allowLocalNetwork,
      }),
    openExternal: async (url) => {
      if (!isHttpUrl(url)) {
        throw new DesktopApiError(
          'InvalidArguments',
          `Only http and https links open outside Curio; refused ${url.split(':', 1)[0]}: link.`,
        );
      }
      if (!options.openExternal) {
        throw new DesktopApiError(
          'NotSupported',
          'In web mode links open in the browser itself, not through the server.',
        );
      }
      await options.openExternal(url);
    },
  };
}

function backupsApi(
  store: BackupStore | undefined,
): Pick<DesktopApi, 'writeBackup' | 'listBackups' | 'readBackup'> {
  if (!store) {
    const refuse = () =>
      Promise.reject(new DesktopApiError('NotSupported', 'Backups are not set up in this host.'));
    return { writeBackup: refuse, listBackups: refuse, readBackup: refuse };
  }
  return {
    writeBackup: (backup) => store.write(backup),
    listBackups: () => store.list(),
    readBackup: (id) => store.readDocument(id),
  };
}

function noPublishing(): PublishingApi {
  const refuse = () =>
    Promise.reject(new DesktopApiError('NotSupported', 'Publishing is not set up in this host.'));
  return {
    publishBluesky: refuse,
    removeFromBluesky: refuse,
    readConversations: refuse,
    publishSite: refuse,
    previewSite: refuse,
    saveBlueskyPassword: refuse,
    checkBluesky: refuse,
    saveGitToken: refuse,
    forgetCredential: refuse,
    storedCredentials: refuse,
    credentialStorage: refuse,
  };
}
