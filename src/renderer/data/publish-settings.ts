// Where publishing settings live. The account and the remote are this device's business (another
// maintainer posts from their own account, or pushes over ssh where this one uses https), so they
// sit in local app settings, per collection. The site's title, base URL and description describe
// the collection itself, so they live in the shared document's meta and every maintainer's build
// says the same. Secrets are in neither: the main process keeps them in its vault.
import type * as Y from 'yjs';
import { z } from 'zod';
import { maps, readCollectionMeta, setCollectionMeta, type Actor } from '../../shared/collection';
import {
  BlueskySettingsSchema,
  SITE_FORMATS,
  SiteSettingsSchema,
  type BlueskySettings,
  type PublishSettings,
  type SiteSettings,
} from '../../shared/publish';
import type { AppDb } from './db';

export const SiteLocalSchema = z.object({
  remote: z.string().max(2000).default(''),
  branch: z.string().max(200).default('main'),
  format: z.enum(SITE_FORMATS).default('curio-site'),
  contentDir: z.string().max(200).default('content/links'),
});
export type SiteLocal = z.infer<typeof SiteLocalSchema>;

export interface SiteMeta {
  title: string;
  baseUrl: string;
  description: string;
}

export type { PublishSettings };

const blueskyKey = (collectionId: string) => `publish.bluesky:${collectionId}`;
const siteKey = (collectionId: string) => `publish.site:${collectionId}`;

export async function loadBlueskySettings(
  app: AppDb,
  collectionId: string,
): Promise<BlueskySettings | null> {
  const parsed = BlueskySettingsSchema.safeParse(await app.getSetting(blueskyKey(collectionId)));
  return parsed.success ? parsed.data : null;
}

export async function saveBlueskySettings(
  app: AppDb,
  collectionId: string,
  settings: BlueskySettings,
): Promise<void> {
  await app.putSetting(blueskyKey(collectionId), BlueskySettingsSchema.parse(settings));
}

export async function loadSiteLocal(app: AppDb, collectionId: string): Promise<SiteLocal> {
  const parsed = SiteLocalSchema.safeParse((await app.getSetting(siteKey(collectionId))) ?? {});
  return parsed.success ? parsed.data : SiteLocalSchema.parse({});
}

export async function saveSiteLocal(
  app: AppDb,
  collectionId: string,
  local: SiteLocal,
): Promise<void> {
  await app.putSetting(siteKey(collectionId), SiteLocalSchema.parse(local));
}

export function readSiteMeta(doc: Y.Doc): SiteMeta {
  const meta = readCollectionMeta(doc);
  return {
    title: meta.siteTitle ?? '',
    baseUrl: meta.siteBaseUrl ?? '',
    description: meta.siteDescription ?? '',
  };
}

/** Calls back when another maintainer (or this one) changes the collection's site settings. */
export function subscribeSiteMeta(doc: Y.Doc, listener: () => void): () => void {
  const meta = maps(doc).meta;
  meta.observe(listener);
  return () => meta.unobserve(listener);
}

export function writeSiteMeta(doc: Y.Doc, meta: SiteMeta, actor: Actor): void {
  setCollectionMeta(
    doc,
    {
      siteTitle: meta.title.trim(),
      siteBaseUrl: meta.baseUrl.trim(),
      siteDescription: meta.description.trim(),
    },
    actor,
  );
}

/** The full site settings, or the first thing missing or wrong, in words for the curator. */
export function siteSettingsOf(
  local: SiteLocal,
  meta: SiteMeta,
): { ok: true; settings: SiteSettings } | { ok: false; problem: string } {
  if (!local.remote.trim()) return { ok: false, problem: 'the site has no git remote' };
  if (!meta.title.trim()) return { ok: false, problem: 'the site has no title' };
  if (!meta.baseUrl.trim()) return { ok: false, problem: 'the site has no base URL' };
  const parsed = SiteSettingsSchema.safeParse({ ...local, ...meta });
  if (parsed.success) return { ok: true, settings: parsed.data };
  const issue = parsed.error.issues[0];
  const field = typeof issue?.path[0] === 'string' ? SITE_FIELD_NAMES[issue.path[0]] : undefined;
  return { ok: false, problem: `${field ?? 'a site setting'} ${issue?.message ?? 'is invalid'}` };
}

const SITE_FIELD_NAMES: Record<string, string> = {
  remote: 'the git remote',
  branch: 'the branch',
  title: 'the site title',
  baseUrl: 'the base URL',
  description: 'the description',
  contentDir: 'the content folder',
};

/** Everything the outbox needs to run a job, read fresh each time (settings may change meanwhile). */
export async function loadPublishSettings(
  app: AppDb,
  collectionId: string,
  doc: Y.Doc,
): Promise<PublishSettings> {
  const [bluesky, local] = await Promise.all([
    loadBlueskySettings(app, collectionId),
    loadSiteLocal(app, collectionId),
  ]);
  const site = siteSettingsOf(local, readSiteMeta(doc));
  return { bluesky, site: site.ok ? site.settings : null };
}
