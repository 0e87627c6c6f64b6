// Picks as the site sees them: sorted newest first (ties by key, so the order never depends on
// input order), with dates, hosts and tag slugs fixed. Everything the pages and feeds show.
import { digest } from 'lib0/hash/sha256';
import { toBase64 } from 'lib0/buffer';
import { realTitle, unpublishableLink, type PickedLink } from '../pick';
import { keptSiteKey, slugify } from '../record-key';

export interface SiteEntry {
  key: string;
  itemId: string;
  url: string;
  title: string;
  blurb: string;
  host: string;
  /** When the pick went (or goes) onto the site, in ms: the publication record's time. */
  date: number;
  tags: string[];
}

/** Why a pick cannot go onto the site, or null. Only http(s) links are ever built into a page. */
export function leftOutBecause(pick: PickedLink): string | null {
  return unpublishableLink(pick.item.url);
}

export function entryOf(pick: PickedLink): SiteEntry {
  const { item } = pick;
  const record = item.publications.site;
  return {
    key: keptSiteKey(item, item.publications.site?.key),
    itemId: item.id,
    url: item.url,
    title: realTitle(item) || item.url,
    blurb: pick.blurb.trim(),
    host: item.host,
    date: record?.at ?? item.addedAt,
    tags: [...new Set(item.tags)].sort(),
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

/** The base URL with exactly one trailing slash, so `base + path` is always right. */
export function normalizeBase(baseUrl: string): string {
  return baseUrl.replace(/\/*$/, '/');
}
