// Picks as the site sees them: sorted newest first (ties by key, so the order never depends on
// input order), with dates, hosts, headlines, link cards and tag slugs fixed. Everything the pages
// and feeds show.
import { digest } from 'lib0/hash/sha256';
import { toBase64 } from 'lib0/buffer';
import { isHttpUrl } from '../../model';
import { realTitle, unpublishableLink, type PickedLink } from '../pick';
import { keptSiteKey, slugify } from '../record-key';

/** What a card shows of the linked page's description: about what a link preview shows. */
export const MAX_SITE_CARD_DESCRIPTION = 300;

export interface SiteEntry {
  key: string;
  itemId: string;
  url: string;
  /** The curator's headline: the one typed for the site, else the linked page's title. */
  headline: string;
  /** The linked page's own title (the URL when it has none). */
  title: string;
  /** The linked page's description, on one line and cut to MAX_SITE_CARD_DESCRIPTION. */
  description: string;
  /** Whose page it is: its host, as the link card names it. */
  siteName: string;
  /** The linked page's preview image (http(s) only), from which the site makes a thumbnail. */
  image: string | null;
  blurb: string;
  host: string;
  /** When the pick went (or goes) onto the site, in ms: the publication record's time. */
  date: number;
  tags: string[];
  /** Where the pick was posted too (its Bluesky post), http(s) only. */
  syndication: string[];
}

/** Why a pick cannot go onto the site, or null. Only http(s) links are ever built into a page. */
export function leftOutBecause(pick: PickedLink): string | null {
  return unpublishableLink(pick.item.url);
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

export function entryOf(pick: PickedLink): SiteEntry {
  const { item } = pick;
  const record = item.publications.site;
  const post = item.publications.bluesky;
  const title = realTitle(item) || item.url;
  return {
    key: keptSiteKey(item, item.publications.site?.key),
    itemId: item.id,
    url: item.url,
    headline: oneLine(pick.headline ?? '', 500) || title,
    title,
    description: oneLine(item.description, MAX_SITE_CARD_DESCRIPTION),
    siteName: item.host,
    image: item.image && isHttpUrl(item.image) ? item.image : null,
    blurb: pick.blurb.trim(),
    host: item.host,
    date: record?.at ?? item.addedAt,
    tags: [...new Set(item.tags)].sort(),
    syndication: post?.state === 'published' && post.url && isHttpUrl(post.url) ? [post.url] : [],
  };
}

/** Newest first; equal dates by key. One entry per key (the first in that order wins). Picks
 * that are not http(s) links are left out, whoever picked them. */
export function siteEntries(picks: readonly PickedLink[]): SiteEntry[] {
  const sorted = picks
    .filter((pick) => leftOutBecause(pick) === null)
    .map(entryOf)
    .sort((a, b) => b.date - a.date || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const seen = new Set<string>();
  return sorted.filter((e) => !seen.has(e.key) && seen.add(e.key));
}

function shortHash(text: string): string {
  return toBase64(digest(new TextEncoder().encode(text)))
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 6)
    .toLowerCase();
}

/** A path segment per tag: readable where the tag is, unique always (c and c++ both get a page). */
export function tagSlugs(tags: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const tag of [...new Set(tags)].sort()) {
    const plain = slugify(tag, 50);
    // Only a tag that is already a plain slug keeps it bare; others get a hash so none collide.
    let slug = plain === tag && !used.has(plain) ? plain : `${plain || 'tag'}-${shortHash(tag)}`;
    for (let n = 2; used.has(slug); n++) slug = `${plain || 'tag'}-${shortHash(tag)}-${n}`;
    out.set(tag, slug);
    used.add(slug);
  }
  return out;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "12 March 2026", in UTC: the same on every machine whatever its locale and time zone. */
export function readableDate(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** The base URL with exactly one trailing slash, so `base + path` is always right. */
export function normalizeBase(baseUrl: string): string {
  return baseUrl.replace(/\/*$/, '/');
}

/** The folder of a pick's own page, relative to the site's root. */
export function permalinkPath(entry: Pick<SiteEntry, 'key'>): string {
  return `posts/${entry.key}/`;
}
