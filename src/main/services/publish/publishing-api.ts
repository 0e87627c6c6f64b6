// PublishingApi on the main-process services: one Bluesky session per account (logins are rate
// limited, so they are reused across jobs) and one site working copy per remote and branch.
import {
  BlueskyJobSchema,
  BlueskyRemovalSchema,
  BlueskySettingsSchema,
  vaultNames,
  type CredentialStorage,
  type PublishingApi,
} from '../../../shared/publish';
import { checkName, checkSecret, type CredentialVault } from '../vault/credential-vault';
import { BlueskySession, type BlueskySessionOptions } from './bluesky-session';
import { publishToBluesky, type BlueskyPublishDeps } from './bluesky-publisher';
import { removeFromBluesky } from './bluesky-removal';
import { readConversations } from './conversation-reader';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import { previewSite, publishSite, type SitePublishDeps } from './site-publisher';

export interface PublishingApiOptions {
  vault: CredentialVault;
  /** How `vault` keeps secrets, as the settings screen tells the curator. */
  credentialStorage: CredentialStorage;
  /** Folder for site working copies, e.g. `<app data>/cache/site`. */
  cacheDir: string;
  session?: BlueskySessionOptions;
  fetchImage?: BlueskyPublishDeps['fetchImage'];
  author?: SitePublishDeps['author'];
  log?: (message: string) => void;
}

export function createPublishingApi(options: PublishingApiOptions): PublishingApi {
  // Someone is waiting on the settings screen: one quick retry, then say the service is unreachable.
  const interactive: RetryPolicy = {
    ...DEFAULT_RETRY,
    ...options.session?.retry,
    attempts: 2,
  };
  const siteDeps = (): SitePublishDeps => ({
    cacheDir: options.cacheDir,
    vault: options.vault,
    author: options.author,
    fetchImage: options.fetchImage,
    log: options.log,
  });
  const sessions = new Map<string, BlueskySession>();
  const sessionFor = (account: { serviceUrl: string; identifier: string }) => {
    const key = vaultNames.blueskyPassword(account.serviceUrl, account.identifier);
    let session = sessions.get(key);
    if (!session) {
      session = new BlueskySession(account, options.vault, options.session);
      sessions.set(key, session);
    }
    return session;
  };

  return {
    publishBluesky: (job, settings) => {
      const account = BlueskySettingsSchema.parse(settings);
      return publishToBluesky(BlueskyJobSchema.parse(job), {
        session: sessionFor(account),
        fetchImage: options.fetchImage,
        log: options.log,
      });
    },
    removeFromBluesky: (job, settings) =>
      removeFromBluesky(BlueskyRemovalSchema.parse(job), {
        session: sessionFor(BlueskySettingsSchema.parse(settings)),
        log: options.log,
      }),
    readConversations: (request) => readConversations(request, { fetch: options.session?.fetch }),
    publishSite: (picks, settings) => publishSite(picks, settings, siteDeps()),
    previewSite: (picks, settings) => previewSite(picks, settings, siteDeps()),
    saveBlueskyPassword: async (account, appPassword) => {
      const name = vaultNames.blueskyPassword(account.serviceUrl, account.identifier);
      checkSecret(appPassword);
      // Try the password on a throwaway session first, so a typo never replaces a working one.
      const trialVault: CredentialVault = {
        get: async () => appPassword,
        set: async () => undefined,
        delete: async () => undefined,
        names: async () => [name],
      };
      const trial = new BlueskySession(account, trialVault, options.session);
      await trial.login(interactive);
      await options.vault.set(name, appPassword);
      sessions.set(name, trial);
      return { did: trial.did, handle: trial.agent.session?.handle ?? account.identifier };
    },
    checkBluesky: async (account) => {
      const session = sessionFor(BlueskySettingsSchema.parse(account));
      await session.login(interactive);
      return { did: session.did, handle: session.agent.session?.handle ?? account.identifier };
    },
    saveGitToken: (remote, token) =>
      options.vault.set(vaultNames.gitToken(remote), checkSecret(token)),
    forgetCredential: async (name) => {
      await options.vault.delete(checkName(name));
      sessions.delete(name);
    },
    storedCredentials: () => options.vault.names(),
    credentialStorage: () => Promise.resolve(options.credentialStorage),
  };
}
