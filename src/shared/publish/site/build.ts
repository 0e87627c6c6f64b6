// buildSite: picks + settings -> every file of the published site, as a pure function. No clock,
// no randomness, stable sorts: the same picks always give byte-identical files, which is what
// makes "nothing changed, no commit" work.
import Mustache from 'mustache';
import { z } from 'zod';
import type { PickedLink } from '../pick';
import {
  SITE_FORMATS,
  SiteSettingsSchema,
  type SiteSettings,
  type SiteSettingsInput,
} from '../settings';
import { manifestEntry, type ManifestEntry } from './changes';
import { contentFile, contentFilePath } from './content-files';
import {
  isoDate,
  isoTime,
  normalizeBase,
  permalinkPath,
  readableDate,
  siteEntries,
  tagSlugs,
  type SiteEntry,
} from './entries';
import { atomFeed, jsonFeed, linksJson } from './feeds';
import { DEFAULT_TEMPLATES, TEMPLATE_NAMES, type TemplateName, type Templates } from './templates';

/** Lists the files the last build wrote, so the next one can remove what it no longer makes. */
export const MANIFEST_PATH = '.curio/manifest.json';
export const TEMPLATE_DIR = '.curio/templates';
/** One stylesheet for every page, so a reader's browser fetches it once. */
export const STYLESHEET = 'style.css';

/** A pick's thumbnail as the site repository keeps it: a content-hashed path and its size. */
export interface SiteThumbnail {
  path: string;
  width: number;
  height: number;
}

/** Thumbnails by the preview image URL they were made from. */
export type SiteThumbnails = ReadonlyMap<string, SiteThumbnail>;

export interface SiteManifest {
  version: 1;
  format: SiteSettings['format'];
  files: string[];
  /** Entry keys of the picks in this build. */
  picks: string[];
  /** The entries of this build, by key: what the next publish compares against. */
  entries?: ManifestEntry[];
  /** The thumbnails this build uses, by image URL, so the next publish reuses them unfetched. */
  thumbnails?: Record<string, SiteThumbnail>;
}

export function templatePath(name: TemplateName): string {
  return `${TEMPLATE_DIR}/${name}.mustache`;
}

interface PageContext {
  settings: SiteSettings;
  templates: Templates;
  slugs: Map<string, string>;
  thumbnails: SiteThumbnails;
  /** Pages of the archive: the home page is the first. */
  pages: number;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Mustache's default also escapes `/` and `=`, which is valid but makes every URL unreadable. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function rootFor(depth: number): string {
  return depth ? '../'.repeat(depth) : './';
}

/** What previews of a page say (OpenGraph, Twitter cards): the same words the page shows. */
interface PreviewMeta {
  type: 'website' | 'article';
  title: string;
  description: string;
  image: { url: string; alt: string; width: number; height: number } | null;
  published?: string;
  tags?: string[];
}

function thumbAlt(entry: SiteEntry): string {
  return `Preview image of “${entry.title}” on ${entry.siteName}`;
}

function cardView(entry: SiteEntry, root: string, ctx: PageContext) {
  const thumb = entry.image ? ctx.thumbnails.get(entry.image) : undefined;
  return {
    url: entry.url,
    title: entry.title,
    headline: entry.headline,
    blurb: entry.blurb,
    host: entry.host,
    siteName: entry.siteName,
    description: entry.description,
    date: readableDate(entry.date),
    isoDate: isoDate(entry.date),
    permalink: `${root}${permalinkPath(entry)}`,
    tags: entry.tags.map((name) => ({ name, href: `${root}tags/${ctx.slugs.get(name) ?? ''}/` })),
    syndication: entry.syndication.map((url) => ({ url })),
    thumb: thumb
      ? {
          src: `${root}${thumb.path}`,
          width: thumb.width,
          height: thumb.height,
          alt: thumbAlt(entry),
        }
      : null,
  };
}

