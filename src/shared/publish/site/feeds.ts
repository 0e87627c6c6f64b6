// Atom 1.0 and JSON Feed 1.1 (written by feedsmith) and links.json. Pure functions of the entries,
// with dates taken from them and never from a clock, so equal input gives equal bytes.
import { generateAtomFeed, generateJsonFeed } from 'feedsmith';
import type { SiteSettings } from '../settings';
import { isoTime, normalizeBase, type SiteEntry } from './entries';

export const FEED_SIZE = 50;

// XML 1.0 forbids most control characters even when escaped, and feedsmith passes them through.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function xmlText(text: string): string {
  return text.replace(XML_INVALID, '');
}

export function entryId(settings: SiteSettings, entry: SiteEntry): string {
  return `${normalizeBase(settings.baseUrl)}#${entry.key}`;
}

export function atomFeed(entries: readonly SiteEntry[], settings: SiteSettings): string {
  const base = normalizeBase(settings.baseUrl);
  const recent = entries.slice(0, FEED_SIZE);
  const text = (value: string) => ({ value: xmlText(value) });
  return generateAtomFeed({
    xml: { lang: settings.lang },
    id: base,
    title: text(settings.title),
    ...(settings.description ? { subtitle: text(settings.description) } : {}),
    links: [
      { rel: 'alternate', type: 'text/html', href: base },
      { rel: 'self', type: 'application/atom+xml', href: `${base}feed.xml` },
    ],
    // No clock: the feed changes only when an entry does.
    updated: new Date(recent.reduce((max, e) => Math.max(max, e.date), 0)),
    authors: [{ name: xmlText(settings.title) }],
    generator: { text: 'Curio' },
    entries: recent.map((e) => ({
      id: entryId(settings, e),
      title: text(e.title),
      links: [{ rel: 'alternate', href: e.url }],
      published: new Date(e.date),
      updated: new Date(e.date),
      ...(e.blurb ? { summary: text(e.blurb) } : {}),
      categories: e.tags.map((term) => ({ term: xmlText(term) })),
    })),
  });
}

export function jsonFeed(entries: readonly SiteEntry[], settings: SiteSettings): string {
  const base = normalizeBase(settings.baseUrl);
  const feed = generateJsonFeed({
    title: settings.title,
    home_page_url: base,
    feed_url: `${base}feed.json`,
    ...(settings.description ? { description: settings.description } : {}),
    language: settings.lang,
    authors: [{ name: settings.title }],
    items: entries.slice(0, FEED_SIZE).map((e) => ({
      id: entryId(settings, e),
      url: e.url,
      external_url: e.url,
      title: e.title,
      content_text: e.blurb || e.title,
      ...(e.blurb ? { summary: e.blurb } : {}),
      date_published: new Date(e.date),
      ...(e.tags.length ? { tags: e.tags } : {}),
    })),
  });
  return JSON.stringify(feed, null, 2) + '\n';
}

/** Every pick, for scripts and other sites: the collection's public data in one file. */
export function linksJson(entries: readonly SiteEntry[]): string {
  const links = entries.map((e) => ({
    key: e.key,
    url: e.url,
    title: e.title,
    blurb: e.blurb,
    host: e.host,
    date: isoTime(e.date),
    tags: e.tags,
  }));
  return JSON.stringify({ version: 1, links }, null, 2) + '\n';
}
