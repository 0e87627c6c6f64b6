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
import { isoDate, normalizeBase, siteEntries, tagSlugs, type SiteEntry } from './entries';
import { atomFeed, jsonFeed, linksJson } from './feeds';
import { DEFAULT_TEMPLATES, TEMPLATE_NAMES, type TemplateName, type Templates } from './templates';

/** Lists the files the last build wrote, so the next one can remove what it no longer makes. */
export const MANIFEST_PATH = '.curio/manifest.json';
export const TEMPLATE_DIR = '.curio/templates';

export interface SiteManifest {
  version: 1;
  format: SiteSettings['format'];
  files: string[];
  /** Entry keys of the picks in this build. */
  picks: string[];
  /** The entries of this build, by key: what the next publish compares against. */
  entries?: ManifestEntry[];
}

export function templatePath(name: TemplateName): string {
  return `${TEMPLATE_DIR}/${name}.mustache`;
}

interface PageContext {
  settings: SiteSettings;
  templates: Templates;
  slugs: Map<string, string>;
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

function listView(entries: readonly SiteEntry[], root: string, slugs: Map<string, string>) {
  return entries.map((e) => ({
    url: e.url,
    title: e.title,
    blurb: e.blurb,
    host: e.host,
    date: isoDate(e.date),
    isoDate: isoDate(e.date),
    tags: e.tags.map((name) => ({ name, href: `${root}tags/${slugs.get(name) ?? ''}/` })),
  }));
}

function page(
  ctx: PageContext,
  path: string,
  depth: number,
  heading: string,
  content: TemplateName,
  view: Record<string, unknown>,
): [string, string] {
  const { settings, templates } = ctx;
  const root = rootFor(depth);
  const base = normalizeBase(settings.baseUrl);
  const dir = path.replace(/index\.html$/, '');
  const full = {
    ...view,
    lang: settings.lang,
    siteTitle: settings.title,
    heading,
    pageTitle: heading === settings.title ? settings.title : `${heading} · ${settings.title}`,
    description: depth === 0 ? settings.description : '',
    root,
    canonical: base + dir,
    feedAtom: `${root}feed.xml`,
    feedJson: `${root}feed.json`,
    css: templates.style,
  };
  return [
    path,
    Mustache.render(
      templates.layout,
      full,
      { content: templates[content] },
      { escape: escapeHtml },
    ),
  ];
}

function curioSite(entries: SiteEntry[], ctx: PageContext): Array<[string, string]> {
  const { settings, slugs } = ctx;
  const files: Array<[string, string]> = [];
  const pages = Math.max(1, Math.ceil(entries.length / settings.pageSize));
  for (let n = 1; n <= pages; n++) {
    const depth = n === 1 ? 0 : 2;
    const root = rootFor(depth);
    const slice = entries.slice((n - 1) * settings.pageSize, n * settings.pageSize);
    const pager =
      pages > 1
        ? {
            page: n,
            pages,
            newer: n === 1 ? null : n === 2 ? root : `${root}page/${n - 1}/`,
            older: n === pages ? null : `${root}page/${n + 1}/`,
          }
        : null;
    const path = n === 1 ? 'index.html' : `page/${n}/index.html`;
    const heading = n === 1 ? settings.title : `${settings.title}: page ${n}`;
    files.push(
      page(ctx, path, depth, heading, 'list', { picks: listView(slice, root, slugs), pager }),
    );
  }
  const byTag = new Map<string, SiteEntry[]>();
  for (const e of entries) for (const t of e.tags) byTag.set(t, [...(byTag.get(t) ?? []), e]);
  const tagList = [...byTag.keys()]
    .sort()
    .map((name) => ({ name, href: `${slugs.get(name)}/`, count: byTag.get(name)?.length ?? 0 }));
  files.push(page(ctx, 'tags/index.html', 1, 'Tags', 'tags', { tags: tagList }));
  for (const [tag, tagged] of byTag) {
    const path = `tags/${slugs.get(tag)}/index.html`;
    files.push(
      page(ctx, path, 2, `#${tag}`, 'list', {
        picks: listView(tagged, rootFor(2), slugs),
        pager: null,
      }),
    );
  }
  files.push(
    ['feed.xml', atomFeed(entries, settings)],
    ['feed.json', jsonFeed(entries, settings)],
    ['links.json', linksJson(entries)],
  );
  return files;
}

/**
 * Every file of the site for these picks. `overrides` replaces default templates by name (read
 * from `.curio/templates/*.mustache` in the site repository). Keys are sorted paths.
 */
export function buildSite(
  picks: readonly PickedLink[],
  settingsInput: SiteSettings | SiteSettingsInput,
  overrides: Partial<Templates> = {},
): Map<string, string> {
  const settings = SiteSettingsSchema.parse(settingsInput);
  const templates: Templates = { ...DEFAULT_TEMPLATES };
  for (const name of TEMPLATE_NAMES)
    if (overrides[name] !== undefined) templates[name] = overrides[name];
  const entries = siteEntries(picks);
  const slugs = tagSlugs(entries.flatMap((e) => e.tags));
  const built: Array<[string, string]> =
    settings.format === 'curio-site'
      ? curioSite(entries, { settings, templates, slugs })
      : entries.map((e) => [contentFilePath(settings, e), contentFile(e)]);
  const paths = built.map(([p]) => p).sort();
  const manifest: SiteManifest = {
    version: 1,
    format: settings.format,
    files: paths,
    picks: entries.map((e) => e.key).sort(),
    entries: entries.map(manifestEntry).sort((a, b) => (a.key < b.key ? -1 : 1)),
  };
  built.push([MANIFEST_PATH, JSON.stringify(manifest, null, 2) + '\n']);
  return new Map(built.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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