function page(
  ctx: PageContext,
  path: string,
  depth: number,
  title: string,
  content: TemplateName,
  view: Record<string, unknown>,
  meta: PreviewMeta,
): [string, string] {
  const { settings, templates } = ctx;
  const root = rootFor(depth);
  const base = normalizeBase(settings.baseUrl);
  const dir = path.replace(/index\.html$/, '');
  const full = {
    ...view,
    lang: settings.lang,
    siteTitle: settings.title,
    pageTitle: title === settings.title ? settings.title : `${title} · ${settings.title}`,
    root,
    canonical: base + dir,
    archive: ctx.pages > 1 ? `${root}page/2/` : null,
    feedAtom: `${root}feed.xml`,
    feedJson: `${root}feed.json`,
    stylesheet: `${root}${STYLESHEET}`,
    css: templates.style,
    meta: {
      ...meta,
      twitterCard: meta.image ? 'summary_large_image' : 'summary',
    },
  };
  return [
    path,
    Mustache.render(
      templates.layout,
      full,
      { content: templates[content], card: templates.card },
      { escape: escapeHtml },
    ),
  ];
}

function siteMeta(settings: SiteSettings, title: string): PreviewMeta {
  return { type: 'website', title, description: settings.description, image: null };
}

/** One paginated list: the home page and its archive, or a tag's pages. */
interface PagedList {
  /** Folder of the first page ('' for the home page, `tags/<slug>/` for a tag). */
  base: string;
  /** The page's title and heading (page 1 of the home page has the introduction instead). */
  title: (n: number, pages: number) => string;
  intro: boolean;
  section: (n: number) => string;
}

function listPages(
  entries: readonly SiteEntry[],
  ctx: PageContext,
  list: PagedList,
): Array<[string, string]> {
  const { settings } = ctx;
  const files: Array<[string, string]> = [];
  const pages = Math.max(1, Math.ceil(entries.length / settings.pageSize));
  const baseDepth = list.base.split('/').filter(Boolean).length;
  for (let n = 1; n <= pages; n++) {
    const depth = baseDepth + (n === 1 ? 0 : 2);
    const root = rootFor(depth);
    const at = (k: number) => `${root}${list.base}${k === 1 ? '' : `page/${k}/`}` || './';
    const pager =
      pages > 1
        ? {
            page: n,
            pages,
            newer: n === 1 ? null : at(n - 1),
            older: n === pages ? null : at(n + 1),
          }
        : null;
    const path = `${list.base}${n === 1 ? '' : `page/${n}/`}index.html`;
    const title = list.title(n, pages);
    const intro = list.intro && n === 1;
    const view = {
      intro: intro ? { title: settings.title, description: settings.description } : null,
      heading: intro ? null : title,
      section: list.section(n),
      picks: entries
        .slice((n - 1) * settings.pageSize, n * settings.pageSize)
        .map((e) => cardView(e, root, ctx)),
      pager,
    };
    files.push(page(ctx, path, depth, title, 'list', view, siteMeta(settings, title)));
  }
  return files;
}

function permalinkPage(entry: SiteEntry, ctx: PageContext): [string, string] {
  const base = normalizeBase(ctx.settings.baseUrl);
  const thumb = entry.image ? ctx.thumbnails.get(entry.image) : undefined;
  const meta: PreviewMeta = {
    type: 'article',
    title: entry.headline,
    description: entry.blurb || entry.description,
    image: thumb
      ? { url: base + thumb.path, alt: thumbAlt(entry), width: thumb.width, height: thumb.height }
      : null,
    published: isoTime(entry.date),
    tags: entry.tags,
  };
  const view = { pick: cardView(entry, rootFor(2), ctx), back: rootFor(2) };
  return page(ctx, `${permalinkPath(entry)}index.html`, 2, entry.headline, 'post', view, meta);
}

function curioSite(entries: SiteEntry[], ctx: PageContext): Array<[string, string]> {
  const { settings, slugs } = ctx;
  const files = listPages(entries, ctx, {
    base: '',
    intro: true,
    title: (n, pages) => (n === 1 ? settings.title : `Archive, page ${n} of ${pages}`),
    section: (n) => (n === 1 ? 'Recent Posts' : 'Posts'),
  });
  for (const entry of entries) files.push(permalinkPage(entry, ctx));
  const byTag = new Map<string, SiteEntry[]>();
  for (const e of entries) for (const t of e.tags) byTag.set(t, [...(byTag.get(t) ?? []), e]);
  const tagList = [...byTag.keys()]
    .sort()
    .map((name) => ({ name, href: `${slugs.get(name)}/`, count: byTag.get(name)?.length ?? 0 }));
  files.push(
    page(
      ctx,
      'tags/index.html',
      1,
      'Tags',
      'tags',
      { heading: 'Tags', tags: tagList },
      siteMeta(settings, 'Tags'),
    ),
  );
  for (const [tag, tagged] of byTag) {
    const posts = tagged.length === 1 ? '1 post' : `${tagged.length} posts`;
    files.push(
      ...listPages(tagged, ctx, {
        base: `tags/${slugs.get(tag)}/`,
        intro: false,
        title: (n, pages) => (n === 1 ? `#${tag}` : `#${tag}, page ${n} of ${pages}`),
        section: () => posts,
      }),
    );
  }
  files.push(
    [STYLESHEET, ctx.templates.style],
    ['feed.xml', atomFeed(entries, settings)],
    ['feed.json', jsonFeed(entries, settings)],
    ['links.json', linksJson(entries)],
  );
  return files;
}

