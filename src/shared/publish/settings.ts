// Publishing settings. None of these is a secret: app passwords and git tokens live in the
// main process's credential vault, under the names below.
import { z } from 'zod';
import { DEFAULT_APPVIEW } from './conversation';

export const DEFAULT_BLUESKY_SERVICE = 'https://bsky.social';

const httpUrl = z
  .string()
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

export const BlueskySettingsSchema = z.object({
  /** The PDS or entryway to log in to; a self-hosted PDS works too. */
  serviceUrl: httpUrl.default(DEFAULT_BLUESKY_SERVICE),
  /** Handle or DID (or email) to log in with; none of them has a space. */
  identifier: z
    .string()
    .trim()
    .min(1, 'is empty; a handle looks like you.bsky.social')
    .max(253)
    .regex(/^\S+$/, 'cannot contain spaces; a handle looks like you.bsky.social'),
  /** BCP-47 language tags put on every post. */
  langs: z.array(z.string().min(2).max(35)).max(3).default([]),
  /** Where likes, reposts and replies of the posts are read from (getPostThread, no login). */
  appViewUrl: httpUrl.default(DEFAULT_APPVIEW),
});
export type BlueskySettings = z.infer<typeof BlueskySettingsSchema>;

export const SITE_FORMATS = ['curio-site', 'content-files'] as const;
export type SiteFormat = (typeof SITE_FORMATS)[number];

export const SiteSettingsSchema = z.object({
  /** Anything the system `git` can push to: https, ssh, or a path. */
  remote: z.string().trim().min(1).max(2000),
  branch: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/, 'is not a valid branch name')
    .default('main'),
  title: z.string().trim().min(1).max(200),
  /** Where the site is served, e.g. https://links.example.org/ ; feeds need absolute links. */
  baseUrl: httpUrl,
  description: z.string().max(1000).default(''),
  format: z.enum(SITE_FORMATS).default('curio-site'),
  /** For content files: the folder inside the site repository, e.g. `content/links` (Hugo) or `_links` (Jekyll). */
  contentDir: z
    .string()
    .trim()
    .max(200)
    .regex(
      /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._/-]*$/,
      'must be a relative folder inside the repository',
    )
    .default('content/links'),
  /** Picks per page of the index and the archive. */
  pageSize: z.number().int().min(1).max(500).default(20),
  /** Language of the site's pages. */
  lang: z.string().min(2).max(35).default('en'),
});
export type SiteSettings = z.infer<typeof SiteSettingsSchema>;
export type SiteSettingsInput = z.input<typeof SiteSettingsSchema>;

/** Vault entry names. The renderer may name them but never reads them. */
export const vaultNames = {
  blueskyPassword: (serviceUrl: string, identifier: string) =>
    `bluesky:${new URL(serviceUrl).origin}:${identifier.toLowerCase()}`,
  gitToken: (remote: string) => `git:${remote}`,
};
