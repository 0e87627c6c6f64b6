// The publishing part of DesktopApi: what the renderer may ask the main process to do, and the
// argument schemas the transport parses with. Merge into DesktopApi / desktopApiArgs like the
// other domains. Secrets only ever travel renderer -> main (to be saved), never back.
import { z } from 'zod';
import { ItemRowSchema } from '../model';
import { BlueskyJobSchema, type BlueskyJob, type BlueskyJobResult } from './bluesky-job';
import {
  ConversationRequestSchema,
  type ConversationRequest,
  type ConversationResult,
} from './conversation';
import type { PickedLink } from './pick';
import {
  BlueskyRemovalSchema,
  type BlueskyRemoval,
  type BlueskyRemovalResult,
} from './removal-job';
import {
  BlueskySettingsSchema,
  SiteSettingsSchema,
  type BlueskySettings,
  type SiteSettingsInput,
} from './settings';
import type { SitePreview, SitePublishResult } from './site-job';

export const PickedLinkSchema = z.object({
  item: ItemRowSchema,
  blurb: z.string().max(5000),
  headline: z.string().max(500).optional(),
  pickedHere: z.boolean().optional(),
});

/** Where this host keeps app passwords and tokens: the curator is told which, in plain words. */
export const CREDENTIAL_STORAGE = ['encrypted', 'private-file'] as const;
export type CredentialStorage = (typeof CREDENTIAL_STORAGE)[number];

const secret = z.string().min(1).max(10_000);

export const publishingApiArgs = {
  publishBluesky: z.tuple([BlueskyJobSchema, BlueskySettingsSchema]),
  removeFromBluesky: z.tuple([BlueskyRemovalSchema, BlueskySettingsSchema]),
  publishSite: z.tuple([z.array(PickedLinkSchema).max(100_000), SiteSettingsSchema]),
  previewSite: z.tuple([z.array(PickedLinkSchema).max(100_000), SiteSettingsSchema]),
  saveBlueskyPassword: z.tuple([
    BlueskySettingsSchema.pick({ serviceUrl: true, identifier: true }),
    secret,
  ]),
  saveGitToken: z.tuple([z.string().trim().min(1).max(2000), secret]),
  readConversations: z.tuple([ConversationRequestSchema]),
  checkBluesky: z.tuple([BlueskySettingsSchema.pick({ serviceUrl: true, identifier: true })]),
  forgetCredential: z.tuple([z.string().min(1).max(300)]),
  storedCredentials: z.tuple([]),
  credentialStorage: z.tuple([]),
} as const;

export interface PublishingApi {
  /** Runs an outbox job; safe to call again with the same job after any failure. */
  publishBluesky(job: BlueskyJob, settings: BlueskySettings): Promise<BlueskyJobResult>;
  /** Deletes the posts of a removal job; safe to call again with the same job. */
  removeFromBluesky(job: BlueskyRemoval, settings: BlueskySettings): Promise<BlueskyRemovalResult>;
  /** Builds the site from every site pick and pushes it; no change, no commit. */
  publishSite(picks: PickedLink[], settings: SiteSettingsInput): Promise<SitePublishResult>;
  /** What publishing these picks would change on the site as the remote has it now; writes nothing. */
  previewSite(picks: PickedLink[], settings: SiteSettingsInput): Promise<SitePreview>;
  /** Logs in with the app password and keeps it only if the login works. */
  saveBlueskyPassword(
    account: Pick<BlueskySettings, 'serviceUrl' | 'identifier'>,
    appPassword: string,
  ): Promise<{ did: string; handle: string }>;
  /** Logs in with the stored app password: whom Curio would post as, or a BlueskyAuth error. */
  checkBluesky(
    account: Pick<BlueskySettings, 'serviceUrl' | 'identifier'>,
  ): Promise<{ did: string; handle: string }>;
  saveGitToken(remote: string, token: string): Promise<void>;
  /** Likes, reposts and replies of published posts, read from an AppView; no login needed. */
  readConversations(request: ConversationRequest): Promise<ConversationResult[]>;
  forgetCredential(name: string): Promise<void>;
  /** Names of stored credentials (see vaultNames), never their values. */
  storedCredentials(): Promise<string[]>;
  /** How this host keeps credentials: encrypted by the system keyring, or in a file only the user can read. */
  credentialStorage(): Promise<CredentialStorage>;
}