/**
 * Every text file of the site for these picks. `overrides` replaces default templates by name
 * (read from `.curio/templates/*.mustache` in the site repository); `thumbnails` are the images
 * the publisher stored for the picks' preview images (their bytes are written beside the build,
 * and their paths listed in its manifest). Keys are sorted paths.
 */
export function buildSite(
  picks: readonly PickedLink[],
  settingsInput: SiteSettings | SiteSettingsInput,
  overrides: Partial<Templates> = {},
  thumbnails: SiteThumbnails = new Map(),
): Map<string, string> {
  const settings = SiteSettingsSchema.parse(settingsInput);
  const templates: Templates = { ...DEFAULT_TEMPLATES };
  for (const name of TEMPLATE_NAMES)
    if (overrides[name] !== undefined) templates[name] = overrides[name];
  const entries = siteEntries(picks);
  const slugs = tagSlugs(entries.flatMap((e) => e.tags));
  const pages = Math.max(1, Math.ceil(entries.length / settings.pageSize));
  const used = new Map<string, SiteThumbnail>();
  if (settings.format === 'curio-site')
    for (const e of entries) {
      const thumb = e.image ? thumbnails.get(e.image) : undefined;
      if (e.image && thumb && isSafeThumbnailPath(thumb.path)) used.set(e.image, thumb);
    }
  const built: Array<[string, string]> =
    settings.format === 'curio-site'
      ? curioSite(entries, { settings, templates, slugs, thumbnails: used, pages })
      : entries.map((e) => [contentFilePath(settings, e), contentFile(e)]);
  const paths = [...built.map(([p]) => p), ...[...used.values()].map((t) => t.path)];
  const manifest: SiteManifest = {
    version: 1,
    format: settings.format,
    files: [...new Set(paths)].sort(),
    picks: entries.map((e) => e.key).sort(),
    entries: entries.map(manifestEntry).sort((a, b) => (a.key < b.key ? -1 : 1)),
  };
  if (used.size)
    manifest.thumbnails = Object.fromEntries(
      [...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  built.push([MANIFEST_PATH, JSON.stringify(manifest, null, 2) + '\n']);
  return new Map(built.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export const THUMBNAIL_DIR = 'thumbs';
const THUMBNAIL_PATH = /^thumbs\/[a-z0-9]{16,64}\.(jpg|webp|png)$/;

/** Whether a path names a thumbnail the publisher could have written: `thumbs/<hash>.<ext>`. */
export function isSafeThumbnailPath(path: string): boolean {
  return THUMBNAIL_PATH.test(path);
}

// The manifest comes from the site repository, where anyone with push access may write it.
const text = (max: number) => z.string().max(max);
const ManifestSchema = z.object({
  version: z.literal(1),
  format: z.enum(SITE_FORMATS).catch('curio-site'),
  files: z.array(z.unknown()).transform((v) => v.filter((f): f is string => typeof f === 'string')),
  picks: z.array(z.unknown()).transform((v) => v.filter((k): k is string => typeof k === 'string')),
  entries: z
    .array(z.object({ key: text(200), title: text(4000), url: text(4000), digest: text(100) }))
    .optional()
    .catch(undefined),
  thumbnails: z
    .record(
      text(4000),
      z.object({
        path: text(200).refine(isSafeThumbnailPath),
        width: z.number().int().min(1).max(4000),
        height: z.number().int().min(1).max(4000),
      }),
    )
    .optional()
    .catch(undefined),
});

export function parseManifest(source: string | null): SiteManifest | null {
  if (!source) return null;
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(source));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
